"""Supervision test helpers: committee members with accounts, a body in charge, a sitting,
a report file — built through the services like the demo."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from factories import PASSWORD
from renda.core import services as core
from renda.core.models import Body, CommitteeMember, Role


def members(world, n, *, term=None, prefix="委员"):
    """`n` serving committee members of `term` (the city's by default), each with an account
    holding the member role: [(CommitteeMember, User)]."""
    term = term or world.term
    made = []
    for i in range(n):
        person = core.create_person(world.admin, name=f"{prefix}{i + 1}", gender="M")
        member = core.create_committee_member(
            world.admin,
            term=term,
            person=person,
            position=CommitteeMember.Position.MEMBER,
            start_date=term.start_date,
        )
        user = core.create_account(
            world.admin,
            username=f"{prefix}-{term.congress_id}-{i}",
            password=PASSWORD,
            display_name=f"{prefix}{i + 1}",
            person=person,
            roles=[dict(role=Role.MEMBER, congress=term.congress)],
        )
        made.append((member, user))
    return made


def body(world, congress=None, name="巴彦淖尔市人大常委会环境与资源保护工作委员会", short="环资工委"):
    congress = congress or world.city
    found = Body.objects.filter(congress=congress, name=name).first()
    return found or core.create_body(world.admin, congress, name, short, Body.Kind.WORKING_COMMITTEE)


def sitting(world, number, start, term=None, kind="standing_committee"):
    return core.create_committee_meeting(world.admin, term or world.term, number, start, kind=kind)


def text_file(name="报告.txt", text="关于全市环境状况的报告。"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def work_report(world, the_body, *, organ=None, title="关于全市环境状况的报告", on=date(2020, 3, 2)):
    from renda.supervision import services

    return services.add_item(
        world.users["staff"],
        None,
        "work_report",
        congress=world.city,
        title=title,
        body=the_body,
        organ=organ or world.unit_a,
        on=on,
    )
