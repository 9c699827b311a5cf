"""The public supervision pages: the published plan with its items' progress, published items with
their report, opinions, response and satisfaction result; nothing unpublished appears."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.ballots import services as ballots
from renda.core import services as core_services
from renda.core.models import Body, CommitteeMeeting, CommitteeMember
from renda.supervision import effects, services
from renda.workflow.engine import perform

pytestmark = pytest.mark.django_db


def upload(name, text):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def build_public_year(world):
    """The city's 2020 plan, adopted and published: a work report through opinions, a response,
    publication and a passing satisfaction vote; an investigation still underway; an inquiry
    withdrawn; besides, a work report in no plan, never published; and the 2021 plan, a draft."""
    admin, staff, unit = world.admin, world.users["staff"], world.users["unit"]
    body = core_services.create_body(
        admin, world.city, "巴彦淖尔市人大常委会环境与资源保护工作委员会", "环资工委", Body.Kind.WORKING_COMMITTEE
    )
    meeting = core_services.create_committee_meeting(
        admin, world.term, 2, date(2020, 2, 20), kind=CommitteeMeeting.Kind.DIRECTORS_MEETING
    )
    sitting = core_services.create_committee_meeting(admin, world.term, 21, date(2020, 10, 9))
    voters = [world.users["director"]]
    for i in range(2):
        person = core_services.create_person(admin, name=f"委员{i}", gender="M")
        core_services.create_committee_member(
            admin, term=world.term, person=person, position=CommitteeMember.Position.MEMBER, start_date=date(2017, 1, 6)
        )
        voters.append(
            core_services.create_account(
                admin,
                username=f"m{i}",
                password="Renda-Test-2020",
                display_name=f"委员{i}",
                person=person,
                roles=[dict(role="member", congress=world.city)],
            )
        )
    plan = services.create_plan(
        staff, world.city, 2020, text="围绕生态优先、绿色发展确定监督重点。", on=date(2020, 2, 3)
    )
    common = dict(body=body, organ=world.unit_a, on=date(2020, 2, 10))
    report = services.add_item(
        staff, plan, "work_report", title="关于2019年度全市环境状况的报告", item_kind="environment", **common
    )
    survey = services.add_item(staff, plan, "investigation", title="关于乌梁素海综合治理的专题调研", **common)
    dropped = services.add_item(staff, plan, "inquiry", title="关于大气污染防治的专题询问", **common)
    perform(plan, "adopt", world.users["director"], {"meeting": meeting.pk}, today=date(2020, 2, 20))
    perform(plan, "publish", staff, {}, today=date(2020, 2, 24))

    perform(report, "schedule", staff, {"sitting": sitting.pk}, today=date(2020, 3, 10))
    perform(
        report, "submit_draft", unit, {}, {"files": [upload("初稿.txt", "环境状况报告初稿。")]}, today=date(2020, 9, 17)
    )
    perform(
        report,
        "submit_report",
        unit,
        {},
        {"files": [upload("环境状况报告.txt", "环境状况报告。")]},
        today=date(2020, 9, 28),
    )
    perform(report, "distribute", staff, {}, today=date(2020, 9, 29))
    perform(report, "deliberate", staff, {}, today=date(2020, 10, 9))
    opinions = "一、加强大气污染联防联控。二、加快乌梁素海综合治理。"
    perform(report, "send_opinions", staff, {"opinions": opinions}, today=date(2020, 10, 30))
    response = "已制定整改方案，逐项落实审议意见：建成区域联防联控机制。"
    perform(report, "respond", unit, {"response": response, "signed_by": "张局长"}, today=date(2021, 1, 20))
    perform(report, "publish", staff, {}, today=date(2021, 1, 22))
    perform(report, "open_vote", staff, {}, today=date(2021, 1, 28))
    ballot = effects.open_ballot_of(report)
    options = {o.label: o.pk for o in ballot.options.all()}
    for user, choice in zip(voters, ["满意", "基本满意", "不满意"], strict=True):
        ballots.cast(ballot, user, [options[choice]], idempotency_key=f"k{user.pk}")
    perform(report, "close_vote", staff, {}, today=date(2021, 1, 28))
    perform(survey, "start", staff, {"team": [world.member.pk]}, today=date(2020, 4, 8))
    perform(dropped, "withdraw", staff, {"note": "与执法检查合并进行。"}, today=date(2020, 5, 6))
    hidden = services.add_item(
        staff, None, "work_report", title="关于全市法治政府建设情况的报告", congress=world.city, **common
    )
    draft = services.create_plan(staff, world.city, 2021, on=date(2020, 11, 2))
    return dict(plan=plan, report=report, survey=survey, dropped=dropped, hidden=hidden, draft=draft)


@pytest.fixture
def year(world):
    return build_public_year(world)


def test_the_published_plan_with_the_progress_of_its_items(world, year, client):
    report, survey = year["report"], year["survey"]
    assert report.state == "concluded"
    r = client.get(reverse("supervision_public:plan", args=[year["plan"].pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert "2020年度监督工作计划" in page and "围绕生态优先" in page
    # each entry with its kind and progress; the published one links to its page
    assert "环境状况报告" in page and "已办结" in page
    assert reverse("supervision_public:item", args=["work_report", report.pk]) in page
    assert "关于乌梁素海综合治理的专题调研" in page and "开展中" in page
    assert reverse("supervision_public:item", args=["investigation", survey.pk]) not in page
    # the adjustment is public too: the withdrawn entry, apart
    assert "调整计划撤销的事项" in page and "关于大气污染防治的专题询问" in page
    assert r.context["progress"] == {"total": 2, "done": 1, "underway": 1, "dropped": 1}
    # nothing outside the plan that is not published
    assert "法治政府建设" not in page


def test_a_published_item_shows_report_opinions_response_and_the_result(world, year, client):
    report = year["report"]
    r = client.get(reverse("supervision_public:item", args=["work_report", report.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert "环境状况报告" in page and "环资工委" not in page  # the body's full name, not its short one
    assert "环境与资源保护工作委员会" in page and "巴彦淖尔市教育局" in page
    assert "加快乌梁素海综合治理" in page and "2020年10月30日交有关机关研究处理" in page
    assert "建成区域联防联控机制" in page and "2021年1月20日报送" in page
    # the report, without the uploader (outside the process); the organ's draft, sent for the
    # committee's pre-review, is not published with it
    assert "环境状况报告.txt" in page and "初稿.txt" not in page
    # dated as the organ's act was entered (perform(today=)), not the day the records were typed in
    assert "2020年9月28日" in page
    # the satisfaction vote: 2 of 3 satisfied or basically satisfied
    (result,) = r.context["results"]
    assert result["result"].outcome.passed
    assert [o.votes for o in result["result"].options] == [1, 1, 1]
    assert "满意度测评结果" in page and "应参加 3 人，实际投票 3 人" in page


def test_nothing_unpublished_appears(world, year, client, client_for):
    hidden, survey, draft = year["hidden"], year["survey"], year["draft"]
    # an unpublished item 404s (for the public, and on the public site for staff too)
    for c in (client, client_for("staff")):
        assert c.get(reverse("supervision_public:item", args=["work_report", hidden.pk])).status_code == 404
        assert c.get(reverse("supervision_public:item", args=["investigation", survey.pk])).status_code == 404
        assert c.get(reverse("supervision_public:plan", args=[draft.pk])).status_code == 404
    # a wrong kind in the URL does not find a published item either
    assert client.get(reverse("supervision_public:item", args=["inquiry", year["report"].pk])).status_code == 404
    assert client.get("/supervision/items/nosuch/1/").status_code == 404
    # in no public list
    for url in (reverse("supervision_public:index"), reverse("supervision_public:items")):
        page = client.get(url).content.decode()
        assert "法治政府建设" not in page and "2021年度" not in page and "乌梁素海综合治理的专题调研" not in page
    page = client.get(reverse("supervision_public:items")).content.decode()
    assert "关于2019年度全市环境状况的报告" in page and "环境状况报告" in page
    page = client.get(reverse("supervision_public:index")).content.decode()
    assert "2020年度监督工作计划" in page and "专项工作报告" in page


def test_lists_filter_by_kind_and_year(world, year, client):
    url = reverse("supervision_public:items")
    assert "环境状况" in client.get(url + "?kind=work_report&year=2021").content.decode()
    assert "环境状况" not in client.get(url + "?kind=inquiry").content.decode()
    assert "环境状况" not in client.get(url + "?year=2020").content.decode()
    # junk in the query is ignored, never a 500
    assert client.get(url + "?kind=x&year=abc").status_code == 200


def test_public_pages_cost_the_same_whatever_the_number_of_items(world, year, client):
    staff = world.users["staff"]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    plan_url = reverse("supervision_public:plan", args=[year["plan"].pk])
    few = count(plan_url), count(reverse("supervision_public:items"))
    for n in range(10):
        item = services.add_item(
            staff,
            year["plan"],
            "investigation",
            title=f"调研{n}",
            body=year["report"].body,
            organ=world.unit_b,
            reason="增加调研。",
            on=date(2020, 6, 1),
        )
        perform(item, "start", staff, {"team": [world.member.pk]}, today=date(2020, 6, 2))
        perform(item, "report", staff, {}, {"files": [upload("r.txt", "调研报告。")]}, today=date(2020, 6, 3))
        perform(item, "conclude", staff, {"publish": "on"}, today=date(2020, 6, 4))
    many = count(plan_url), count(reverse("supervision_public:items"))
    assert many == few


def test_portal_links_to_supervision(world, client):
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("supervision_public:index") in page
    assert "监督工作" in page
