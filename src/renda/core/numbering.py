"""One numbering mechanism for every numbered record (立案号, 备案登记号 …).

    next_number("filing.registration", 2020, congress=c, seed=...) -> 1, 2, 3 …

A counter row per (congress, sequence, year) is locked with SELECT … FOR UPDATE inside
the caller's transaction, so two registrations at once get different numbers, and a
rolled-back transaction gives its number back (no gap). The first use of a sequence
seeds the counter from the records already numbered (a database older than the
counter), through the caller's `seed` callable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import Congress, NumberSequence


def next_number(
    sequence: str,
    year: int | None = None,
    *,
    congress: Congress | int,
    seed: Callable[[], int | None] | None = None,
) -> int:
    """The next number of `sequence` (per `year`, or for good when year is None) in `congress`.

    Must run inside the transaction that stores the number: the lock is held until it
    ends. `seed()` returns the highest number already given without the counter (None
    or 0 when there is none); it is called only when the counter does not exist yet.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that stores the number.")
    congress_id = congress if isinstance(congress, int) else congress.pk
    key = {"congress_id": congress_id, "sequence": sequence, "year": year or 0}
    counter = NumberSequence.objects.select_for_update().filter(**key).first()
    if counter is None:
        try:
            with transaction.atomic():  # a savepoint: losing the race below leaves the transaction usable
                counter = NumberSequence.objects.create(**key, last=(seed() if seed else 0) or 0)
        except IntegrityError:
            # another transaction created the counter first: wait for its lock, then go on from its value
            counter = NumberSequence.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
