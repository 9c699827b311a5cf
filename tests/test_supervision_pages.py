"""The supervision work pages: lists by kind with constant queries, the units' dues, the members'
reading, an item's page for each reader, and the staff's forms (thin views over the services)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.ballots import services as ballots
from renda.core import services as core_services
from renda.core.models import Body, CommitteeMember, User
from renda.meetings.models import Speech
from renda.supervision import effects, services
from renda.supervision.models import Activity, InquiryQuestion, Interpellation, WorkReport
from renda.workflow.engine import perform
from renda.workflow.models import Deadline

pytestmark = pytest.mark.django_db


def upload(name="报告.txt"):
    return SimpleUploadedFile(name, "关于全市环境状况的报告。".encode(), content_type="text/plain")


@pytest.fixture
def sup(world):
    admin = world.admin
    body = core_services.create_body(
        admin, world.city, "巴彦淖尔市人大常委会环境与资源保护工作委员会", "环资工委", Body.Kind.WORKING_COMMITTEE
    )
    sitting = core_services.create_committee_meeting(admin, world.term, 21, timezone.localdate() + timedelta(days=40))
    members = [world.member]
    for i in range(4):
        person = core_services.create_person(admin, name=f"委员{i}", gender="M")
        members.append(
            core_services.create_committee_member(
                admin,
                term=world.term,
                person=person,
                position=CommitteeMember.Position.MEMBER,
                start_date=world.term.start_date,
            )
        )
        core_services.create_account(
            admin,
            username=f"m{i}",
            password="Renda-Test-2020",
            display_name=f"委员{i}",
            person=person,
            roles=[dict(role="member", congress=world.city)],
        )
    return dict(body=body, sitting=sitting, members=members)


def report(world, sup, n=0, **extra):
    fields = dict(congress=world.city, title=f"关于全市环境状况的报告{n}", body=sup["body"], organ=world.unit_a)
    fields.update(extra)
    return services.add_item(world.users["staff"], None, "work_report", **fields)


# ---------------------------------------------------------------- the list


def test_the_list_issues_the_same_queries_for_3_and_30_items(world, sup, client_for):
    staff = client_for("staff")
    for n in range(3):
        perform(report(world, sup, n), "schedule", world.users["staff"], {"sitting": sup["sitting"].pk})

    def count(url):
        staff.get(url)  # warm: the session, the content types
        with CaptureQueriesContext(connection) as ctx:
            response = staff.get(url)
        assert response.status_code == 200
        return len(ctx), response.content.decode()

    few, html = count("/work/supervision/?kind=work_report")
    assert "关于全市环境状况的报告2" in html and "待报送报告初稿" in html and "剩余" in html
    for n in range(3, 30):
        perform(report(world, sup, n), "schedule", world.users["staff"], {"sitting": sup["sitting"].pk})
    many, html = count("/work/supervision/?kind=work_report")
    assert many == few
    assert "共 30 条" in html


def test_filters_by_clock_key_item_and_kind(world, sup, client_for):
    staff = world.users["staff"]
    late = report(world, sup, 1, key_item=True)
    perform(late, "schedule", staff, {"sitting": sup["sitting"].pk})
    report(world, sup, 2)
    # the sitting moves to the past: the report clocks are overdue
    soon = core_services.create_committee_meeting(world.admin, world.term, 22, timezone.localdate() - timedelta(days=1))
    perform(late, "reschedule", staff, {"sitting": soon.pk, "note": "会议提前。"})
    c = client_for("staff")
    html = c.get("/work/supervision/?kind=work_report&deadline=overdue").content.decode()
    assert "共 1 条" in html and late.title in html and "逾期" in html
    assert "共 1 条" in c.get("/work/supervision/?kind=work_report&key=1").content.decode()
    tabs = c.get("/work/supervision/?kind=inquiry").content.decode()
    assert "监督工作：专题询问" in tabs and "共 0 条" in tabs
    export = c.get("/work/supervision/?kind=work_report&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    # the member reads the list but may not export it
    assert client_for("member").get("/work/supervision/?kind=work_report&export=xlsx").status_code == 403


def test_a_unit_sees_only_its_items_and_the_public_only_published_ones(world, sup, client_for):
    mine = report(world, sup, 1)
    theirs = report(world, sup, 2, organ=world.unit_b)
    unit = client_for("unit")
    html = unit.get("/work/supervision/").content.decode()
    assert mine.title in html and theirs.title not in html
    assert unit.get(f"/work/supervision/reports/{theirs.pk}/").status_code == 404
    deputy = client_for("deputy")
    assert deputy.get(f"/work/supervision/reports/{mine.pk}/").status_code == 404
    perform(mine, "withdraw", world.users["staff"], {"note": "调整计划。"})
    assert deputy.get(f"/work/supervision/reports/{mine.pk}/").status_code == 404


# ---------------------------------------------------------------- dues and reading


def test_the_units_dues_name_what_is_owed_by_when(world, sup, client_for):
    staff = world.users["staff"]
    item = report(world, sup, 1, unit=world.unit_a, organ=world.unit_b)
    perform(item, "schedule", staff, {"sitting": sup["sitting"].pk})
    other = report(world, sup, 2, organ=world.unit_b)
    perform(other, "schedule", staff, {"sitting": sup["sitting"].pk})
    html = client_for("unit").get("/work/supervision/dues/").content.decode()
    assert item.title in html and other.title not in html  # unit_a drafts it for unit_b
    assert "报送报告初稿" in html
    due = Deadline.objects.for_case(item).get(key="draft").due_on
    assert f"{due.year}年{due.month}月{due.day}日" in html
    assert item.title in client_for("other_unit").get("/work/supervision/dues/").content.decode()
    assert client_for("staff").get("/work/supervision/dues/").status_code == 403


def test_members_read_the_reports_and_find_their_open_votes(world, sup, client_for):
    staff, unit = world.users["staff"], world.users["unit"]
    item = report(world, sup, 1)
    perform(item, "schedule", staff, {"sitting": sup["sitting"].pk})
    perform(item, "submit_draft", unit, {}, {"files": [upload("初稿.txt")]})
    perform(item, "submit_report", unit, {}, {"files": [upload("正式报告.txt")]})
    perform(item, "distribute", staff, {})
    member = client_for("director")
    html = member.get("/work/supervision/reading/").content.decode()
    assert item.title in html and "正式报告.txt" in html and "初稿.txt" not in html
    perform(item, "deliberate", staff, {})
    perform(item, "open_vote", staff, {})
    ballot = effects.open_ballot_of(item)
    html = member.get("/work/supervision/reading/").content.decode()
    assert f"/work/ballots/{ballot.pk}/" in html and item.title not in html.split("会前需要阅读的报告")[1]
    assert client_for("unit").get("/work/supervision/reading/").status_code == 403


# ---------------------------------------------------------------- the item's page


def test_the_item_page_shows_speeches_to_the_organ_once_circulated_and_the_vote(world, sup, client_for):
    staff, unit = world.users["staff"], world.users["unit"]
    item = report(world, sup, 1)
    perform(item, "schedule", staff, {"sitting": sup["sitting"].pk})
    perform(item, "submit_draft", unit, {}, {"files": [upload()]})
    perform(item, "submit_report", unit, {}, {"files": [upload()]})
    perform(item, "distribute", staff, {})
    perform(item, "deliberate", staff, {})
    c = client_for("staff")
    url = f"/work/supervision/reports/{item.pk}/"
    speaker = sup["members"][1]
    response = c.post(
        f"/work/supervision/reports/{item.pk}/speeches/new/",
        {"speaker": f"m{speaker.person_id}", "spoken_on": "2020-10-09", "text": "太短"},
    )
    assert response.status_code == 200 and "不少于10个字" in response.content.decode()
    assert "太短" in response.content.decode()  # what was typed is kept
    response = c.post(
        f"/work/supervision/reports/{item.pk}/speeches/new/",
        {"speaker": f"m{speaker.person_id}", "spoken_on": "2020-10-09", "text": "建议加大乌梁素海综合治理力度。"},
    )
    assert response.status_code == 302 and response["Location"] == url
    response = c.post(
        f"/work/supervision/reports/{item.pk}/speeches/new/",
        {"speaker": f"d{world.deputy.pk}", "spoken_on": "2020-10-09", "text": "建议公开空气质量监测数据。"},
    )
    assert Speech.objects.count() == 2
    speech = Speech.objects.get(deputy=world.deputy)
    assert speech.speaker == world.deputy.person
    html = c.get(url).content.decode()
    assert "乌梁素海" in html and "未通报" in html and "发言：" in html  # participants
    send = f"/work/workflow/case/work_report/{item.pk}/send_opinions/"
    assert send in html and "记录审议发言" in html  # the staff's transitions and forms
    organ = client_for("unit")
    assert "乌梁素海" not in organ.get(url).content.decode()
    perform(item, "circulate", staff, {})
    page = organ.get(url).content.decode()
    assert "乌梁素海" in page and send not in page and "记录审议发言" not in page
    # a satisfaction vote: the open ballot is linked, its result shown once closed
    perform(item, "open_vote", staff, {})
    ballot = effects.open_ballot_of(item)
    assert f"/work/ballots/{ballot.pk}/" in c.get(url).content.decode()
    options = {o.label: o.pk for o in ballot.options.all()}
    voters = [world.users["director"], *User.objects.filter(username__in=["m0", "m1"])]
    for user, choice in zip(voters, ["满意", "不满意", "不满意"], strict=True):
        ballots.cast(ballot, user, [options[choice]], idempotency_key=f"k{user.pk}")
    perform(item, "close_vote", staff, {})
    html = c.get(url).content.decode()
    assert "测评不满意待重新报告" in html and "未通过" in html and "不满意2票" in html


def test_a_published_item_shows_its_public_part_only(world, sup, client_for):
    staff = world.users["staff"]
    item = services.add_item(
        staff, None, "investigation", congress=world.city, title="关于农业四控的专题调研", body=sup["body"]
    )
    perform(item, "start", staff, {"team": [m.pk for m in sup["members"][:2]]})
    perform(item, "report", staff, {}, {"files": [upload("调研报告.txt")]})
    client = client_for("staff")
    response = client.post(
        f"/work/supervision/investigations/{item.pk}/activities/new/",
        {"kind": "site_visit", "on": "2020-06-01", "place": "", "note": "实地查看农田。"},
    )
    assert response.status_code == 200 and "实地查看农田。" in response.content.decode()
    client.post(
        f"/work/supervision/investigations/{item.pk}/activities/new/",
        {"kind": "site_visit", "on": "2020-06-01", "place": "临河区", "note": "实地查看农田。"},
    )
    assert Activity.objects.count() == 1
    perform(item, "conclude", staff, {"publish": "on"})
    url = f"/work/supervision/investigations/{item.pk}/"
    public = client_for("noroles").get(url).content.decode()
    assert item.title in public and "调研报告.txt" in public
    assert "办理过程" not in public and "检查组成员" not in public and "实地检查" not in public
    inside = client.get(url).content.decode()
    assert "办理过程" in inside and "检查组成员" in inside and "实地检查" in inside and "临河区" in inside


# ---------------------------------------------------------------- the staff's forms


def test_adding_items_keeps_what_was_typed_and_needs_a_reason_once_the_plan_is_adopted(world, sup, client_for):
    c = client_for("staff")
    base = {"title": "关于审计查出问题整改情况的报告", "body": sup["body"].pk, "organ": world.unit_a.pk}
    response = c.post("/work/supervision/new/", {**base, "kind": "law_inspection"})
    assert response.status_code == 200 and "执法检查须填写检查的法律法规。" in response.content.decode()
    assert "关于审计查出问题整改情况的报告" in response.content.decode()
    response = c.post("/work/supervision/new/", {**base, "kind": "work_report:audit_rectification", "key_item": "on"})
    item = WorkReport.objects.get()
    assert response["Location"] == f"/work/supervision/reports/{item.pk}/"
    assert item.kind == "audit_rectification" and item.key_item and item.state == "planned"
    plan = services.create_plan(world.users["staff"], world.city, 2020)
    meeting = core_services.create_committee_meeting(
        world.admin, world.term, 40, date(2020, 1, 10), kind="directors_meeting"
    )
    perform(plan, "adopt", world.users["director"], {"meeting": meeting.pk})
    more = {**base, "kind": "inquiry", "title": "关于大气污染防治的专题询问", "plan": plan.pk}
    response = c.post("/work/supervision/new/", more)
    assert "须说明调整理由" in response.content.decode() and "关于大气污染防治的专题询问" in response.content.decode()
    response = c.post("/work/supervision/new/", {**more, "reason": "市委新部署。"})
    assert response.status_code == 302
    assert client_for("member").post("/work/supervision/new/", more).status_code == 403


def test_questions_and_an_interpellation(world, sup, client_for):
    staff = world.users["staff"]
    inquiry = services.add_item(
        staff, None, "inquiry", congress=world.city, title="关于大气污染防治的专题询问", body=sup["body"]
    )
    c = client_for("staff")
    response = c.post(
        f"/work/supervision/inquiries/{inquiry.pk}/questions/new/",
        {
            "asker": f"m{sup['members'][1].person_id}",
            "question": "冬季燃煤污染如何治理？",
            "answerer": "张局长（市生态环境局局长）",
            "answer": "今年完成清洁取暖改造一万户。",
            "promises": "年底前完成城区燃煤锅炉淘汰。",
        },
    )
    assert response.status_code == 302
    q = InquiryQuestion.objects.get()
    assert q.order == 1 and q.promises.startswith("年底前")
    assert "冬季燃煤污染如何治理" in c.get(f"/work/supervision/inquiries/{inquiry.pk}/").content.decode()
    members = sup["members"]
    form = {
        "title": "关于校舍安全的质询案",
        "organ": world.unit_a.pk,
        "body": sup["body"].pk,
        "questions": "校舍安全隐患为何迟迟未整改？",
        "lead": members[0].pk,
        "proposers": [m.pk for m in members[1:3]],
    }
    response = c.post("/work/supervision/interpellations/new/", form)
    assert "须由常委会组成人员5人以上联名提出" in response.content.decode()
    assert "校舍安全隐患为何迟迟未整改" in response.content.decode()
    response = c.post("/work/supervision/interpellations/new/", {**form, "proposers": [m.pk for m in members[1:]]})
    case = Interpellation.objects.get()
    assert response["Location"] == f"/work/supervision/interpellations/{case.pk}/"
    html = client_for("director").get(response["Location"]).content.decode()
    assert "领衔提出：周主任" in html and "交受质询机关答复" in html


def test_dues_and_reading_cost_the_same_for_one_item_and_six(world, sup, client_for):
    staff, unit = world.users["staff"], world.users["unit"]

    def add(n):
        item = report(world, sup, n)
        perform(item, "schedule", staff, {"sitting": sup["sitting"].pk})
        perform(item, "submit_draft", unit, {}, {"files": [upload()]})
        perform(item, "submit_report", unit, {}, {"files": [upload()]})
        perform(item, "distribute", staff, {})
        other = report(world, sup, 100 + n)
        perform(other, "schedule", staff, {"sitting": sup["sitting"].pk})

    def count(client, url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    add(0)
    unit_client, member = client_for("unit"), client_for("director")
    few = count(unit_client, "/work/supervision/dues/"), count(member, "/work/supervision/reading/")
    for n in range(1, 6):
        add(n)
    assert (count(unit_client, "/work/supervision/dues/"), count(member, "/work/supervision/reading/")) == few
