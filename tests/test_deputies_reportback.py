"""Report-back (述职, issue 15 item 6): the services and their state rules, who sees what (the
deputy their own, the congress's readers; another deputy, a unit, a county's staff do not find
it; the public only the evaluation form through its code), the attendees' evaluation (one per
device, no more than the attendees, only while open), the tally counted from records, the
committee's "not yet reported" page, constant queries on the lists, the metric and the archive."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.core import services as core_services
from renda.deputies import archive, demo_reportback
from renda.deputies import reportback as rb_services
from renda.deputies.models import ReportBack, ReportBackEvaluation
from renda.reports.metrics import Period, Scope, compute
from renda.workflow.models import Participation

DAY = date(2020, 6, 10)


def scheduled(world, deputy=None, by="staff", on=DAY):
    return rb_services.schedule(
        world.users[by], deputy or world.deputy, scheduled_on=on, unit_name="临河区人大常委会", place="临河区人大会议室"
    )


def held(world, deputy=None, attendees=3, on=DAY):
    rb = scheduled(world, deputy, on=on)
    return rb_services.record_held(
        world.users["staff"],
        rb,
        held_on=on,
        report="一年来认真履职。",
        attendees=attendees,
        attendee_names="张三、李四",
    )


def evaluating(world, **kw):
    return rb_services.open_evaluation(world.users["staff"], held(world, **kw))


def year(world):
    return Scope(world.city, Period.year(2020))


def test_the_states_move_only_forward_through_the_services(world):
    rb = scheduled(world)
    assert rb.state == "scheduled" and rb.congress_id == world.city.pk and rb.term_id == world.term.pk
    with pytest.raises(ValidationError):
        rb_services.open_evaluation(world.users["staff"], rb)  # not held yet
    rb = rb_services.record_held(world.users["staff"], rb, held_on=DAY, report="报告", attendees=2)
    assert rb.state == "held"
    rb_services.open_evaluation(world.users["staff"], rb)
    with pytest.raises(ValidationError):  # the evaluation has begun: the record is fixed
        rb_services.record_held(world.users["staff"], rb, held_on=DAY, report="改", attendees=5)
    rb_services.close_evaluation(world.users["staff"], rb)
    assert rb.state == "closed"
    with pytest.raises(ValidationError):
        rb_services.close_evaluation(world.users["staff"], rb)


def test_validation_in_chinese(world):
    with pytest.raises(ValidationError) as exc:
        rb_services.schedule(world.users["staff"], world.deputy, scheduled_on=date(2016, 1, 1), unit_name=" ", place="")
    errors = exc.value.message_dict
    assert errors["unit_name"] == ["请填写述职对象（原选举单位或选区）。"]
    assert errors["place"] == ["请填写述职地点。"]
    assert errors["scheduled_on"] == ["计划日期须在本届任期之内。"]
    rb = scheduled(world)
    with pytest.raises(ValidationError) as exc:
        rb_services.record_held(world.users["staff"], rb, held_on=date(2099, 1, 1), report=" ", attendees=0)
    errors = exc.value.message_dict
    assert errors == {
        "held_on": ["述职日期不能晚于今天。"],
        "report": ["请填写述职报告内容。"],
        "attendees": ["参加人数须为正整数。"],
    }
    with pytest.raises(ValidationError) as exc:
        scheduled(world, deputy=world.ended_deputy, on=date(2018, 1, 1))
    assert exc.value.message_dict["deputy"] == ["该代表资格已终止，不能安排述职。"]


def test_only_the_keepers_of_the_deputys_congress_schedule_and_record(world):
    for who in ("deputy", "director", "county_staff", "member"):
        with pytest.raises(PermissionDenied):
            scheduled(world, by=who)
    rb = scheduled(world)
    with pytest.raises(PermissionDenied):
        rb_services.record_held(world.users["deputy"], rb, held_on=DAY, report="报告", attendees=2)
    with pytest.raises(PermissionDenied):
        rb_services.open_evaluation(world.users["director"], rb)


def test_who_sees_a_report_back(world, client_for):
    rb = evaluating(world)
    url = reverse("deputies:reportback", args=[rb.pk])
    for role, status in {
        "deputy": 200,
        "staff": 200,
        "director": 200,
        "admin": 200,
        "other_deputy": 404,
        "county_staff": 404,
        "unit": 404,
        "member": 404,
    }.items():
        assert client_for(role).get(url).status_code == status, role
    # the public: not the page; the evaluation form only through the code
    assert client_for("public").get(url).status_code == 302
    public = client_for("public")
    page = public.get(rb.get_evaluation_url())
    assert page.status_code == 200 and "述职满意度测评" in page.content.decode()
    assert public.get(reverse("deputies_public:reportback_evaluate", args=[str(rb.pk)])).status_code == 404
    # the code is shown to the keepers only, while the evaluation is open
    assert rb.token in client_for("staff").get(url).content.decode()
    assert rb.token not in client_for("deputy").get(url).content.decode()
    # another deputy's list does not have it; the deputy's has
    lists = reverse("deputies:reportbacks")
    assert "临河区人大常委会" not in client_for("other_deputy").get(lists).content.decode()
    assert "临河区人大常委会" in client_for("deputy").get(lists).content.decode()


def test_the_attendees_evaluate_once_per_device_up_to_the_attendance(world, client_for):
    rb = evaluating(world, attendees=2)
    phone = client_for("public")
    url = rb.get_evaluation_url()
    phone.get(url)  # the device cookie is set on the first visit
    r = phone.post(url, {"rating": "satisfied", "comment": "报告实在"})
    assert r.status_code == 302 and r.url == reverse("deputies_public:reportback_thanks")
    assert "感谢您的评价" in phone.get(r.url).content.decode()
    again = phone.post(url, {"rating": "dissatisfied", "comment": "再来一次"})
    assert "您已经评价过本次述职" in again.content.decode()
    assert "再来一次" in again.content.decode()  # the form keeps what was typed
    # a second phone answers; a third finds the attendance reached
    assert client_for("public").post(url, {"rating": "basic"}).status_code == 302
    third = client_for("public").post(url, {"rating": "satisfied"})
    assert "评价人数已达到参加人数" in third.content.decode()
    # nothing chosen: refused in Chinese
    assert "请选择满意、基本满意或不满意。" in client_for("public").post(url, {}).content.decode()
    tally = rb_services.tally(rb)
    assert (tally.satisfied, tally.basic, tally.dissatisfied, tally.total, tally.rate) == (1, 1, 0, 2, "100.0%")
    assert ReportBackEvaluation.objects.filter(report_back=rb).count() == 2
    # the robot trap: nothing kept
    client_for("public").post(url, {"rating": "satisfied", "website": "x"})
    assert ReportBackEvaluation.objects.filter(report_back=rb).count() == 2
    # closed: the page says so and takes nothing
    rb_services.close_evaluation(world.users["staff"], rb)
    closed = client_for("public").get(url).content.decode()
    assert "满意度测评已结束" in closed and "提交评价" not in closed
    with pytest.raises(ValidationError):
        rb_services.evaluate(rb, {"rating": "satisfied"}, "another-device")


def test_the_keepers_pages_record_it_held_and_open_the_evaluation(world, client_for):
    staff = client_for("staff")
    r = staff.post(
        reverse("deputies:reportback_create"),
        {"deputy": world.deputy.pk, "scheduled_on": "2020-06-10", "unit_name": "临河区人大常委会", "place": "会议室"},
    )
    rb = ReportBack.objects.get()
    assert r.status_code == 302 and r.url == rb.get_absolute_url()
    bad = staff.post(reverse("deputies:reportback_held", args=[rb.pk]), {"held_on": "2020-06-10", "attendees": "0"})
    body = bad.content.decode()
    assert "请填写述职报告内容。" in body and "参加人数须为正整数。" in body and "2020-06-10" in body
    r = staff.post(
        reverse("deputies:reportback_held", args=[rb.pk]),
        {"held_on": "2020-06-10", "attendees": "25", "report": "述职报告全文", "attendee_names": ""},
    )
    assert r.status_code == 302
    staff.post(reverse("deputies:reportback_evaluation", args=[rb.pk]), {"action": "open"})
    rb.refresh_from_db()
    assert rb.state == "evaluating" and rb.attendees == 25
    page = staff.get(rb.get_absolute_url()).content.decode()
    assert "<svg" in page and rb.get_evaluation_url() in page


def test_not_yet_reported_this_term(world, client_for):
    url = reverse("deputies:reportbacks_pending")
    page = client_for("staff").get(url).content.decode()
    assert "王代表" in page and "李代表" in page and "赵代表" not in page  # ended mandates are not in office
    scheduled(world)  # scheduled only: still listed, as 已安排
    page = client_for("staff").get(url).content.decode()
    assert "王代表" in page and "已安排" in page
    held(world, deputy=world.other_deputy)
    page = client_for("staff").get(url).content.decode()
    assert "李代表" not in page and "王代表" in page
    assert [d.pk for d in rb_services.not_reported(world.term)] == [world.deputy.pk]
    assert client_for("deputy").get(url).status_code == 403


def _queries(c, url) -> int:
    c.get(url)  # warm the session and caches
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as q:
        assert c.get(url).status_code == 200
    return len(q.captured_queries)


def test_the_lists_issue_the_same_queries_for_few_or_many(world, client_for):
    from factories import person

    staff = client_for("staff")
    lists, pending = reverse("deputies:reportbacks"), reverse("deputies:reportbacks_pending")
    evaluating(world)
    few_list, few_pending = _queries(staff, lists), _queries(staff, pending)
    for n in range(6):
        deputy = core_services.create_deputy(
            world.admin,
            person=person(world.admin, f"新代表{n}"),
            term=world.term,
            elected_date=world.term.start_date,
        )
        if n % 2:
            rb = evaluating(world, deputy=deputy)
            rb_services.evaluate(rb, {"rating": "basic"}, f"d{n}")
    assert _queries(staff, lists) == few_list
    assert _queries(staff, pending) == few_pending
    assert _queries(client_for("deputy"), lists) <= few_list


def test_the_metric_and_the_archive_follow_a_report_back(world):
    before = compute("deputies.report_backs", year(world)).value
    scheduled(world)  # not held: not counted
    assert compute("deputies.report_backs", year(world)).value == before
    rb = held(world)
    result = compute("deputies.report_backs", year(world))
    assert result.value == before + 1
    p = Participation.objects.get(capacity="report_back", object_id=rb.pk)
    assert (p.deputy_id, p.on, p.url) == (world.deputy.pk, DAY, rb.get_absolute_url())
    entries = [e for e in archive.archive(world.deputy, 2020).entries if e.kind == "report_back"]
    assert [(e.kind_label, e.url) for e in entries] == [("述职", rb.get_absolute_url())]
    # corrected before the evaluation: the participation follows the day
    rb_services.record_held(world.users["staff"], rb, held_on=date(2020, 6, 12), report="改", attendees=3)
    assert Participation.objects.get(capacity="report_back", object_id=rb.pk).on == date(2020, 6, 12)
    assert not archive.archive(world.other_deputy, 2020).entries


def test_the_demo_on_a_small_world(world):
    ctx = SimpleNamespace(admin=world.admin, refs={"city": world.city})
    saved = demo_reportback.SCHEDULED_LATER, demo_reportback.SHARE_HELD
    demo_reportback.SCHEDULED_LATER, demo_reportback.SHARE_HELD = 1, 0.5  # the world has two serving deputies
    try:
        demo_reportback.build(ctx)
    finally:
        demo_reportback.SCHEDULED_LATER, demo_reportback.SHARE_HELD = saved
    held_ = ReportBack.objects.filter(held_on__year=2020)
    assert held_.exists() and ReportBack.objects.filter(state="scheduled").count() == 1
    assert compute("deputies.report_backs", year(world)).value == held_.count()
    for rb in held_:
        assert rb.state == "closed" and 0 < rb.evaluations.count() <= rb.attendees
    assert Participation.objects.filter(capacity="report_back").count() == held_.count()


def test_paper_forms_are_entered_in_one_go_under_the_same_cap(world):
    rb = evaluating(world, attendees=3)
    rb_services.evaluate(rb, {"rating": "satisfied"}, "phone-1")
    with pytest.raises(ValidationError) as exc:
        rb_services.record_paper_evaluations(world.users["staff"], rb, [{"rating": "basic"}, {"rating": "meh"}])
    assert exc.value.messages == ["第2份：请选择满意、基本满意或不满意。"]
    with pytest.raises(ValidationError):
        rb_services.record_paper_evaluations(world.users["staff"], rb, [{"rating": "basic"}] * 3)  # 4 > 3
    with pytest.raises(PermissionDenied):
        rb_services.record_paper_evaluations(world.users["deputy"], rb, [{"rating": "basic"}])
    saved = rb_services.record_paper_evaluations(
        world.users["staff"], rb, [{"rating": "basic"}, {"rating": "dissatisfied", "comment": "声音太小"}]
    )
    assert len({e.receipt for e in saved}) == 2
    tally = rb_services.tally(rb)
    assert (tally.satisfied, tally.basic, tally.dissatisfied, tally.rate) == (1, 1, 1, "66.7%")


def test_the_list_takes_any_year_in_the_address(world, client_for):
    """Review: ?year=0 or 99999 made a date out of range (ValueError, a 500); such a year is
    no filter."""
    scheduled(world)
    staff, url = client_for("staff"), reverse("deputies:reportbacks")
    for year in ("0", "99999", "9" * 30, "2020", "2019"):
        assert staff.get(url, {"year": year}).status_code == 200, year
    assert "临河区人大常委会" in staff.get(url, {"year": "99999"}).content.decode()
    assert "临河区人大常委会" not in staff.get(url, {"year": "2019"}).content.decode()
