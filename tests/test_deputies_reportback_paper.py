"""Report-back (述职): the page that enters the hall's paper evaluation forms (录入纸质测评表) —
the keepers only, while the evaluation is open, three counts checked in Chinese, all or none
under the attendance cap, the tally following; GET writes nothing, bad input never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from renda.core.models import AuditEntry
from renda.deputies import reportback as rb_services
from renda.deputies.models import ReportBackEvaluation

DAY = date(2020, 6, 10)


def evaluating(world, attendees=10, deputy=None, by="staff"):
    staff = world.users[by]
    rb = rb_services.schedule(
        staff, deputy or world.deputy, scheduled_on=DAY, unit_name="临河区人大常委会", place="临河区人大会议室"
    )
    rb = rb_services.record_held(staff, rb, held_on=DAY, report="一年来认真履职。", attendees=attendees)
    return rb_services.open_evaluation(staff, rb)


def url(rb):
    return reverse("deputies:reportback_paper", args=[rb.pk])


def stored(rb):
    return ReportBackEvaluation.objects.filter(report_back=rb).count()


def counts(satisfied="", basic="", dissatisfied=""):
    return {"satisfied": satisfied, "basic": basic, "dissatisfied": dissatisfied}


def test_a_keeper_enters_the_counts_and_the_tally_follows(world, client_for):
    rb = evaluating(world, attendees=10)
    staff = client_for("staff")
    page = staff.get(rb.get_absolute_url()).content.decode()
    assert "录入纸质测评表" in page and url(rb) in page and "最多还可录入 10 份" in page
    r = staff.post(url(rb), counts("5", "2", "1"))
    assert r.status_code == 302 and r.url == rb.get_absolute_url()
    page = staff.get(r.url).content.decode()
    assert "已录入纸质测评表8份（满意5份、基本满意2份、不满意1份）。" in page
    tally = rb_services.tally(rb)
    assert (tally.satisfied, tally.basic, tally.dissatisfied, tally.total, tally.rate) == (5, 2, 1, 8, "87.5%")
    # a blank count is 0; a second batch adds to the first
    assert staff.post(url(rb), counts(basic="2")).status_code == 302
    assert rb_services.tally(rb).basic == 4 and stored(rb) == 10
    assert set(ReportBackEvaluation.objects.filter(report_back=rb).values_list("device", flat=True)) == {
        f"paper-{i}" for i in range(10)
    }
    assert AuditEntry.objects.filter(action="paper_evaluations", object_id=str(rb.pk)).count() == 2
    # the administrator of the congress too
    rb2 = evaluating(world, attendees=3)
    assert client_for("admin").post(url(rb2), counts("1")).status_code == 302 and stored(rb2) == 1


def test_over_the_attendance_refused_in_chinese_and_nothing_stored(world, client_for):
    rb = evaluating(world, attendees=5)
    phone = Client()
    phone.post(rb.get_evaluation_url(), {"rating": "satisfied"})  # one answer from a phone
    assert stored(rb) == 1
    staff = client_for("staff")
    # 4 + 1 = 5 fit the form's own check, but with the phone's answer there would be 6 > 5:
    # the service refuses under its lock, nothing of the batch is kept
    r = staff.post(url(rb), counts("2", "1", "2"))
    body = r.content.decode()
    assert r.status_code == 200 and "评价人数将超过参加人数，请核实。" in body
    assert 'value="2"' in body and 'value="1"' in body  # the form keeps what was typed
    assert stored(rb) == 1
    # more than the attendance on its own: the form says so with the figures
    r = staff.post(url(rb), counts("4", "2"))
    assert "合计6份，超过参加人数（5人），请核实。" in r.content.decode() and stored(rb) == 1
    assert not AuditEntry.objects.filter(action="paper_evaluations", object_id=str(rb.pk)).exists()
    # exactly up to the cap: accepted
    assert staff.post(url(rb), counts("3", "1")).status_code == 302 and stored(rb) == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (counts("-1", "2"), "份数不能为负数。"),
        (counts("三", "2"), "请填写整数份数。"),
        (counts("1.5"), "请填写整数份数。"),
        (counts("1e3"), "请填写整数份数。"),
        (counts("100001"), "份数过大，请核实。"),
        (counts("9" * 5000), "请填写整数份数。"),  # beyond Python's digits limit: invalid, not a 500
        (counts("99999999999999999999999"), "份数过大，请核实。"),
        (counts(), "请至少填写一项份数（大于0）。"),
        (counts("0", "0", "0"), "请至少填写一项份数（大于0）。"),
        ({}, "请至少填写一项份数（大于0）。"),
    ],
)
def test_bad_input_gives_form_errors_never_a_500(world, client_for, data, message):
    rb = evaluating(world, attendees=10)
    r = client_for("staff").post(url(rb), data)
    body = r.content.decode()
    assert r.status_code == 200 and message in body, body[-2000:]
    assert stored(rb) == 0


def test_who_may_enter_paper_forms(world, client_for):
    rb = evaluating(world, attendees=10)
    # the deputy and the director read the report-back but may not act; another congress's
    # staff, another deputy, a unit, a member do not find it; the public signs in first
    for role, status in {
        "deputy": 403,
        "director": 403,
        "county_staff": 404,
        "other_deputy": 404,
        "unit": 404,
        "member": 404,
        "public": 302,
    }.items():
        assert client_for(role).post(url(rb), counts("1")).status_code == status, role
        assert client_for(role).get(url(rb)).status_code == status, role
    assert stored(rb) == 0
    # the deputy's and director's pages carry no such form
    for role in ("deputy", "director"):
        assert "录入纸质测评表" not in client_for(role).get(rb.get_absolute_url()).content.decode()
    # a county deputy's report-back: the county's staff are its keepers
    county_rb = evaluating(world, attendees=4, deputy=world.county_deputy, by="county_staff")
    assert client_for("county_staff").post(url(county_rb), counts("1")).status_code == 302
    assert stored(county_rb) == 1


def test_get_writes_nothing_and_post_needs_the_csrf_token(world, client_for):
    rb = evaluating(world, attendees=10)
    staff = client_for("staff")
    page = staff.get(url(rb), counts("3"))  # counts in the query string are ignored
    assert page.status_code == 200 and "录入纸质测评表" in page.content.decode()
    assert stored(rb) == 0
    assert staff.put(url(rb)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["staff"])
    assert strict.post(url(rb), counts("3")).status_code == 403
    assert stored(rb) == 0


def test_only_while_the_evaluation_is_open(world, client_for):
    staff = client_for("staff")
    rb = evaluating(world, attendees=10)
    rb_services.close_evaluation(world.users["staff"], rb)
    r = staff.post(url(rb), counts("3"))
    assert r.status_code == 302 and r.url == rb.get_absolute_url()
    page = staff.get(r.url).content.decode()
    assert "满意度测评未开启或已结束，不能录入纸质测评表。" in page and url(rb) not in page
    assert stored(rb) == 0
    # held, not yet open: the same
    held = rb_services.record_held(
        world.users["staff"],
        rb_services.schedule(world.users["staff"], world.deputy, scheduled_on=DAY, unit_name="单位", place="会议室"),
        held_on=DAY,
        report="报告",
        attendees=5,
    )
    assert staff.post(url(held), counts("1")).status_code == 302 and stored(held) == 0


def test_the_service_rechecks_the_state_under_its_lock(world):
    """A keeper's page loaded while open, the evaluation closed meanwhile: nothing is entered."""
    rb = evaluating(world, attendees=10)
    stale = type(rb).objects.get(pk=rb.pk)
    rb_services.close_evaluation(world.users["staff"], rb)
    with pytest.raises(ValidationError, match="满意度测评未开启或已结束"):
        rb_services.record_paper_evaluations(world.users["staff"], stale, [{"rating": "satisfied"}])
    assert stored(rb) == 0
