"""Who sees and does what in supervision (issue 12's must-show): an organ sees only what
concerns it, the public only what is published, members read their materials and vote, units
never close their own problems nor perform the staff's steps, an invited deputy sees the
inspection they took part in; the case API lists supervision items in constant queries."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.ballots import services as ballots
from renda.core.scoping import allowed, visible
from renda.supervision import effects, services
from renda.supervision.models import LawInspection, WorkReport
from renda.workflow.documents import Document, DocumentVersion
from renda.workflow.engine import perform
from renda.workflow.models import Participation
from sup_helpers import body, members, sitting, text_file, work_report

pytestmark = pytest.mark.django_db

OPINIONS = "一、加强大气污染联防联控。二、加快乌梁素海综合治理。"


def drive(world, report, to):
    """A work report through the services users call, up to the state `to`."""
    staff, organ = world.users["staff"], world.users["unit"] if report.organ == world.unit_a else None
    organ = organ or world.users["other_unit"]
    steps = [
        ("awaiting_draft", lambda: perform(report, "schedule", staff, {"sitting": world.samples["sitting"].pk})),
        (
            "draft_submitted",
            lambda: perform(report, "submit_draft", organ, {}, {"files": [text_file()]}, today=date(2020, 9, 17)),
        ),
        (
            "report_submitted",
            lambda: perform(
                report, "submit_report", organ, {}, {"files": [text_file("正式报告.txt")]}, today=date(2020, 9, 28)
            ),
        ),
        ("distributed", lambda: perform(report, "distribute", staff, {}, today=date(2020, 9, 29))),
        ("deliberated", lambda: perform(report, "deliberate", staff, {}, today=date(2020, 10, 9))),
        (
            "opinions_sent",
            lambda: perform(report, "send_opinions", staff, {"opinions": OPINIONS}, today=date(2020, 10, 30)),
        ),
    ]
    for state, step in steps:
        step()
        if state == to:
            return report
    raise AssertionError(to)


@pytest.fixture
def sup(world, settings):
    settings.RENDA_SUPERVISION_RESPONSE_MONTHS = 3
    env = body(world)
    world.samples["sitting"] = sitting(world, 21, date(2020, 10, 9))
    voters = members(world, 2)
    mine = drive(world, work_report(world, env, title="关于全市教育工作情况的报告"), "distributed")
    theirs = work_report(world, env, organ=world.unit_b, title="关于城市建设工作情况的报告")
    published = drive(
        world, work_report(world, env, organ=world.unit_b, title="关于全市环境状况的报告"), "opinions_sent"
    )
    # published while the organ's response is awaited: its clock runs, but only insiders see it
    perform(published, "publish", world.users["staff"], {}, today=date(2020, 11, 2))
    return dict(body=env, mine=mine, theirs=theirs, published=published, voters=voters)


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def api_ids(client, key="work_report", **params):
    response = client.get(f"/api/cases/{key}", params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_an_organ_sees_only_what_concerns_it(world, sup, client_for):
    mine, theirs, published = sup["mine"], sup["theirs"], sup["published"]
    unit, other = world.users["unit"], world.users["other_unit"]
    assert ids(visible(unit, WorkReport)) == {mine.pk, published.pk}  # its own, and what is public
    assert ids(visible(other, WorkReport)) == {theirs.pk, published.pk}
    assert allowed(unit, "view_process", mine) and not allowed(unit, "view", theirs)
    assert not allowed(unit, "view_process", published)  # another organ's report: the public's view

    api = client_for("unit")
    assert api.get(f"/api/cases/work_report/{theirs.pk}").status_code == 404
    assert api.get(f"/api/cases/work_report/{theirs.pk}/events").status_code == 404
    detail = api.get(f"/api/cases/work_report/{mine.pk}").json()
    assert detail["process_visible"] and detail["fields"]["organ"]["id"] == world.unit_a.pk
    assert api.get(f"/api/cases/work_report/{mine.pk}/events").status_code == 200
    assert api_ids(api) == {mine.pk, published.pk}
    # its clocks are its own: the report reads 7 days before the sitting (印发), nothing of another organ's
    rows = {r["id"]: r for r in api.get("/api/cases/work_report").json()["items"]}
    assert rows[published.pk]["process_visible"] is False and rows[published.pk]["next_due"] is None
    # `read` stopped at 印发; another organ's response clock is not its business
    assert api_ids(api, deadline="running") == set()
    assert api_ids(client_for("other_unit"), deadline="running") == {published.pk}
    # another organ's speeches are not circulated to it
    member = sup["voters"][0][0]
    services.record_speech(
        world.users["staff"], published, member.person, "建议加快乌梁素海综合治理。", on=date(2020, 10, 9)
    )
    perform(published, "circulate", world.users["staff"], {}, today=date(2020, 10, 12))
    assert not services.speeches_of(published, unit).exists()
    assert services.speeches_of(published, other).count() == 1


@pytest.mark.parametrize("who", ["public", "other_deputy", "noroles"])
def test_the_public_sees_only_what_is_published(world, sup, client_for, who):
    mine, theirs, published = sup["mine"], sup["theirs"], sup["published"]
    user = AnonymousUser() if who == "public" else world.users[who]
    assert ids(visible(user, WorkReport)) == {published.pk}
    client = client_for(who)
    for hidden in (mine, theirs):
        assert client.get(f"/api/cases/work_report/{hidden.pk}").status_code == 404
    detail = client.get(f"/api/cases/work_report/{published.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert (body["title"], body["process_visible"], body["transitions"]) == ("关于全市环境状况的报告", False, [])
    assert body["fields"]["published_on"] == "2020-11-02"
    assert [r["next_due"] for r in client.get("/api/cases/work_report").json()["items"]] == [None]
    assert client.get(f"/api/cases/work_report/{published.pk}/events").status_code == 403
    assert api_ids(client) == {published.pk}
    assert api_ids(client, state="opinions_sent") == {published.pk}
    assert api_ids(client, deadline="running") == set()  # the clocks are the process
    # the published report's text is public; the reading materials of an unheard report are not
    report = Document.objects.get(
        content_type=ContentType.objects.get_for_model(WorkReport), object_id=published.pk, kind="report"
    )
    assert allowed(user, "view", report)
    assert set(visible(user, DocumentVersion).values_list("document__object_id", flat=True)) == {published.pk}
    # the organ's draft, sent for pre-review, stays with those who follow the item
    assert set(visible(user, DocumentVersion).values_list("document__kind", flat=True)) == {"report"}


def test_members_read_their_materials_and_vote(world, sup):
    mine = sup["mine"]
    (_, voter), (_, second) = sup["voters"]
    report = Document.objects.get(
        content_type=ContentType.objects.get_for_model(WorkReport), object_id=mine.pk, kind="report"
    )
    assert [v.name for v in report.versions.order_by("number")] == ["正式报告.txt"]
    draft = Document.objects.get(
        content_type=ContentType.objects.get_for_model(WorkReport), object_id=mine.pk, kind="draft"
    )
    assert [v.name for v in draft.versions.all()] == ["报告.txt"]
    for user in (voter, world.users["member"], world.users["director"]):
        assert allowed(user, "view", report) and allowed(user, "view", draft)
        assert allowed(user, "view_process", mine)
        assert report.pk in set(visible(user, Document).values_list("pk", flat=True))
    for user in (world.users["other_unit"], world.users["deputy"], AnonymousUser()):
        assert not allowed(user, "view", report)
    # the county's members do not read the city's materials
    ((_, county_member),) = members(world, 1, term=world.county_term, prefix="区委员")
    assert not allowed(county_member, "view", report)

    perform(mine, "deliberate", world.users["staff"], {}, today=date(2020, 10, 9))
    # a unit does not open the vote on its own report
    with pytest.raises(PermissionDenied):
        perform(mine, "open_vote", world.users["unit"], {})
    perform(mine, "open_vote", world.users["staff"], {}, today=date(2020, 10, 9))
    ballot = effects.open_ballot_of(mine)
    options = {o.label: o.pk for o in ballot.options.all()}
    ballots.cast(ballot, voter, [options["满意"]], idempotency_key="v1")
    ballots.cast(ballot, second, [options["基本满意"]], idempotency_key="v2")
    ballots.cast(ballot, world.users["director"], [options["不满意"]], idempotency_key="v3")
    # the organ is not on the roll
    with pytest.raises(PermissionDenied):
        ballots.cast(ballot, world.users["unit"], [options["满意"]], idempotency_key="u1")
    perform(mine, "close_vote", world.users["staff"], {}, today=date(2020, 10, 9))
    assert mine.state == "deliberated"  # 2 of 3 satisfied: passed, the loop goes on to the opinions


def test_a_unit_cannot_perform_the_staff_steps_on_its_own_report(world, sup, client_for):
    mine = sup["mine"]
    unit = world.users["unit"]
    perform(mine, "deliberate", world.users["staff"], {}, today=date(2020, 10, 9))
    api = client_for("unit")
    base = f"/api/cases/work_report/{mine.pk}"
    assert [t["key"] for t in api.get(base).json()["transitions"]] == []
    for key, data in (("send_opinions", {"opinions": OPINIONS}), ("open_vote", {}), ("publish", {}), ("conclude", {})):
        with pytest.raises(PermissionDenied):
            perform(mine, key, unit, data)
        response = api.post(f"{base}/transitions/{key}", data, content_type="application/json")
        assert response.status_code == 403, (key, response.content)
    mine.refresh_from_db()
    assert (mine.state, mine.opinions, mine.published_on) == ("deliberated", "", None)
    perform(mine, "send_opinions", world.users["staff"], {"opinions": OPINIONS}, today=date(2020, 10, 30))
    assert [t["key"] for t in api.get(base).json()["transitions"]] == ["respond"]


def test_units_cannot_close_their_own_problems(world, sup, client_for):
    from renda.core import services as core
    from renda.core.models import Role
    from renda.problems.models import ProblemItem

    staff = world.users["staff"]
    inquiry = services.add_item(
        staff,
        None,
        "inquiry",
        congress=world.city,
        title="关于教育工作的专题询问",
        body=sup["body"],
        organ=world.unit_a,
    )
    perform(inquiry, "schedule", staff, {"sitting": world.samples["sitting"].pk}, today=date(2020, 9, 1))
    perform(inquiry, "hold", staff, {}, today=date(2020, 10, 9))
    member = sup["voters"][0][0]
    question = services.add_question(
        staff, inquiry, member.person, "校舍改造为何滞后？", "市教育局局长", promises="年底前完成全部校舍改造。"
    )
    item = services.open_problem_from_promise(
        staff, question, unit=world.unit_a, due_on=date(2020, 12, 31), on=date(2020, 10, 12)
    )
    unit = world.users["unit"]
    perform(item, "sign", unit, today=date(2020, 10, 13))
    perform(
        item,
        "request_closure",
        unit,
        {"note": "已完成改造。"},
        {"files": [text_file("验收报告.txt")]},
        today=date(2020, 12, 1),
    )
    with pytest.raises(PermissionDenied):
        perform(item, "accept_closure", unit, {})
    api = client_for("unit")
    base = f"/api/cases/problem_item/{item.pk}"
    assert api.post(f"{base}/transitions/accept_closure", {}, content_type="application/json").status_code == 403
    assert api.get(base).json()["transitions"] == []
    assert ProblemItem.objects.get(pk=item.pk).state == "closure_requested"
    # the body in charge (the committee of the inquiry) accepts it; the congress office's staff do not
    with pytest.raises(PermissionDenied):
        perform(item, "accept_closure", staff, {})
    in_charge = core.create_account(
        world.admin,
        username="jiaokewen",
        password="x",
        roles=[dict(role=Role.STAFF, congress=world.city, body=sup["body"])],
    )
    perform(item, "accept_closure", in_charge, {}, today=date(2020, 12, 3))
    assert item.state == "closed"


def test_an_invited_deputy_sees_the_inspection_they_took_part_in(world, sup, client_for):
    staff = world.users["staff"]
    inspection = services.add_item(
        staff,
        None,
        "law_inspection",
        congress=world.city,
        title="《中华人民共和国传染病防治法》执法检查",
        law_title="中华人民共和国传染病防治法",
        body=sup["body"],
        organ=world.unit_b,
        on=date(2020, 4, 1),
    )
    team = [m.pk for m, _ in sup["voters"]]
    perform(inspection, "start", staff, {"team": team, "deputies": [world.deputy.pk]}, today=date(2020, 5, 6))
    rows = Participation.objects.filter(
        content_type=ContentType.objects.get_for_model(LawInspection), object_id=inspection.pk
    )
    assert sorted((r.person.name, r.capacity) for r in rows) == [
        ("委员1", "inspector"),
        ("委员2", "inspector"),
        ("王代表", "deputy"),
    ]
    deputy, other = world.users["deputy"], world.users["other_deputy"]
    assert inspection.pk in ids(visible(deputy, LawInspection))
    assert inspection.pk not in ids(visible(other, LawInspection))
    assert allowed(deputy, "view", inspection) and not allowed(deputy, "view_process", inspection)
    mine, theirs = client_for("deputy"), client_for("other_deputy")
    detail = mine.get(f"/api/cases/law_inspection/{inspection.pk}")
    assert detail.status_code == 200 and detail.json()["process_visible"] is False
    assert mine.get(f"/api/cases/law_inspection/{inspection.pk}/events").status_code == 403
    assert api_ids(mine, "law_inspection") == {inspection.pk}
    assert theirs.get(f"/api/cases/law_inspection/{inspection.pk}").status_code == 404
    assert api_ids(theirs, "law_inspection") == set()
    # taking part does not let them act: the team's deputies do not write its report
    with pytest.raises(PermissionDenied):
        perform(inspection, "report", deputy, {}, {"files": [text_file("检查报告.txt")]})


def _list_queries(client, key, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/cases/{key}", params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["staff", "unit", "public"])
def test_the_case_api_lists_supervision_items_in_constant_queries(world, sup, client_for, role):
    client = client_for(role)
    filters = [{}, {"state": "awaiting_draft"}, {"deadline": "running", "year": 2020}]

    def make(n):
        for i in range(n):
            report = work_report(world, sup["body"], title=f"关于第{i}项工作的报告", on=date(2020, 3, 2))
            perform(report, "schedule", world.users["staff"], {"sitting": world.samples["sitting"].pk})

    make(3)
    small = [_list_queries(client, "work_report", **f) for f in filters]
    make(27)
    assert WorkReport.objects.count() == 33
    large = [_list_queries(client, "work_report", **f) for f in filters]
    assert large == small
    # the clocks running: unit_a's 30 reports (+ unit_b's published one for staff); none for the public
    assert len(api_ids(client, deadline="running")) == {"staff": 31, "unit": 30, "public": 0}[role]
