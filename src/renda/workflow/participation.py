"""Who took part in what (`Participation`): recorded by the modules (or by the engine,
for a transition that declares `participants`), read by the deputies' archive.

    record_participants(record, people, capacity, *, event=None, on=None)
    set_participants(record, people, capacity, *, on=None)      the list is the whole truth
    participations(person | deputy, period=None, capacity=None, user=None)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, QuerySet

from renda.core.models import Deputy, Person
from renda.core.scoping import visible

from .models import Event, Participation

Capacity = Participation.Capacity


def _who(p: Person | Deputy) -> tuple[int, int | None]:
    """(person id, deputy mandate id) of a person or a deputy mandate."""
    if isinstance(p, Deputy):
        return p.person_id, p.pk
    if isinstance(p, Person):
        return p.pk, None
    raise TypeError(f"a participant is a Person or a Deputy, not {type(p).__name__}")


def describe(record: Model) -> tuple[str, str]:
    """The short title and the URL kept with each row (so that lists need no join)."""
    title = getattr(record, "title", "") or str(record)
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    return title[:200], (url or "")[:200]


def record_participants(
    record: Model,
    people: Iterable[Person | Deputy],
    capacity: str,
    *,
    event: Event | None = None,
    on: date | None = None,
    congress_id: int | None = None,
) -> list[Participation]:
    """Record that `people` took part in `record` as `capacity`. Idempotent per record,
    person and capacity: a person already recorded so is left as they are. Returns the
    rows created."""
    from .engine import current_day

    capacity = Capacity(capacity)
    wanted = dict(_who(p) for p in people)  # person -> deputy (the last one given wins)
    if not wanted:
        return []
    content_type = ContentType.objects.get_for_model(record)
    have = set(
        Participation.objects.filter(
            content_type=content_type, object_id=record.pk, capacity=capacity, person__in=wanted
        ).values_list("person_id", flat=True)
    )
    label, url = describe(record)
    congress_id = congress_id or record.congress_id
    rows = [
        Participation(
            person_id=person,
            deputy_id=deputy,
            capacity=capacity,
            content_type=content_type,
            object_id=record.pk,
            event=event,
            congress_id=congress_id,
            on=on or (event.at.date() if event else current_day()),
            label=label,
            url=url,
        )
        for person, deputy in wanted.items()
        if person not in have
    ]
    return Participation.objects.bulk_create(rows)


@transaction.atomic
def set_participants(record: Model, people: Iterable[Person | Deputy], capacity: str, *, on: date) -> None:
    """Make `people` the whole list of `record`'s participants in `capacity` (a sign-in
    sheet edited): others are removed, the kept rows follow the record's date and title."""
    people = list(people)
    content_type = ContentType.objects.get_for_model(record)
    rows = Participation.objects.filter(content_type=content_type, object_id=record.pk, capacity=capacity)
    rows.exclude(person__in=[_who(p)[0] for p in people]).delete()
    label, url = describe(record)
    rows.update(on=on, label=label, url=url, congress_id=record.congress_id)
    record_participants(record, people, capacity, on=on)


def participations(
    who: Person | Deputy,
    period=None,
    capacity: str | Iterable[str] | None = None,
    *,
    user=None,
) -> QuerySet:
    """The rows of one person (every mandate) or of one deputy mandate, newest first; as
    `user` may see them when a user is given. `period` has `start` and `end` (inclusive).
    One query for any number of rows."""
    qs = Participation.objects.all() if user is None else visible(user, Participation)
    qs = qs.filter(deputy=who) if isinstance(who, Deputy) else qs.filter(person=who)
    if period is not None:
        qs = qs.filter(on__gte=period.start, on__lte=period.end)
    if capacity is not None:
        qs = qs.filter(capacity__in=[capacity] if isinstance(capacity, str) else list(capacity))
    return qs.select_related("person", "deputy", "congress").order_by("-on", "-id")
