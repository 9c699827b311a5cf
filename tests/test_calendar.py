"""The working-day calendar (renda.workflow.calendar), checked against chinese_calendar
itself, the CalendarDay overrides and the Monday–Friday fallback."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.workflow import calendar
from renda.workflow.models import CalendarDay

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _library_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


# The first year after 2026 the library does not cover (2027 with chinesecalendar 1.11).
UNCOVERED_YEAR = next(y for y in range(2027, 2100) if not _library_covers(y))


@pytest.fixture(autouse=True)
def fresh_cache():
    """The overrides are cached per year: start and end every test with an empty cache."""
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def official_workday(day: date) -> bool:
    """The oracle, without the module: the library, else Monday–Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def count_workdays(start: date, end: date) -> int:
    """Working days in (start, end], counted one by one with the oracle."""
    return sum(official_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


covered_dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))


# ------------------------------------------------------------- properties


@HYPOTHESIS
@given(day=st.dates(min_value=date(2015, 1, 1), max_value=date(UNCOVERED_YEAR, 12, 31)))
def test_is_workday_agrees_with_the_library(day):
    assert calendar.is_workday(day) == official_workday(day)
    assert calendar.covered(day) == (day.year < UNCOVERED_YEAR)


@HYPOTHESIS
@given(start=covered_dates, n=st.integers(min_value=0, max_value=60))
def test_add_working_days(start, n):
    result = calendar.add_working_days(start, n)
    if n == 0:
        assert result == start
    else:
        assert result > start
        assert official_workday(result), result
        assert calendar.is_workday(result)
        # It is the n-th working day: n of them in (start, result], and not n before it.
        assert count_workdays(start, result) == n
        assert count_workdays(start, result - timedelta(days=1)) == n - 1
    assert calendar.working_days_between(start, result) == n
    assert calendar.working_days_between(result, start) == -n


@HYPOTHESIS
@given(start=covered_dates, offset=st.integers(min_value=-400, max_value=400))
def test_working_days_between_counts_the_half_open_interval(start, offset):
    end = start + timedelta(days=offset)
    expected = count_workdays(start, end) if end >= start else -count_workdays(end, start)
    assert calendar.working_days_between(start, end) == expected


@HYPOTHESIS
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    months=st.integers(min_value=-36, max_value=36),
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(start, months):
    result = calendar.add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last = stdlib_calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last)


def test_add_months_examples():
    assert calendar.add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)  # leap year
    assert calendar.add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert calendar.add_months(date(2020, 8, 31), 3) == date(2020, 11, 30)
    assert calendar.add_months(date(2020, 11, 15), 2) == date(2021, 1, 15)
    assert calendar.add_months(date(2020, 3, 31), -1) == date(2020, 2, 29)
    assert calendar.add_months(date(2020, 5, 20), 0) == date(2020, 5, 20)
    assert calendar.add_days(date(2020, 12, 25), 10) == date(2021, 1, 4)


def test_add_working_days_refuses_negative_counts():
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2020, 1, 1), -1)


# ------------------------------------------------------------- known facts


def test_known_holidays_and_make_up_days():
    # National Day 2020 (with the Mid-Autumn Festival): 1–8 October off, Sunday
    # 27 September and Saturday 10 October worked.
    assert calendar.is_workday(date(2020, 10, 10))
    assert calendar.is_workday(date(2020, 9, 27))
    assert not calendar.is_workday(date(2020, 10, 5))  # a Monday, on holiday
    assert not any(calendar.is_workday(date(2020, 10, d)) for d in range(1, 9))
    # Spring Festival 2021: Sunday 7 February was a make-up working day.
    assert date(2021, 2, 7).weekday() == 6 and calendar.is_workday(date(2021, 2, 7))
    assert not calendar.is_workday(date(2021, 2, 12))  # 除夕后的初一
    assert calendar.add_working_days(date(2020, 9, 28), 15) == date(2020, 10, 26)
    assert calendar.add_working_days(date(2020, 9, 30), 1) == date(2020, 10, 9)
    assert calendar.working_days_between(date(2020, 9, 30), date(2020, 10, 11)) == 2  # 9 and 10 October


def test_holiday_names():
    assert calendar.holiday_name(date(2020, 10, 1)) == "国庆节"
    assert calendar.holiday_name(date(2020, 10, 10)) == "国庆节调休上班"
    assert calendar.holiday_name(date(2020, 10, 12)) == ""
    assert calendar.holiday_name(date(UNCOVERED_YEAR, 10, 1)) == ""


# ------------------------------------------------------------- overrides and fallback


