"""The agenda and attendance of a sitting (`core.CommitteeMeeting`).

    sitting_transitions()                     what the manifests declare happens at a sitting
    plenary_transitions()                     … and at a plenary session (人民代表大会会议)
    agenda_candidates(sitting, user)          the cases one of those acts is available on now
    add_item / move_item / remove_item        the agenda, kept numbered 1..n
    agenda(sitting, user)                     the items with their cases, materials and late flags
    roll(sitting) / record_attendance / request_leave / approve_leave / quorum(sitting)
    add_observers(sitting, people)            列席: Participation rows (the deputies' archive)

The meetings module knows no case type by name: it reads `Manifest.sitting_transitions`.
`sitting` is a `core.CommitteeMeeting` or a `core.PlenarySession` in the agenda functions and
in the attendance ones: an agenda item and an attendance row belong to exactly one of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.utils import timezone

from renda.ballots.services import committee_roll, deputy_roll
from renda.core import clock
from renda.core.models import CommitteeMeeting, Deputy, Person, PlenarySession
from renda.core.scoping import visible
from renda.manifest import manifests
from renda.workflow import registry
from renda.workflow.documents import Document, DocumentVersion
from renda.workflow.models import Participation
from renda.workflow.participation import record_participants

from .models import AgendaItem, Attendance

Status = Attendance.Status


def _where(sitting) -> dict:
    """The lookup of the rows of a standing committee sitting or of a plenary session."""
    return {"session": sitting} if isinstance(sitting, PlenarySession) else {"sitting": sitting}


def _where_item(item) -> dict:
    return {"session_id": item.session_id} if item.session_id else {"sitting_id": item.sitting_id}


def sitting_transitions(attr: str = "sitting_transitions") -> list[tuple[object, object]]:
    """(case type, transition) pairs of every manifest's `sitting_transitions` (or `attr`)."""
    pairs = []
    for _, manifest in manifests():
        for name in getattr(manifest, attr):
            type_key, transition_key = name.split(".", 1)
            case_type = registry.get(type_key)
            pairs.append((case_type, case_type.transition(transition_key)))
    return pairs


def plenary_transitions() -> list[tuple[object, object]]:
    """(case type, transition) pairs of every manifest's `plenary_transitions`."""
    return sitting_transitions("plenary_transitions")


def materials_due(sitting: CommitteeMeeting | PlenarySession) -> date:
    """材料报送截止: N days before the sitting (SUP-3 / LEG-7; RENDA_MEETING_MATERIALS_DAYS)."""
    return sitting.start_date - timedelta(days=settings.RENDA_MEETING_MATERIALS_DAYS)


@dataclass
class Candidate:
    case: object
    case_type: object
    transition: object

    @property
    def value(self) -> str:
        return f"{self.case_type.key}:{self.case.pk}:{self.transition.key}"

    @property
    def label(self) -> str:
        return f"{self.case_type.label}：{self.case.title}（{self.transition.label}）"


def agenda_candidates(sitting: CommitteeMeeting, user) -> list[Candidate]:
    """The cases of the sitting's congress, as `user` may see them, in a state where an act of
    the manifests' `sitting_transitions` is available, and not on this agenda for that act yet.
    A case bound to a later sitting (its `sitting` field) is left off. One query per case type."""
    plenary = isinstance(sitting, PlenarySession)
    by_type: dict[str, tuple] = {}  # case type key -> (case type, [transitions])
    for case_type, transition in plenary_transitions() if plenary else sitting_transitions():
        by_type.setdefault(case_type.key, (case_type, []))[1].append(transition)
    on_agenda = set(AgendaItem.objects.filter(**_where(sitting)).values_list("case_type", "object_id", "transition"))
    found = []
    for case_type, transitions in by_type.values():
        states = {s for t in transitions for s in t.sources}
        qs = visible(user, case_type.model).filter(congress_id=sitting.term.congress_id, state__in=states)
        if not plenary and any(f.name == "sitting" for f in case_type.model._meta.get_fields()):
            # bound to another sitting still to come: that sitting's; bound to a past one: it may
            # come back (a report voted down and reported again)
            qs = qs.filter(Q(sitting__isnull=True) | Q(sitting=sitting) | Q(sitting__start_date__lt=sitting.start_date))
        for case in qs.order_by("id"):
            for t in transitions:
                if case.state in t.sources and (case_type.key, case.pk, t.key) not in on_agenda:
                    found.append(Candidate(case, case_type, t))
    return found


