"""The demo year's sittings (issue 14 item 7): the 4th term's standing-committee sittings of
2020 (常委会第十九至二十五次会议, created by the supervision demo) with their roll, the
deputies and heads of the 一府一委两院 invited to observe (列席: 52 deputy person-times in the
seed), and their agendas.

The modules' demos put their cases on a sitting's agenda and open and close their votes through
`vote_at_sitting` / `close_at_sitting` — the hall's services, the chair's buttons — so that a
vote behind a decision is an agenda item's vote at a sitting with quorum. The roll of a sitting
is taken the first time a module asks for it (`take_roll`), whatever the order of the builders:
each sitting draws its absences from its own random stream."""

from __future__ import annotations

import random
from datetime import datetime, time

from django.utils import timezone

from renda.core import clock
from renda.core.models import CommitteeMeeting, Deputy, User
from renda.demo.context import SEED
from renda.workflow.engine import perform

from . import hall, services
from .models import AgendaItem, Attendance

Status = Attendance.Status

# Deputies invited to observe each sitting of 2020: 52 person-times (seed section 五).
OBSERVERS = {19: 7, 20: 7, 21: 8, 22: 7, 23: 8, 24: 7, 25: 8}
LEAVE_REASONS = ["因公出差", "因病请假", "参加自治区会议", "外出学习培训", "因事请假"]


def _staff():
    return User.objects.get(username="bangongshi")


def _at(day, minutes: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8, 30))) + timezone.timedelta(minutes=minutes)


def take_roll(sitting: CommitteeMeeting) -> None:
    """Record the members' attendance at `sitting` once: two to four on leave (granted before the
    sitting), at most one absent, the others present."""
    if Attendance.objects.filter(sitting=sitting).exists():
        return
    rng = random.Random(f"{SEED}-roll-{sitting.term_id}-{sitting.kind}-{sitting.number}")
    people = services.roll(sitting)
    chair, others = people[:1], people[1:]
    away = rng.sample(others, rng.randint(2, 4) + rng.randint(0, 1))
    absent = {away[-1].pk} if len(away) == 5 else set()  # the fifth one away has no leave
    staff = _staff()
    with clock.dated(_at(sitting.start_date)):
        for person in chair + others:
            if person.pk in absent:
                services.record_attendance(sitting, person, Status.ABSENT, staff)
            elif person in away:
                services.record_attendance(sitting, person, Status.ON_LEAVE, staff, reason=rng.choice(LEAVE_REASONS))
            else:
                services.record_attendance(sitting, person, Status.PRESENT, staff)


def on_agenda(sitting: CommitteeMeeting, case, transition: str, by) -> AgendaItem:
    """The agenda item of `case` for `transition` at `sitting`, put there the day before if missing."""
    take_roll(sitting)
    for item in AgendaItem.objects.filter(sitting=sitting, object_id=case.pk, transition=transition):
        if item.case == case:
            return item
    with clock.dated(_at(sitting.start_date, -24 * 60)):
        return services.add_item(sitting, case, transition, by)


def act_at_sitting(sitting: CommitteeMeeting, case, transition: str, by, data: dict | None = None):
    """An act done at the sitting (a reading, a deliberation, an inquiry held): on the agenda, then done."""
    on_agenda(sitting, case, transition, by)
    return perform(case, transition, by, data or {}, today=sitting.start_date)


def vote_at_sitting(sitting: CommitteeMeeting, case, transition: str, by, data: dict | None = None, **when):
    """Put `case` on the sitting's agenda for `transition` (if not there yet) and open its vote
    from the chair's console: the roll taken, quorum checked, the present members marked."""
    item = on_agenda(sitting, case, transition, by)
    hall.open_vote(item, by, data or {}, **(when or {"today": sitting.start_date}))
    return item


def close_at_sitting(item: AgendaItem, by, **when):
    """Close the item's open ballot from the console (the next person's vote, or the last)."""
    return hall.close_vote(item, by, **(when or {"today": item.sitting.start_date}))


def present_voters(ballot):
    """The voters marked present on `ballot` (from the sitting's roll), in a stable order."""
    return list(ballot.voters.filter(present=True).select_related("user").order_by("pk"))


def build(ctx) -> None:
    ctx.later.append(lambda: _build(ctx))


def _build(ctx) -> None:
    sittings = ctx.refs.get("sittings") or {}
    if not sittings:
        return
    rng = random.Random(f"{SEED}-observers")
    city = ctx.refs["city"]
    deputies = list(
        Deputy.objects.filter(congress=city, status=Deputy.Status.SERVING).select_related("person").order_by("pk")
    )
    invited: set[int] = set()
    for number, sitting in sorted(sittings.items()):
        take_roll(sitting)
        fresh = [d for d in deputies if d.pk not in invited]
        chosen = rng.sample(fresh if len(fresh) >= OBSERVERS[number] else deputies, OBSERVERS[number])
        invited.update(d.pk for d in chosen)
        services.add_observers(sitting, chosen)
