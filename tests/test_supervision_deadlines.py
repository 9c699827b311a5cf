"""The supervision clocks on real cases (SUP-3, SUP-4): reports due 20/10/7 days before the
sitting, moved back off the Spring Festival and National Day holidays of 2020/2021 (make-up
working days count); the response period read from the setting (2, 3 or 6 months) and moved
forward off a rest day; a sitting put off moves the running clocks; reminders go to the organ's
users (or to the staff for the staff's own clock) and an overdue response escalates to the
staff and directors, through workflow.tasks."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from renda.core.models import Notification
from renda.workflow import calendar, tasks
from renda.workflow.engine import perform
from renda.workflow.models import Deadline
from sup_helpers import body, sitting, text_file, work_report

pytestmark = pytest.mark.django_db

OPINIONS = "一、加强大气污染联防联控。二、加快乌梁素海综合治理。"


def dues(case):
    return {d.key: d.due_on for d in Deadline.objects.for_case(case).exclude(status=Deadline.Status.STOPPED)}


def scheduled(world, on):
    report = work_report(world, body(world), on=date(on.year - 1, 12, 1))
    perform(report, "schedule", world.users["staff"], {"sitting": sitting(world, on.toordinal() % 1000, on).pk})
    return report


@pytest.mark.parametrize(
    "sitting_on, draft, final, read",
    [
        # 2020 Spring Festival (24 Jan – 2 Feb): 20 days before 21 Feb is Sat 1 Feb, in the holiday → Thu 23 Jan
        (date(2020, 2, 21), date(2020, 1, 23), date(2020, 2, 11), date(2020, 2, 14)),
        # 2021 Spring Festival (11–17 Feb): 10 and 7 days before 24 Feb are Sun 14 and Wed 17 Feb → Wed 10 Feb
        (date(2021, 2, 24), date(2021, 2, 4), date(2021, 2, 10), date(2021, 2, 10)),
        # Sat 20 Feb 2021 was worked (调休上班): 10 days before 2 March falls on it and stays
        (date(2021, 3, 2), date(2021, 2, 10), date(2021, 2, 20), date(2021, 2, 23)),
        # 2020 National Day (1–8 Oct): 7 days before 9 Oct is 2 Oct → Wed 30 Sep; 20 days → Sat 19 → Fri 18 Sep
        (date(2020, 10, 9), date(2020, 9, 18), date(2020, 9, 29), date(2020, 9, 30)),
        # 2021 National Day (1–7 Oct): 10 days before 15 Oct is 5 Oct → Thu 30 Sep; 20 days is Sat 25 Sep → Fri 24
        (date(2021, 10, 15), date(2021, 9, 24), date(2021, 9, 30), date(2021, 10, 8)),
    ],
)
def test_reports_due_before_the_sitting_off_the_holidays(world, sitting_on, draft, final, read):
    report = scheduled(world, sitting_on)
    assert dues(report) == {"draft": draft, "final": final}
    clock = Deadline.objects.for_case(report).get(key="draft")
    assert (clock.handling_unit, clock.original_due_on) == (world.unit_a, draft)
    assert (clock.rule, clock.citation[:6]) == ("会议举行20日前", "监督法第十四")
    unit = world.users["unit"]
    perform(report, "submit_draft", unit, {}, {"files": [text_file()]}, today=draft)
    perform(report, "submit_report", unit, {}, {"files": [text_file("正式报告.txt")]}, today=final)
    assert dues(report) == {"read": read}
    for day in (draft, final, read):
        assert calendar.is_workday(day)


@pytest.mark.parametrize(
    "months, sent_on, due",
    [
        (2, date(2020, 12, 14), date(2021, 2, 18)),  # 14 Feb 2021, the Spring Festival → Thu 18 Feb
        (3, date(2020, 11, 12), date(2021, 2, 18)),  # 12 Feb 2021, the Spring Festival → Thu 18 Feb
        (6, date(2020, 8, 14), date(2021, 2, 18)),
        (6, date(2021, 4, 3), date(2021, 10, 8)),  # 3 Oct 2021, National Day → Fri 8 Oct
        (3, date(2020, 7, 1), date(2020, 10, 9)),  # 1 Oct 2020 → Fri 9 Oct (the 2020 holiday ran to the 8th)
        (2, date(2020, 10, 30), date(2020, 12, 30)),  # a working day stays
    ],
)
def test_the_response_period_is_the_setting_and_ends_on_a_working_day(world, settings, months, sent_on, due):
    settings.RENDA_SUPERVISION_RESPONSE_MONTHS = months
    inquiry = _heard_inquiry(world, sent_on)
    perform(inquiry, "send_opinions", world.users["staff"], {"opinions": OPINIONS}, today=sent_on)
    clock = Deadline.objects.for_case(inquiry).get(key="response")
    assert (clock.started_on, clock.due_on, clock.handling_unit) == (sent_on, due, world.unit_a)
    assert calendar.is_workday(clock.due_on)


def _heard_inquiry(world, before):
    from renda.supervision import services

    inquiry = services.add_item(
        world.users["staff"],
        None,
        "inquiry",
        congress=world.city,
        title="关于大气污染防治工作情况的专题询问",
        body=body(world),
        organ=world.unit_a,
        on=date(before.year - 1, 12, 1),
    )
    meeting = sitting(world, 30, before)
    perform(inquiry, "schedule", world.users["staff"], {"sitting": meeting.pk}, today=date(before.year - 1, 12, 2))
    perform(inquiry, "hold", world.users["staff"], {}, today=before)
    return inquiry


def test_rescheduling_the_sitting_moves_the_running_clocks(world):
    staff, unit = world.users["staff"], world.users["unit"]
    report = scheduled(world, date(2020, 10, 9))
    assert dues(report) == {"draft": date(2020, 9, 18), "final": date(2020, 9, 29)}
    later = sitting(world, 22, date(2020, 12, 25))
    with pytest.raises(ValidationError):  # a reason is required
        perform(report, "reschedule", staff, {"sitting": later.pk})
    perform(report, "reschedule", staff, {"sitting": later.pk, "note": "会议推迟至12月下旬。"}, today=date(2020, 9, 1))
    # 20 days before 25 Dec is Sat 5 Dec → Fri 4 Dec; 10 days before is Tue 15 Dec
    assert dues(report) == {"draft": date(2020, 12, 4), "final": date(2020, 12, 15)}
    draft = Deadline.objects.for_case(report).get(key="draft")
    assert draft.original_due_on == date(2020, 9, 18)  # what was first asked stays on record
    assert Notification.objects.filter(user=unit, text__contains="审议会议调整为").exists()

    # once the draft is in, only the clocks still running move
    perform(report, "submit_draft", unit, {}, {"files": [text_file()]}, today=date(2020, 12, 1))
    earlier = sitting(world, 23, date(2020, 12, 18))
    perform(report, "reschedule", staff, {"sitting": earlier.pk, "note": "会议提前。"}, today=date(2020, 12, 2))
    assert dues(report) == {"final": date(2020, 12, 8)}
    draft.refresh_from_db()
    assert (draft.status, draft.due_on) == (Deadline.Status.STOPPED, date(2020, 12, 4))


def test_reminders_to_the_organ_and_escalation_of_an_overdue_response(world, settings):
    settings.RENDA_SUPERVISION_RESPONSE_MONTHS = 3
    settings.RENDA_REMINDER_DAYS = 7
    staff, unit = world.users["staff"], world.users["unit"]
    inquiry = _heard_inquiry(world, date(2020, 10, 30))
    perform(inquiry, "send_opinions", staff, {"opinions": OPINIONS}, today=date(2020, 10, 30))
    assert dues(inquiry) == {"response": date(2021, 2, 1)}
    url = inquiry.get_absolute_url()

    assert tasks.send_reminders(date(2021, 1, 20)) == 0  # not yet within the reminder window
    tasks.send_reminders(date(2021, 1, 27))
    reminded = Notification.objects.filter(kind="reminder", url=url)
    assert set(reminded.values_list("user__username", flat=True)) == {"unit"}  # the organ's users, not another's
    assert "2021年02月01日到期" in reminded.get().text
    tasks.send_reminders(date(2021, 1, 28))
    assert reminded.count() == 1  # once per clock

    assert tasks.escalate_overdue(date(2021, 2, 1)) == 0  # due today is not overdue
    tasks.escalate_overdue(date(2021, 2, 4))
    overdue = Notification.objects.filter(kind="overdue", url=url)
    assert set(overdue.values_list("user__username", flat=True)) == {"staff", "director", "unit"}
    assert all("逾期3天" in n.text for n in overdue)
    tasks.escalate_overdue(date(2021, 2, 5))
    assert overdue.count() == 3  # once

    # 催办 by the staff goes to the organ too; the response stops the clock
    perform(inquiry, "remind", staff, {"note": "请尽快报送研究处理情况。"}, today=date(2021, 2, 5))
    assert Notification.objects.filter(user=unit, text__contains="催办：请尽快报送").exists()
    perform(
        inquiry, "respond", unit, {"response": "已逐项落实审议意见。", "signed_by": "张局长"}, today=date(2021, 2, 8)
    )
    assert dues(inquiry) == {}
    assert Deadline.objects.overdue(date(2021, 3, 1)).filter(pk__in=Deadline.objects.for_case(inquiry)).count() == 0


def test_the_staff_own_clock_reminds_the_staff(world, settings):
    settings.RENDA_REMINDER_DAYS = 5
    report = scheduled(world, date(2020, 10, 9))
    unit = world.users["unit"]
    perform(report, "submit_draft", unit, {}, {"files": [text_file()]}, today=date(2020, 9, 17))
    perform(report, "submit_report", unit, {}, {"files": [text_file("正式报告.txt")]}, today=date(2020, 9, 28))
    # 印发组成人员 (due 30 Sep) is the staff's to do: the reminder goes to them
    tasks.send_reminders(date(2020, 9, 28))
    read = Notification.objects.filter(kind="reminder", text__contains="印发组成人员")
    assert set(read.values_list("user__username", flat=True)) == {"staff"}
