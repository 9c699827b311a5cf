"""The plan pages (SUP-1): drafting, items across kinds with their progress and clocks, adoption by
a directors' meeting, publication, adjustment with a reason, constant queries, the Excel export."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from renda.core import services as core_services
from renda.core.models import Body, CommitteeMeeting
from renda.supervision import services
from renda.supervision.models import SupervisionPlan, WorkReport
from renda.workflow.engine import perform
from renda.workflow.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def sup(world):
    admin = world.admin
    body = core_services.create_body(
        admin, world.city, "巴彦淖尔市人大常委会财政经济工作委员会", "财经工委", Body.Kind.WORKING_COMMITTEE
    )
    meeting = core_services.create_committee_meeting(
        admin, world.term, 3, date(2020, 2, 20), kind=CommitteeMeeting.Kind.DIRECTORS_MEETING
    )
    sitting = core_services.create_committee_meeting(admin, world.term, 21, date(2020, 10, 9))
    plan = services.create_plan(world.users["staff"], world.city, 2020, on=date(2020, 2, 3))
    return dict(body=body, meeting=meeting, sitting=sitting, plan=plan)


def add(world, sup, kind, title, n=0, **extra):
    return services.add_item(
        world.users["staff"],
        sup["plan"],
        kind,
        title=f"{title}{n or ''}",
        body=sup["body"],
        organ=world.unit_a,
        on=date(2020, 2, 10),
        **extra,
    )


def test_staff_draft_a_plan_and_the_form_keeps_what_was_typed(world, client_for):
    c = client_for("staff")
    assert c.get(reverse("supervision:plan_create")).status_code == 200
    r = c.post(reverse("supervision:plan_create"), {"congress": world.city.pk, "year": "2021", "title": "", "text": ""})
    plan = SupervisionPlan.objects.get(year=2021)
    assert r.status_code == 302 and r["Location"] == reverse("supervision:plan", args=[plan.pk])
    assert plan.title == "2021年度监督工作计划" and plan.state == "draft"
    # the same year again: refused in Chinese, the text kept
    r = c.post(reverse("supervision:plan_create"), {"congress": world.city.pk, "year": "2021", "text": "第二份"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "2021年度的监督工作计划已经存在。" in page and "第二份" in page
    # a member may not draft
    assert client_for("member").get(reverse("supervision:plan_create")).status_code == 403


def test_plan_page_lists_items_of_every_kind_with_progress_and_clocks(world, sup, client_for):
    staff = world.users["staff"]
    report = add(
        world, sup, "work_report", "关于全市企业国有资产管理情况的报告", item_kind=WorkReport.Kind.STATE_ASSETS
    )
    add(world, sup, "law_inspection", "传染病防治法执法检查", law_title="中华人民共和国传染病防治法")
    visit = add(world, sup, "investigation", "天赋河套主任集体视察", item_kind="collective_inspection", key_item=True)
    add(world, sup, "inquiry", "大气污染防治专题询问")
    perform(report, "schedule", staff, {"sitting": sup["sitting"].pk}, today=date(2020, 3, 10))
    perform(visit, "start", staff, {"team": [world.member.pk]}, today=date(2020, 4, 8))
    perform(visit, "withdraw", staff, {"note": "疫情防控需要，改为下一年度。"}, today=date(2020, 4, 9))

    r = client_for("staff").get(reverse("supervision:plan", args=[sup["plan"].pk]))
    assert r.status_code == 200
    page = r.content.decode()
    for text in ("国有资产管理情况报告", "执法检查", "专题询问", "主任集体视察", "财经工委"[:0] + "财政经济工作委员会"):
        assert text in page
    assert "待报送报告初稿" in page and "已撤销" in page
    # the report's next clock: its draft, 20 days before the sitting
    assert "报送报告初稿：2020年9月18日" in page
    assert r.context["progress"] == {"total": 3, "done": 0, "underway": 3, "dropped": 1}
    # a member reads the plan (it is theirs to oversee) but not the staff's buttons
    r = client_for("member").get(reverse("supervision:plan", args=[sup["plan"].pk]))
    assert r.status_code == 200 and "增加监督事项" not in r.content.decode()
    # a deputy does not find a draft plan
    assert client_for("deputy").get(reverse("supervision:plan", args=[sup["plan"].pk])).status_code == 404


def test_directors_adopt_with_the_meeting_then_items_need_a_reason(world, sup, client_for):
    plan = sup["plan"]
    add(world, sup, "work_report", "关于环境状况的报告")
    director = world.users["director"]
    page = client_for("director").get(reverse("supervision:plan", args=[plan.pk])).content.decode()
    assert "主任会议通过" in page and "增加监督事项" not in page
    r = client_for("director").post(
        reverse("workflow:transition", args=["supervision_plan", plan.pk, "adopt"]), {"meeting": sup["meeting"].pk}
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "adopted" and plan.adopted_at == sup["meeting"]
    page = client_for("staff").get(reverse("supervision:plan", args=[plan.pk])).content.decode()
    assert "三届人大常委会主任会议第三次会议" in page or sup["meeting"].label in page

    # staff add an item: the form asks for the reason; without it, refused and kept
    c = client_for("staff")
    url = reverse("supervision:plan_add_item", args=[plan.pk])
    form = c.get(url).content.decode()
    assert "调整理由" in form
    data = {
        "kind": "inquiry",
        "title": "关于审计查出问题整改情况的专题询问",
        "report_kind": "special",
        "investigation_kind": "investigation",
        "body": sup["body"].pk,
        "organ": world.unit_a.pk,
        "planned_on": "2020-06-01",
        "reason": "",
    }
    r = c.post(url, data)
    assert r.status_code == 200
    assert "这个字段是必填项。" in r.content.decode() or "必填" in r.content.decode()
    assert "关于审计查出问题整改情况的专题询问" in r.content.decode()
    r = c.post(url, {**data, "reason": "根据市委要求增加。"})
    assert r.status_code == 302
    event = Event.objects.for_case(plan).get(transition="adjust")
    assert "根据市委要求增加" in event.note and "审计查出问题整改" in event.note
    page = c.get(reverse("supervision:plan", args=[plan.pk])).content.decode()
    assert "调整计划" in page and "根据市委要求增加" in page
    perform(plan, "publish", world.users["staff"], {}, today=date(2020, 2, 24))
    plan.refresh_from_db()
    assert plan.state == "published"
    del director


def test_add_item_form_errors_in_chinese(world, sup, client_for):
    c = client_for("staff")
    url = reverse("supervision:plan_add_item", args=[sup["plan"].pk])
    r = c.post(
        url,
        {
            "kind": "law_inspection",
            "title": "执法检查",
            "report_kind": "special",
            "investigation_kind": "investigation",
            "body": sup["body"].pk,
            "organ": world.unit_a.pk,
            "planned_on": "2020-03-01",
        },
    )
    assert r.status_code == 200 and "执法检查须填写检查的法律法规。" in r.content.decode()
    # another congress's unit is not a choice
    r = c.post(
        url,
        {
            "kind": "inquiry",
            "title": "询问",
            "report_kind": "special",
            "investigation_kind": "investigation",
            "body": sup["body"].pk,
            "organ": world.county_unit.pk,
            "planned_on": "2020-03-01",
        },
    )
    assert r.status_code == 200 and "organ" in r.context["form"].errors
    # a member may not add
    assert client_for("member").get(url).status_code == 403


def _queries(c, url):
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx)


def test_plan_page_queries_do_not_grow_with_items(world, sup, client_for):
    c = client_for("staff")
    url = reverse("supervision:plan", args=[sup["plan"].pk])
    kinds = [("work_report", {}), ("law_inspection", {"law_title": "某法"}), ("investigation", {}), ("inquiry", {})]

    def fill(count, start):
        for n in range(start, start + count):
            kind, extra = kinds[n % 4]
            item = add(world, sup, kind, "事项", n + 1, sitting=sup["sitting"], **extra)
            if kind == "work_report":
                perform(item, "schedule", world.users["staff"], {"sitting": sup["sitting"].pk}, today=date(2020, 3, 10))

    fill(3, 0)
    _queries(c, url)  # the first page load fills the per-process lookups (content types, sitting acts)
    few = _queries(c, url)
    fill(27, 3)
    many = _queries(c, url)
    assert many == few, f"3 items: {few} queries, 30 items: {many}"


def test_export_of_the_plans_items(world, sup, client_for):
    add(world, sup, "work_report", "关于脱贫攻坚工作情况的报告")
    url = reverse("supervision:plan", args=[sup["plan"].pk]) + "?export=xlsx"
    r = client_for("staff").get(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][:3] == ("序号", "类别", "事项") and rows[1][2] == "关于脱贫攻坚工作情况的报告"
    assert rows[1][7] == "已列入计划"
    # a member reads the plan, but exports are for the staff
    assert client_for("member").get(url).status_code == 403


def test_plan_list(world, sup, client_for):
    r = client_for("staff").get(reverse("supervision:plans"))
    assert r.status_code == 200 and "2020年度监督工作计划" in r.content.decode()
    assert "起草年度计划" in r.content.decode()
    # a deputy sees no draft plan in the list
    r = client_for("deputy").get(reverse("supervision:plans"))
    assert r.status_code == 200 and "2020年度监督工作计划" not in r.content.decode()
