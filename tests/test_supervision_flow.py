"""A work report through the deliberation loop of SUP-3/SUP-4/SUP-8 on the services users call."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.ballots import services as ballots
from renda.core import services as core_services
from renda.core.models import Body, CommitteeMember
from renda.supervision import services
from renda.workflow.engine import perform
from renda.workflow.models import Deadline

pytestmark = pytest.mark.django_db


def report_file(name="报告.txt"):
    return SimpleUploadedFile(name, "关于全市环境状况的报告。".encode(), content_type="text/plain")


@pytest.fixture
def sup(world, settings):
    settings.RENDA_SUPERVISION_RESPONSE_MONTHS = 3
    w = world
    admin = w.admin
    body = core_services.create_body(
        admin, w.city, "巴彦淖尔市人大常委会环境与资源保护工作委员会", "环资工委", Body.Kind.WORKING_COMMITTEE
    )
    sitting = core_services.create_committee_meeting(admin, w.term, 21, date(2020, 10, 9))
    members = [w.member]
    for i in range(2):
        person = core_services.create_person(admin, name=f"委员{i}", gender="M")
        members.append(
            core_services.create_committee_member(
                admin,
                term=w.term,
                person=person,
                position=CommitteeMember.Position.MEMBER,
                start_date=w.term.start_date,
            )
        )
        core_services.create_account(
            admin,
            username=f"m{i}",
            password="Renda-Test-2020",
            display_name=f"委员{i}",
            person=person,
            roles=[dict(role="member", congress=w.city)],
        )
    return dict(body=body, sitting=sitting, members=members)


def test_a_report_through_opinions_response_and_a_failing_vote(world, sup):
    staff, unit = world.users["staff"], world.users["unit"]
    report = services.add_item(
        staff,
        None,
        "work_report",
        congress=world.city,
        title="关于全市环境状况的报告",
        body=sup["body"],
        organ=world.unit_a,
        on=date(2020, 3, 2),
    )
    perform(report, "schedule", staff, {"sitting": sup["sitting"].pk}, today=date(2020, 3, 10))
    dues = dict(Deadline.objects.for_case(report).values_list("key", "due_on"))
    assert dues == {"draft": date(2020, 9, 18), "final": date(2020, 9, 29)}
    perform(report, "submit_draft", unit, {}, {"files": [report_file()]}, today=date(2020, 9, 17))
    perform(report, "submit_report", unit, {}, {"files": [report_file("正式报告.txt")]}, today=date(2020, 9, 28))
    assert Deadline.objects.for_case(report).get(key="read").due_on == date(2020, 9, 30)
    perform(report, "distribute", staff, {}, today=date(2020, 9, 29))
    perform(report, "deliberate", staff, {}, today=date(2020, 10, 9))
    perform(
        report,
        "send_opinions",
        staff,
        {"opinions": "一、加强大气污染联防联控。二、加快乌梁素海综合治理。"},
        today=date(2020, 10, 30),
    )
    response = Deadline.objects.for_case(report).get(key="response")
    assert response.due_on == date(2021, 2, 1)  # three months end on a Saturday
    perform(
        report,
        "respond",
        unit,
        {"response": "已制定整改方案，逐项落实审议意见。", "signed_by": "张局长"},
        today=date(2021, 1, 20),
    )
    perform(report, "open_vote", staff, {}, today=date(2021, 1, 28))
    assert report.state == "voting"
    ballot = __import__("renda.supervision.effects", fromlist=["x"]).open_ballot_of(report)
    options = {o.label: o.pk for o in ballot.options.all()}
    users = [
        world.users["director"],
        *[__import__("renda.core.models", fromlist=["User"]).User.objects.get(username=f"m{i}") for i in range(2)],
    ]
    for user, choice in zip(users, ["满意", "不满意", "不满意"], strict=True):
        ballots.cast(ballot, user, [options[choice]], idempotency_key=f"k{user.pk}")
    perform(report, "close_vote", staff, {}, today=date(2021, 1, 28))
    assert report.state == "re_reporting" and report.round == 2
    assert Deadline.objects.for_case(report).get(key="rereport", status="running").due_on == date(2021, 3, 29)


def test_a_satisfied_vote_on_the_response_concludes_and_may_publish(world, sup):
    from renda.core.models import User
    from renda.supervision.effects import open_ballot_of

    staff, unit = world.users["staff"], world.users["unit"]
    report = services.add_item(
        staff, None, "work_report", congress=world.city, title="关于法治政府建设情况的报告", body=sup["body"],
        organ=world.unit_a, on=date(2020, 3, 2),
    )  # fmt: skip
    perform(report, "schedule", staff, {"sitting": sup["sitting"].pk}, today=date(2020, 3, 10))
    perform(report, "submit_draft", unit, {}, {"files": [report_file()]}, today=date(2020, 9, 17))
    perform(report, "submit_report", unit, {}, {"files": [report_file()]}, today=date(2020, 9, 28))
    perform(report, "distribute", staff, {}, today=date(2020, 9, 29))
    perform(report, "deliberate", staff, {}, today=date(2020, 10, 9))
    perform(report, "send_opinions", staff, {"opinions": "一、完善行政执法责任制。"}, today=date(2020, 10, 30))
    perform(
        report,
        "respond",
        unit,
        {"response": "已完善行政执法责任制并逐项落实。", "signed_by": "张局长"},
        today=date(2021, 1, 20),
    )
    perform(report, "open_vote", staff, {}, today=date(2021, 1, 28))
    ballot = open_ballot_of(report)
    options = {o.label: o.pk for o in ballot.options.all()}
    voters = [world.users["director"], *User.objects.filter(username__in=["m0", "m1"])]
    for user, choice in zip(voters, ["满意", "基本满意", "不满意"], strict=True):
        ballots.cast(ballot, user, [options[choice]], idempotency_key=f"k{user.pk}")
    perform(report, "close_vote", staff, {"publish": "on"}, today=date(2021, 1, 28))
    assert report.state == "concluded"
    assert report.concluded_on == report.published_on == date(2021, 1, 28)
    assert not Deadline.objects.for_case(report).exclude(status="stopped").exists()


def test_a_response_the_plan_puts_to_a_sitting_is_deliberated_before_the_item_concludes(world, sup):
    from django.core.exceptions import ValidationError

    staff, unit = world.users["staff"], world.users["unit"]
    report = services.add_item(
        staff, None, "work_report", congress=world.city, title="关于审计查出问题整改情况的报告", body=sup["body"],
        organ=world.unit_a, on=date(2020, 3, 2), deliberate_response=True,
    )  # fmt: skip
    perform(report, "schedule", staff, {"sitting": sup["sitting"].pk}, today=date(2020, 3, 10))
    perform(report, "submit_draft", unit, {}, {"files": [report_file()]}, today=date(2020, 9, 17))
    perform(report, "submit_report", unit, {}, {"files": [report_file()]}, today=date(2020, 9, 28))
    perform(report, "distribute", staff, {}, today=date(2020, 9, 29))
    perform(report, "deliberate", staff, {}, today=date(2020, 10, 9))
    perform(report, "send_opinions", staff, {"opinions": "一、建立整改长效机制。"}, today=date(2020, 10, 30))
    response = {"response": "已建立审计整改长效机制并逐项销号。", "signed_by": "张局长"}
    perform(report, "respond", unit, response, today=date(2021, 1, 20))
    with pytest.raises(ValidationError, match="提请常委会会议审议后"):
        perform(report, "conclude", staff, {}, today=date(2021, 1, 21))
    later = core_services.create_committee_meeting(world.admin, world.term, 22, date(2021, 2, 25))
    perform(report, "deliberate_response", staff, {"sitting": later.pk}, today=date(2021, 2, 25))
    perform(report, "conclude", staff, {"publish": "on"}, today=date(2021, 2, 26))
    assert report.state == "concluded" and report.published_on == date(2021, 2, 26)
