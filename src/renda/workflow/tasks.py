"""Background jobs: reminders before due dates and escalation of overdue cases.

Huey runs them daily (periodic tasks); tests and `renda deadlines` call the plain
functions directly.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from renda.core.services import notify

from .models import Deadline
from .registry import get


def _case_link(deadline):
    case_type = get(deadline.case_type)
    case = deadline.case
    url = case_type.url(case) if case_type.url and case is not None else ""
    title = getattr(case, "title", "") if case is not None else ""
    return case_type, case, url, title


def _claim(candidates, pk: int):
    """The deadline `pk`, locked, if it is still one of `candidates` — inside the caller's
    transaction. The list was read without a lock: another worker (two consumers, a re-run
    after a killed one) may have handled it since. On PostgreSQL a row another worker holds
    is skipped (it is being handled); SQLite serialises the transactions themselves
    (transaction_mode IMMEDIATE), so the re-check alone suffices there."""
    skip = connection.features.has_select_for_update_skip_locked
    return candidates.select_for_update(skip_locked=skip, of=("self",)).filter(pk=pk).first()


def send_reminders(today: date | None = None) -> int:
    """Notify the responsible users of each running deadline due within the reminder
    window, once per deadline (an extension re-arms it), however many workers run it."""
    today = today or timezone.localdate()
    sent = 0
    due_soon = Deadline.objects.due_within(settings.RENDA_REMINDER_DAYS, today).filter(reminded_at__isnull=True)
    for pk in list(due_soon.values_list("pk", flat=True)):
        with transaction.atomic():
            deadline = _claim(due_soon.select_related("handling_unit"), pk)
            if deadline is None:
                continue
            case_type, case, url, title = _case_link(deadline)
            users = list(case_type.responsible(deadline)) if case_type.responsible else []
            notify(
                users,
                f"【即将到期】{title}：{deadline.label}于{deadline.due_on:%Y年%m月%d日}到期",
                url,
                kind="reminder",
            )
            Deadline.objects.filter(pk=deadline.pk).update(reminded_at=timezone.now())
        sent += len(users)
    return sent


def escalate_overdue(today: date | None = None) -> int:
    """Alert the supervisors (and again the responsible users) of each overdue deadline, once."""
    today = today or timezone.localdate()
    sent = 0
    overdue = Deadline.objects.overdue(today).filter(escalated_at__isnull=True)
    for pk in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            deadline = _claim(overdue.select_related("handling_unit"), pk)
            if deadline is None:
                continue
            case_type, case, url, title = _case_link(deadline)
            users = set(case_type.supervisors(deadline)) if case_type.supervisors else set()
            users |= set(case_type.responsible(deadline)) if case_type.responsible else set()
            days = (today - deadline.due_on).days
            notify(users, f"【已逾期】{title}：{deadline.label}已逾期{days}天", url, kind="overdue")
            Deadline.objects.filter(pk=deadline.pk).update(escalated_at=timezone.now())
        sent += len(users)
    return sent


@db_periodic_task(crontab(hour="8", minute="0"))
def daily_deadline_jobs():
    return {"reminded": send_reminders(), "escalated": escalate_overdue()}
