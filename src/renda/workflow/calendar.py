"""Working days, months and calendar days for legal deadlines.

Order of authority for "is this a working day?": the CalendarDay overrides kept by
staff, then the chinesecalendar library (official holidays and make-up working days,
2004 up to the last year it covers), then the plain rule Monday-Friday. `covered(day)`
tells whether a day's answer is official or only provisional.
"""

from __future__ import annotations

import calendar as _cal
import time
from datetime import date, timedelta

import chinese_calendar

from .models import CalendarDay

# Overrides are read once per year and process, and re-read after OVERRIDES_TTL seconds
# so that an entry made in one process (a web worker) reaches the others (the job
# consumer) without a restart.
OVERRIDES_TTL = 300
_cache: dict[int, tuple[float, dict[date, bool]]] = {}


def _overrides(year: int) -> dict[date, bool]:
    now = time.monotonic()
    hit = _cache.get(year)
    if hit is None or now - hit[0] > OVERRIDES_TTL:
        hit = (now, dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")))
        _cache[year] = hit
    return hit[1]


def clear_cache() -> None:
    _cache.clear()


def set_override(by, day: date, is_workday: bool, name: str = "") -> CalendarDay:
    """Enter (or correct) one day's official arrangement: checked (rule `add` on
    CalendarDay), audited, and seen at once by this process."""
    from renda.core.scoping import require
    from renda.core.services import audit

    require(by, "add", CalendarDay)
    override, _ = CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name})
    audit(by, "update", override, {"date": day, "is_workday": is_workday, "name": name})
    clear_cache()
    return override


def covered(day: date) -> bool:
    """True when the day's status comes from an official source (override or library)."""
    if day in _overrides(day.year):
        return True
    try:
        chinese_calendar.is_workday(day)
        return True
    except NotImplementedError:
        return False


def is_workday(day: date) -> bool:
    override = _overrides(day.year).get(day)
    if override is not None:
        return override
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def holiday_name(day: date) -> str:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    if name is None:
        return ""
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return holiday.chinese + ("" if on_holiday else "调休上班")
    return ""


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)


def add_months(start: date, months: int) -> date:
    """Same day N months later; the month's last day when that day does not exist
    (a period starting on 31 August ends on 30 November)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, _cal.monthrange(year, month)[1]))


def add_working_days(start: date, days: int) -> date:
    """The N-th working day after `start` (the start day itself does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def subtract_working_days(start: date, days: int) -> date:
    """The N-th working day before `start` (the start day itself does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day, counted = start, 0
    while counted < days:
        day -= timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def next_workday(day: date) -> date:
    """`day` if it is a working day, else the first working day after it."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def previous_workday(day: date) -> date:
    """`day` if it is a working day, else the last working day before it."""
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_workday(start + timedelta(days=n)))


def describe_remaining(due: date, today: date) -> tuple[str, str]:
    """("剩余3个工作日", "ok") / ("今日到期", "soon") / ("逾期2天", "overdue")."""
    if due < today:
        return f"逾期{(today - due).days}天", "overdue"
    if due == today:
        return "今日到期", "soon"
    left = working_days_between(today, due)
    return f"剩余{left}个工作日", "soon" if left <= 5 else "ok"
