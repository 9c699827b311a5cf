"""Voting in the hall (issue 14 items 3–4): the chair opens and closes the vote on an agenda
item, the members vote on their phones (the ballots' own page), the hall screen shows the count.

    vote_of(item)               the item's SittingVote (manifests' `sitting_votes`), or None
    ballots_of(item)            the ballot(s) about its case
    open_vote(item, by, data)   quorum first, then the item's transition (its effect opens the ballot)
    close_vote(item, by)        the closing transition the manifest declares (or its `step`)
    status(sitting, user)       what the console, the screen and live.json show: counts, never choices
    check_quorum(ballot)        the ballots.ballot_opening receiver: any opening, from any page

The ballot is the ballots module's; this module knows no case type by name."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from renda.ballots import motions
from renda.ballots import services as ballots
from renda.ballots.models import Ballot, Voter
from renda.core.models import CommitteeMeeting
from renda.core.scoping import allowed
from renda.manifest import SittingVote, manifests
from renda.workflow import registry
from renda.workflow.engine import current_day, perform

from .models import AgendaItem, Attendance
from .services import quorum


@cache
def sitting_votes() -> dict[str, SittingVote]:
    """ "case_type.transition" -> SittingVote, from every manifest."""
    found = {}
    for _, manifest in manifests():
        found.update(manifest.sitting_votes)
    return found


def vote_of(item: AgendaItem) -> SittingVote | None:
    return sitting_votes().get(f"{item.case_type}.{item.transition}")


def case_of(item: AgendaItem):
    return registry.get(item.case_type).model._default_manager.get(pk=item.object_id)


def _ballots_for_case(item: AgendaItem, case):
    """The ballots of `item` at its sitting; none for an item that opens no vote (a reading)."""
    vote = vote_of(item)
    if vote is None:
        return Ballot.objects.none()
    qs = import_string(vote.ballots)(case) if vote.ballots else motions.ballots_about(case)
    return qs.filter(held_at(item))


def windows(items) -> dict[int, tuple]:
    """Each item's window (the sitting's first day, the first day of a later sitting with the same
    case on its agenda for the same act, or None): a case voted down and put again to a later
    sitting has one ballot at each, and each item owns its own. One query for all the items."""
    items = list(items)
    later = defaultdict(list)
    if items:
        same = Q(pk__in=[])
        for i in items:
            same |= Q(content_type_id=i.content_type_id, object_id=i.object_id, transition=i.transition)
        starts = {}
        for row in AgendaItem.objects.filter(same, sitting__isnull=False).values(
            "pk", "content_type_id", "object_id", "transition", "sitting__start_date"
        ):
            starts[row["pk"]] = row["sitting__start_date"]
            later[(row["content_type_id"], row["object_id"], row["transition"])].append(row["sitting__start_date"])
    found = {}
    for i in items:
        start = starts[i.pk]
        after = sorted(d for d in later[(i.content_type_id, i.object_id, i.transition)] if d > start)
        found[i.pk] = (start, after[0] if after else None)
    return found


def held_at(item: AgendaItem, window: tuple | None = None) -> Q:
    """The ballots of `item`'s sitting: not closed before it began, not opened at a later sitting
    that took the same act up again."""
    start, before = window or windows([item])[item.pk]
    q = ~Q(closed_at__date__lt=start)
    return q & ~Q(opened_at__date__gte=before) if before else q


def is_held_at(ballot, window: tuple) -> bool:
    """`held_at` for a ballot already loaded (the minutes count many items at once)."""
    start, before = window
    if ballot.closed_at and timezone.localdate(ballot.closed_at) < start:
        return False
    return not (before and ballot.opened_at and timezone.localdate(ballot.opened_at) >= before)


def ballots_of(item: AgendaItem):
    return _ballots_for_case(item, case_of(item))


def _require_quorum(sitting: CommitteeMeeting) -> None:
    q = quorum(sitting)
    if not q.met:
        raise ValidationError(
            f"出席人数未达法定人数（组成人员{q.members}人，出席{q.present}人，须至少{q.needed}人出席），不能开始表决。"
        )


@transaction.atomic
def open_vote(item: AgendaItem, by, data: dict | None = None, **when):
    """Open the vote on `item`: refused without quorum; the case's transition opens the ballot
    (its effect), then the members recorded present are marked present on the ballot(s) — in one
    transaction, so that no ballot is open before its roll says who is present. `when` (today=,
    at=) dates the act, as `perform` does, for records entered after the fact."""
    vote = vote_of(item)
    if vote is None:
        raise ValidationError("该议程事项不是表决事项。")
    _require_quorum(item.sitting)
    case = case_of(item)
    event = perform(case, item.transition, by, data or {}, **when)
    present = Attendance.objects.filter(sitting=item.sitting, status=Attendance.Status.PRESENT).values("person")
    for ballot in _ballots_for_case(item, case).exclude(state=Ballot.State.CLOSED):
        # by the roll's own person: an account need not point back at its person
        users = Voter.objects.filter(ballot=ballot, person__in=present).values_list("user", flat=True)
        ballots.mark_present(by, ballot, users)
    return event


def close_vote(item: AgendaItem, by, **when):
    """Close the open ballot of `item`: the declared `step` while further ballots wait (逐人表决),
    else the declared closing transition."""
    vote = vote_of(item)
    if vote is None:
        raise ValidationError("该议程事项不是表决事项。")
    case = case_of(item)
    waiting = _ballots_for_case(item, case).filter(state=Ballot.State.DRAFT).exists()
    return perform(case, vote.step if vote.step and waiting else vote.close, by, {}, **when)


# ---------------------------------------------------------------- quorum for any opening

SITTING_DAYS = 7  # a sitting lasts a few days: one begun this long ago may still be voting


def check_quorum(sender, ballot: Ballot, by=None, **kwargs) -> None:
    """A ballot about a case on a sitting's agenda (for an act that opens a vote) opens only
    while the latest such sitting has quorum — from the console, the case page or the API."""
    if ballot.content_type_id is None:
        return
    votes = sitting_votes()
    # the ballot's own congress's sittings only (a plenary session's items have no sitting)
    items = (
        AgendaItem.objects.filter(sitting__isnull=False, sitting__term__congress_id=ballot.congress_id)
        .select_related("sitting")
        .order_by("-sitting__start_date", "-id")
    )
    direct = [
        i
        for i in items.filter(content_type_id=ballot.content_type_id, object_id=ballot.object_id)
        if f"{i.case_type}.{i.transition}" in votes
    ]
    if direct:
        _require_quorum(direct[0].sitting)
        return
    hooked = {k.split(".", 1)[0] for k, v in votes.items() if v.ballots}
    # ballots about a part of the case (a nomination): a vote opens at a sitting under way or to
    # come, so the search stays within those, not the congress's history
    since = current_day() - timedelta(days=SITTING_DAYS)
    for item in items.filter(case_type__in=hooked, sitting__start_date__gte=since):
        vote = vote_of(item)
        if vote and vote.ballots and _ballots_for_case(item, case_of(item)).filter(pk=ballot.pk).exists():
            _require_quorum(item.sitting)
            return


# ---------------------------------------------------------------- what the hall sees


@dataclass
class VoteLine:
    ballot: Ballot
    cast: int
    eligible: int
    result: str  # Outcome.text once closed and the user may read the result, else ""

    def as_json(self) -> dict:
        return {
            "id": self.ballot.pk,
            "title": self.ballot.title,
            "kind": self.ballot.get_kind_display(),
            "state": self.ballot.state,
            "state_label": self.ballot.get_state_display(),
            "cast": self.cast,
            "eligible": self.eligible,
            "result": self.result,
        }


@dataclass
class ItemLine:
    item: AgendaItem
    votable: bool
    votes: list[VoteLine]

    @property
    def state(self) -> str:
        """none / open / closed / draft: the item's vote as the hall sees it."""
        states = {v.ballot.state for v in self.votes}
        if Ballot.State.OPEN in states:
            return "open"
        if not states:
            return "none"
        if states == {Ballot.State.CLOSED}:
            return "closed"
        return "draft" if Ballot.State.CLOSED not in states else "open"

    @property
    def current(self) -> VoteLine | None:
        open_ = [v for v in self.votes if v.ballot.state == Ballot.State.OPEN]
        closed = [v for v in self.votes if v.ballot.state == Ballot.State.CLOSED]
        return (open_ or sorted(closed, key=lambda v: (v.ballot.closed_at, v.ballot.pk)) or [None])[-1]

    def as_json(self) -> dict:
        current = self.current
        return {
            "id": self.item.pk,
            "order": self.item.order,
            "title": self.item.title,
            "votable": self.votable,
            "state": self.state,
            "current": current.as_json() if current else None,
        }