def _candidate(sitting, user, value: str) -> Candidate:
    for c in agenda_candidates(sitting, user):
        if c.value == value:
            return c
    raise ValidationError({"candidate": "该事项不能列入本次会议议程（状态已变化或已列入）。"})


@transaction.atomic
def add_item(sitting: CommitteeMeeting, case, transition: str, by, *, title: str = "") -> AgendaItem:
    """Put `case` on the agenda for the act `transition`, at the end. Refused unless the pair is
    one of the sitting's candidates for `by` (the manifests decide, the state must allow it)."""
    from renda.workflow.registry import case_type_of

    case_type = case_type_of(case)
    candidate = _candidate(sitting, by, f"{case_type.key}:{case.pk}:{transition}")
    last = AgendaItem.objects.filter(**_where(sitting)).aggregate(m=Max("order"))["m"] or 0
    return AgendaItem.objects.create(
        **_where(sitting),
        order=last + 1,
        title=(title or f"{candidate.transition.label}：{case.title}")[:200],
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        case_type=case_type.key,
        transition=transition,
        materials_due=materials_due(sitting),
        added_by=by,
        added_at=clock.now(),
    )


def _renumber(items: list[AgendaItem]) -> None:
    for n, item in enumerate(items, start=1):
        item.order = n
    AgendaItem.objects.bulk_update(items, ["order"])


@transaction.atomic
def move_item(item: AgendaItem, step: int) -> None:
    """Move an item up (-1) or down (+1) in the agenda."""
    items = list(AgendaItem.objects.select_for_update().filter(**_where_item(item)).order_by("order", "id"))
    i = next(n for n, x in enumerate(items) if x.pk == item.pk)
    j = i + step
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    _renumber(items)


@transaction.atomic
def remove_item(item: AgendaItem) -> None:
    where = _where_item(item)
    item.delete()
    _renumber(list(AgendaItem.objects.filter(**where).order_by("order", "id")))


@dataclass
class AgendaRow:
    item: AgendaItem
    case: object | None  # None: the user may not see the case
    url: str
    transition_label: str
    materials: list  # DocumentVersion (the latest of each document of the case)
    late: bool


def agenda(sitting: CommitteeMeeting, user) -> list[AgendaRow]:
    """The agenda with each item's case (as `user` sees it), the latest version of each of the
    case's documents, and the late flag: a latest version uploaded after the materials' due
    date. Constant queries: one per case type and one for the documents."""
    items = list(AgendaItem.objects.filter(**_where(sitting)).order_by("order", "id"))
    ids = defaultdict(set)
    for item in items:
        ids[item.case_type].add(item.object_id)
    cases = {}
    for key, pks in ids.items():
        for case in visible(user, registry.get(key).model).filter(pk__in=pks):
            cases[(key, case.pk)] = case
    latest = DocumentVersion.objects.order_by("-number")
    docs = defaultdict(list)
    if items:
        wanted = {(i.content_type_id, i.object_id) for i in items if (i.case_type, i.object_id) in cases}
        qs = Document.objects.filter(
            content_type_id__in={c for c, _ in wanted}, object_id__in={o for _, o in wanted}
        ).prefetch_related(Prefetch("versions", queryset=latest))
        for doc in qs:
            versions = list(doc.versions.all())
            if (doc.content_type_id, doc.object_id) in wanted and versions:
                docs[(doc.content_type_id, doc.object_id)].append(versions[0])
    rows = []
    for item in items:
        case = cases.get((item.case_type, item.object_id))
        case_type = registry.get(item.case_type)
        materials = docs.get((item.content_type_id, item.object_id), []) if case else []
        due_end = timezone.make_aware(
            timezone.datetime.combine(item.materials_due + timedelta(days=1), timezone.datetime.min.time())
        )
        late = any(v.uploaded_at >= due_end for v in materials)
        rows.append(
            AgendaRow(
                item=item,
                case=case,
                url=case_type.url(case) if case is not None and case_type.url else "",
                transition_label=case_type.transition(item.transition).label,
                materials=materials,
                late=late,
            )
        )
    return rows


# ---------------------------------------------------------------- attendance


def roll(sitting: CommitteeMeeting | PlenarySession) -> list[Person]:
    """全体组成人员 serving on the sitting's day (ballots.committee_roll, the one roll); at a
    plenary session 全体代表, the term's serving deputies (ballots.deputy_roll)."""
    if isinstance(sitting, PlenarySession):
        return [r["person"] for r in deputy_roll(sitting.term)]
    return [r["person"] for r in committee_roll(sitting.term.congress, on=sitting.start_date)]


