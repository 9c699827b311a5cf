"""Clocks counted from a date of the case (a sitting) rather than from the act that starts
them, backwards ("二十日前") and forwards over a configured number of months, moved off rest
days (the official 2020/2021 holiday arrangements)."""

from datetime import date
from types import SimpleNamespace

import pytest

from renda.workflow import calendar
from renda.workflow.engine import DeadlineRule

pytestmark = pytest.mark.django_db


def sitting(day):
    return SimpleNamespace(sitting_on=day)


DRAFT = DeadlineRule(
    "draft", "报送初稿", days=20, anchor=lambda c: c.sitting_on, anchor_label="会议举行", before=True, workday=True
)
FINAL = DeadlineRule(
    "final", "报送正式报告", days=10, anchor=lambda c: c.sitting_on, anchor_label="会议举行", before=True, workday=True
)
READ = DeadlineRule(
    "read", "印发组成人员", days=7, anchor=lambda c: c.sitting_on, anchor_label="会议举行", before=True, workday=True
)
RESPONSE = DeadlineRule(
    "response", "报送研究处理情况", months_setting="RENDA_SUPERVISION_RESPONSE_MONTHS", workday=True
)


def test_backwards_from_the_sitting_and_off_the_national_day_holiday():
    case = sitting(date(2020, 10, 9))  # the first working day after the 2020 National Day holiday
    # 20 days before is Saturday 19 September (a rest day): the draft is due on Friday the 18th
    assert DRAFT.due_for(case, date(2020, 3, 1)) == date(2020, 9, 18)
    assert FINAL.due_for(case, date(2020, 3, 1)) == date(2020, 9, 29)  # a Tuesday, a working day
    # 7 days before is 2 October, inside the holiday (1–8 October): the last working day before it
    assert READ.due_for(case, date(2020, 3, 1)) == date(2020, 9, 30)
    assert not calendar.is_workday(date(2020, 10, 2))


def test_a_make_up_working_day_is_a_working_day():
    # Sunday 27 September 2020 was worked (调休上班): 12 days before a sitting on 9 October falls on it
    rule = DeadlineRule("x", "x", days=12, anchor=lambda c: c.sitting_on, before=True, workday=True)
    assert rule.due_for(sitting(date(2020, 10, 9)), date(2020, 3, 1)) == date(2020, 9, 27)


def test_no_anchor_date_means_no_clock_yet():
    assert DRAFT.due_for(sitting(None), date(2020, 3, 1)) is None


def test_the_response_period_is_a_setting_and_ends_on_a_working_day(settings):
    settings.RENDA_SUPERVISION_RESPONSE_MONTHS = 3
    # opinions sent 30 October 2020: three months end on Saturday 30 January 2021 → Monday 1 February
    assert RESPONSE.due(date(2020, 10, 30)) == date(2021, 2, 1)
    assert RESPONSE.text == "3个月"
    settings.RENDA_SUPERVISION_RESPONSE_MONTHS = 2
    assert RESPONSE.due(date(2020, 10, 30)) == date(2020, 12, 30)
    assert RESPONSE.text == "2个月"
    settings.RENDA_SUPERVISION_RESPONSE_MONTHS = 6
    # 30 April 2021 is a Friday; six months from 30 October 2020 is that day
    assert RESPONSE.due(date(2020, 10, 30)) == date(2021, 4, 30)


def test_texts_name_the_anchor():
    assert DRAFT.text == "会议举行20日前"
    assert DeadlineRule("due", "整改期限", anchor=lambda c: None, anchor_label="整改期限").text == "整改期限"


def test_working_days_backwards():
    # 3 working days before Monday 5 October 2020 (holiday): 28, 29, 30 September → 28th
    assert calendar.subtract_working_days(date(2020, 10, 5), 3) == date(2020, 9, 28)


def test_days_before_the_sitting_may_be_a_setting(settings):
    rule = DeadlineRule(
        "submit", "提请任免案", days_setting="RENDA_APPOINTMENT_SUBMIT_DAYS", anchor=lambda c: c.sitting_on,
        anchor_label="会议举行", before=True, workday=True,
    )  # fmt: skip
    settings.RENDA_APPOINTMENT_SUBMIT_DAYS = 7
    assert rule.due_for(sitting(date(2020, 10, 9)), date(2020, 3, 1)) == date(2020, 9, 30)  # 2 October: holiday
    assert rule.text == "会议举行7日前"
    settings.RENDA_APPOINTMENT_SUBMIT_DAYS = 10
    assert rule.due_for(sitting(date(2020, 10, 9)), date(2020, 3, 1)) == date(2020, 9, 29)
    assert rule.text == "会议举行10日前"