def test_overrides_take_precedence():
    holiday, workday = date(2020, 10, 12), date(2020, 10, 11)  # a Monday worked, a Sunday off
    assert calendar.is_workday(holiday) and not calendar.is_workday(workday)
    CalendarDay.objects.create(date=holiday, is_workday=False, name="临时放假")
    CalendarDay.objects.create(date=workday, is_workday=True, name="临时调休上班")
    calendar.clear_cache()  # the overrides are cached per year
    assert not calendar.is_workday(holiday)
    assert calendar.is_workday(workday)
    assert calendar.covered(holiday)
    # 15 working days from 28 September now take the Sunday and skip the Monday.
    assert calendar.add_working_days(date(2020, 9, 28), 15) == date(2020, 10, 26)
    assert calendar.add_working_days(date(2020, 10, 9), 2) == date(2020, 10, 11)
    assert calendar.working_days_between(date(2020, 10, 9), date(2020, 10, 13)) == 3  # 10, 11, 13


def test_fallback_beyond_the_library():
    year = UNCOVERED_YEAR
    jan = [date(year, 1, d) for d in range(1, 32)]
    assert not any(calendar.covered(d) for d in jan)
    for d in jan:
        assert calendar.is_workday(d) == (d.weekday() < 5), d
    # 1 January is a weekday and no holiday is known yet: a working day, provisionally.
    new_year = date(year, 1, 1)
    monday = next(d for d in jan if d.weekday() == 0)
    saturday = next(d for d in jan if d.weekday() == 5)
    CalendarDay.objects.create(date=new_year, is_workday=False, name="元旦")
    CalendarDay.objects.create(date=monday, is_workday=False, name="放假")
    CalendarDay.objects.create(date=saturday, is_workday=True, name="调休上班")
    calendar.clear_cache()
    assert calendar.covered(new_year) and calendar.covered(monday) and calendar.covered(saturday)
    assert not any(calendar.covered(d) for d in jan if d not in (new_year, monday, saturday))
    assert not calendar.is_workday(new_year) and not calendar.is_workday(monday) and calendar.is_workday(saturday)
    expected = sum(d == saturday or (d.weekday() < 5 and d != monday) for d in jan[1:])
    assert calendar.working_days_between(new_year, date(year, 1, 31)) == expected


@HYPOTHESIS
@given(
    start=st.dates(min_value=date(UNCOVERED_YEAR, 1, 1), max_value=date(UNCOVERED_YEAR, 10, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_add_working_days_beyond_the_library_counts_weekdays(start, n):
    result = calendar.add_working_days(start, n)
    assert result.weekday() < 5
    weekdays = sum((start + timedelta(days=i)).weekday() < 5 for i in range(1, (result - start).days + 1))
    assert weekdays == n
    # n weekdays span at most n + 2 * (n // 5 + 1) calendar days.
    assert (result - start).days <= n + 2 * (n // 5 + 1)


# ------------------------------------------------------------- describe_remaining


def test_describe_remaining_examples():
    assert calendar.describe_remaining(date(2020, 10, 26), date(2020, 10, 29)) == ("逾期3天", "overdue")
    assert calendar.describe_remaining(date(2020, 10, 26), date(2020, 10, 27)) == ("逾期1天", "overdue")
    assert calendar.describe_remaining(date(2020, 10, 26), date(2020, 10, 26)) == ("今日到期", "soon")
    # Across National Day: only 9 October is a working day after 30 September.
    assert calendar.describe_remaining(date(2020, 10, 9), date(2020, 9, 30)) == ("剩余1个工作日", "soon")
    assert calendar.describe_remaining(date(2020, 10, 26), date(2020, 9, 28)) == ("剩余15个工作日", "ok")
    assert calendar.describe_remaining(date(2020, 10, 19), date(2020, 10, 12)) == ("剩余5个工作日", "soon")
    assert calendar.describe_remaining(date(2020, 10, 20), date(2020, 10, 12)) == ("剩余6个工作日", "ok")


@HYPOTHESIS
@given(due=covered_dates, offset=st.integers(min_value=-90, max_value=90))
def test_describe_remaining(due, offset):
    today = due - timedelta(days=offset)
    text, level = calendar.describe_remaining(due, today)
    if offset < 0:
        assert (text, level) == (f"逾期{-offset}天", "overdue")
    elif offset == 0:
        assert (text, level) == ("今日到期", "soon")
    else:
        left = count_workdays(today, due)
        assert text == f"剩余{left}个工作日"
        assert level == ("soon" if left <= 5 else "ok")


def test_overrides_made_elsewhere_are_seen_after_the_ttl(monkeypatch):
    """Another process (a web worker) adds an override: this one sees it once its cached
    copy is older than OVERRIDES_TTL, without clear_cache()."""
    day = date(2026, 3, 2)  # a Monday
    assert calendar.is_workday(day)
    CalendarDay.objects.create(date=day, is_workday=False, name="另一进程录入")
    assert calendar.is_workday(day)  # still the cached copy
    monkeypatch.setattr(calendar, "OVERRIDES_TTL", -1)
    assert not calendar.is_workday(day)