def _member(sitting, person) -> None:
    if person.pk not in {p.pk for p in roll(sitting)}:
        if isinstance(sitting, PlenarySession):
            raise ValidationError({"person": f"{person.name}不是本届在任的人民代表大会代表。"})
        raise ValidationError({"person": f"{person.name}不是本次会议时在任的常委会组成人员。"})


@transaction.atomic
def record_attendance(sitting, person: Person, status: str, by, *, reason: str = "") -> Attendance:
    """Record one member present, absent or on leave. Leave recorded by the staff is approved
    at once (they record a leave already granted); a request awaits `approve_leave`."""
    _member(sitting, person)
    status = Status(status)
    if status in (Status.ON_LEAVE, Status.LEAVE_REQUESTED) and not reason.strip():
        raise ValidationError({"reason": "请假须填写事由。"})
    approved = status == Status.ON_LEAVE
    row, _ = Attendance.objects.update_or_create(
        **_where(sitting),
        person=person,
        defaults=dict(
            status=status,
            leave_reason=reason.strip() if status in (Status.ON_LEAVE, Status.LEAVE_REQUESTED) else "",
            leave_approved_by=by if approved else None,
            leave_approved_at=clock.now() if approved else None,
            recorded_by=by,
            recorded_at=clock.now(),
        ),
    )
    return row


def request_leave(sitting, person: Person, reason: str, by) -> Attendance:
    return record_attendance(sitting, person, Status.LEAVE_REQUESTED, by, reason=reason)


@transaction.atomic
def approve_leave(row: Attendance, by) -> Attendance:
    if row.status != Status.LEAVE_REQUESTED:
        raise ValidationError("该请假申请不在待批准状态。")
    row.status = Status.ON_LEAVE
    row.leave_approved_by = by
    row.leave_approved_at = clock.now()
    row.save(update_fields=["status", "leave_approved_by", "leave_approved_at"])
    return row


@dataclass
class Quorum:
    members: int
    present: int
    on_leave: int
    absent: int
    unrecorded: int

    @property
    def needed(self) -> int:
        return self.members // 2 + 1

    @property
    def met(self) -> bool:
        # APP-3: more than half of all the serving members present
        return self.members > 0 and self.present * 2 > self.members


class PlenaryQuorum(Quorum):
    """地方组织法: 县级以上的地方各级人民代表大会会议有三分之二以上的代表出席，始得举行 —
    two thirds of all the serving deputies or more ("以上" counts the bound itself)."""

    @property
    def needed(self) -> int:
        return -(-self.members * 2 // 3)  # ceil(2n/3)

    @property
    def met(self) -> bool:
        return self.members > 0 and self.present * 3 >= self.members * 2


def quorum(sitting: CommitteeMeeting | PlenarySession) -> Quorum:
    members = {p.pk for p in roll(sitting)}
    rows = list(Attendance.objects.filter(**_where(sitting), person__in=members).values_list("status", flat=True))
    count = lambda *s: sum(1 for r in rows if r in s)  # noqa: E731
    kind = PlenaryQuorum if isinstance(sitting, PlenarySession) else Quorum
    return kind(
        members=len(members),
        present=count(Status.PRESENT),
        on_leave=count(Status.ON_LEAVE, Status.LEAVE_REQUESTED),
        absent=count(Status.ABSENT),
        unrecorded=len(members) - len(rows),
    )


def add_observers(sitting: CommitteeMeeting, people: list[Person | Deputy]) -> list[Participation]:
    """列席: each as a Participation of capacity 列席 on the sitting (a deputy by their mandate,
    so that the deputy's archive counts it)."""
    return record_participants(
        sitting,
        people,
        Participation.Capacity.OBSERVER,
        on=sitting.start_date,
        congress_id=sitting.term.congress_id,
    )


def observers(sitting: CommitteeMeeting) -> list[Participation]:
    ct = ContentType.objects.get_for_model(CommitteeMeeting)
    return list(
        Participation.objects.filter(
            content_type=ct, object_id=sitting.pk, capacity=Participation.Capacity.OBSERVER
        ).select_related("person", "deputy")
    )


def plenary_quorum(session: PlenarySession) -> PlenaryQuorum:
    """The quorum of a plenary session: two thirds of all the term's serving deputies present."""
    return quorum(session)
