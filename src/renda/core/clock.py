"""The time records are stamped with: now, or, while records of the past are entered
(a transition dated in the past, the demo year), the moment they happened."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

from django.utils import timezone

_dated: ContextVar[datetime | None] = ContextVar("dated", default=None)
OFFICE_HOURS = time(9, 0)  # a record dated by its day only happened when the office opened


def dated_at() -> datetime | None:
    """The moment being entered after the fact, or None when records are made now."""
    return _dated.get()


def now() -> datetime:
    return _dated.get() or timezone.now()


def on(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, OFFICE_HOURS))


@contextmanager
def dated(at: datetime | None):
    """Records created inside (cases, notifications) are stamped `at` (None: now)."""
    token = _dated.set(at)
    try:
        yield
    finally:
        _dated.reset(token)