@dataclass
class Status:
    sitting: CommitteeMeeting
    quorum: object | None
    quorum_error: str
    items: list[ItemLine]

    @property
    def current(self) -> ItemLine | None:
        """The item being voted on, else the one whose vote closed last."""
        open_ = [i for i in self.items if i.state == "open"]
        if open_:
            return open_[0]
        closed = [i for i in self.items if i.current and i.current.ballot.state == Ballot.State.CLOSED]
        return max(closed, key=lambda i: (i.current.ballot.closed_at, i.current.ballot.pk), default=None)

    @property
    def ballot_ids(self) -> list[int]:
        return [v.ballot.pk for i in self.items for v in i.votes]

    def as_json(self) -> dict:
        q = self.quorum
        current = self.current
        return {
            "sitting": self.sitting.pk,
            "quorum": (
                {"members": q.members, "present": q.present, "needed": q.needed, "met": q.met}
                if q
                else {"error": self.quorum_error}
            ),
            "current": current.as_json() if current else None,
            "items": [i.as_json() for i in self.items],
        }


def status(sitting: CommitteeMeeting, user) -> Status:
    """The agenda's vote states with the count of ballots cast / eligible for each ballot (never
    a choice: a secret ballot's, or a named one's while open). The result text of a closed
    ballot only where `user` may read it (ballots.rules view_result)."""
    try:
        q, q_error = quorum(sitting), ""
    except ValidationError as exc:
        q, q_error = None, "；".join(exc.messages)
    items = list(AgendaItem.objects.filter(sitting=sitting).order_by("order", "id"))
    votes_of = {item.pk: vote_of(item) for item in items}
    per_item: dict[int, list[int]] = {i.pk: [] for i in items if votes_of[i.pk]}
    plain = [i for i in items if votes_of[i.pk] and not votes_of[i.pk].ballots]
    if plain:  # one query for the ballots about the items' cases themselves
        where = Q(pk__in=[])
        for i in plain:
            where |= Q(content_type_id=i.content_type_id, object_id=i.object_id)
        by_case = {}
        for pk, ct, oid in (
            Ballot.objects.filter(where).order_by("id").values_list("pk", "content_type_id", "object_id")
        ):
            by_case.setdefault((ct, oid), []).append(pk)
        for i in plain:
            per_item[i.pk] = by_case.get((i.content_type_id, i.object_id), [])
    for i in items:  # a case whose ballots are about its parts: the module's own query
        if votes_of[i.pk] and votes_of[i.pk].ballots:
            per_item[i.pk] = list(ballots_of(i).order_by("id").values_list("pk", flat=True))
    wanted = {pk for pks in per_item.values() for pk in pks}
    found = {b.pk: b for b in Ballot.objects.filter(pk__in=wanted)}
    counts = {
        row["ballot"]: row
        for row in Voter.objects.filter(ballot__in=wanted)
        .values("ballot")
        .annotate(eligible=Count("pk"), cast=Count("cast"))
        .order_by()
    }
    window = windows([i for i in items if i.pk in per_item])
    lines = []
    for item in items:
        votes = []
        for pk in per_item.get(item.pk, []):
            ballot = found[pk]
            if not is_held_at(ballot, window[item.pk]):
                continue  # held at another sitting that took the same act up
            c = counts.get(pk, {"eligible": 0, "cast": 0})
            votes.append(VoteLine(ballot, c["cast"], c["eligible"], ""))
        lines.append(ItemLine(item, item.pk in per_item, votes))
    result = Status(sitting, q, q_error, lines)
    current = result.current
    if current and current.current and current.current.ballot.state == Ballot.State.CLOSED:
        line = current.current
        if allowed(user, "view_result", line.ballot):
            line.result = ballots.tally(line.ballot).outcome.text
    return result
