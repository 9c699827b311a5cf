"""The performance archive (履职档案) of a deputy mandate, and the yearly scores (履职评价).

The archive is ONE list merging two sources, each entry with its kind, date, title and the
trace URL of the record it came from:

- machine-recorded: `workflow.Participation` rows of the mandate (or of the person without a
  mandate named, within the mandate's dates) — whatever module records participants feeds
  the archive without this module knowing it;
- hand-recorded: the deputy's confirmed `Activity` rows (unconfirmed ones do not count).

    archive(deputy, year=None, user=None) -> Archive          # year None: the whole term
    scores(congress, year, term=None) -> list[Score]          # every deputy, best first

Both cost a constant number of queries whatever the number of activities. The scoring
rules are the setting RENDA_DEPUTY_SCORING (points and caps per kind, a deduction per
unexcused absence from a session of the people's congress).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q

from renda.core.models import Deputy
from renda.workflow.models import Participation

from .models import Activity

MACHINE, HAND = "平台记录", "自行登记"

# Points per kind (a Participation capacity or an Activity kind), caps on the points of a
# kind in a year, and the points deducted per unexcused absence (缺席, not 请假).
DEFAULT_SCORING = {
    "points": {
        "author": 5,
        "cosigner": 1,
        "observer": 3,
        "speaker": 3,
        "inspector": 4,
        "member": 3,
        "voter": 1,
        "trainee": 2,
        "deputy": 2,
        "oath": 0,
        "expert": 0,
        "contact": 1,
        "visit": 2,
        "station": 2,
        "research": 3,
        "report_back": 5,
        "other": 1,
    },
    "caps": {"cosigner": 10, "voter": 10, "contact": 30, "visit": 20, "station": 20, "other": 10},
    "absence": 5,
}


def scoring() -> dict:
    configured = getattr(settings, "RENDA_DEPUTY_SCORING", None) or {}
    return {
        "points": {**DEFAULT_SCORING["points"], **configured.get("points", {})},
        "caps": {**DEFAULT_SCORING["caps"], **configured.get("caps", {})},
        "absence": configured.get("absence", DEFAULT_SCORING["absence"]),
    }


KIND_LABELS = dict(Participation.Capacity.choices) | dict(Activity.Kind.choices)


@dataclass(frozen=True)
class Entry:
    kind: str
    kind_label: str
    on: date
    title: str
    url: str
    source: str  # 平台记录 / 自行登记
    detail: str = ""


@dataclass
class Archive:
    deputy: Deputy
    year: int | None
    entries: list[Entry]
    by_year: dict[int, Counter] = field(default_factory=dict)  # year -> kind -> count

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year)

    @property
    def kinds(self) -> list[tuple[str, str]]:
        used = {k for c in self.by_year.values() for k in c}
        return [(k, KIND_LABELS.get(k, k)) for k in KIND_LABELS if k in used]

    def table(self) -> list[tuple[int, list[int], int]]:
        """Rows (year, counts in the order of `kinds`, total) for the counts table."""
        kinds = [k for k, _ in self.kinds]
        return [(y, [self.by_year[y][k] for k in kinds], sum(self.by_year[y].values())) for y in self.years]

    @property
    def totals(self) -> list[int]:
        return [sum(self.by_year[y][k] for y in self.years) for k, _ in self.kinds]


def mandate_period(deputy: Deputy) -> tuple[date, date | None]:
    return deputy.elected_date, deputy.ended_date or deputy.term.end_date


def _participations_q(deputy: Deputy) -> Q:
    """The mandate's rows, and the person's rows without a mandate named within its dates."""
    start, end = mandate_period(deputy)
    person = Q(deputy__isnull=True, person_id=deputy.person_id, on__gte=start)
    if end is not None:
        person &= Q(on__lte=end)
    return Q(deputy=deputy) | person


def archive(deputy: Deputy, year: int | None = None) -> Archive:
    """Two queries (the participations, the confirmed activities) for any number of entries."""
    rows = Participation.objects.filter(_participations_q(deputy))
    activities = Activity.objects.filter(deputy=deputy, state=Activity.State.CONFIRMED)
    if year is not None:
        rows = rows.filter(on__year=year)
        activities = activities.filter(on__year=year)
    entries = [
        Entry(p.capacity, p.get_capacity_display(), p.on, p.label, p.url, MACHINE)
        for p in rows.only("capacity", "on", "label", "url").order_by("-on", "-id")
    ]
    entries += [
        Entry(
            a.kind,
            a.get_kind_display(),
            a.on,
            f"{a.get_kind_display()}：{a.title}",
            a.get_absolute_url(),
            HAND,
            a.note[:200],
        )
        for a in activities.only("kind", "on", "place", "people_reached", "note").order_by("-on", "-id")
    ]
    entries.sort(key=lambda e: e.on, reverse=True)
    by_year: dict[int, Counter] = defaultdict(Counter)
    for e in entries:
        by_year[e.on.year][e.kind] += 1
    return Archive(deputy=deputy, year=year, entries=entries, by_year=dict(by_year))


@dataclass
class Score:
    deputy: Deputy
    counts: dict[str, int]
    points: dict[str, int]
    absences: int
    deduction: int
    total: int
    rank: int = 0


def deputies_in_office(congress, year: int, term=None):
    start, end = date(year, 1, 1), date(year, 12, 31)
    qs = Deputy.objects.filter(congress=congress, elected_date__lte=end).filter(
        Q(ended_date__isnull=True) | Q(ended_date__gte=start)
    )
    if term is not None:
        qs = qs.filter(term=term)
    return qs


def scores(congress, year: int, term=None) -> list[Score]:
    """Every deputy of `congress` in office in `year`, scored and ranked, in four queries
    (the deputies, two aggregates of the activities, one of the absences)."""
    from renda.meetings.models import Attendance

    rules = scoring()
    deputies = list(deputies_in_office(congress, year, term).select_related("person").order_by("id"))
    ids = deputies_in_office(congress, year, term).values("id")
    persons = deputies_in_office(congress, year, term).values("person_id")
    by_person = {d.person_id: d.pk for d in deputies}
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = (
        Participation.objects.filter(on__year=year)
        .filter(Q(deputy__in=ids) | Q(deputy__isnull=True, person__in=persons))
        .values("deputy_id", "person_id", "capacity")
        .annotate(n=Count("id"))
    )
    for r in rows:
        owner = r["deputy_id"] or by_person.get(r["person_id"])
        if owner is not None:
            counts[owner][r["capacity"]] += r["n"]
    for r in (
        Activity.objects.filter(congress=congress, deputy__in=ids, state=Activity.State.CONFIRMED, on__year=year)
        .values("deputy_id", "kind")
        .annotate(n=Count("id"))
    ):
        counts[r["deputy_id"]][r["kind"]] += r["n"]
    absences = dict(
        Attendance.objects.filter(
            status=Attendance.Status.ABSENT,
            session__term__congress=congress,
            session__start_date__year=year,
            person__in=persons,
        )
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    result = []
    for d in deputies:
        c = counts.get(d.pk, Counter())
        points = {}
        for kind, n in c.items():
            p = n * rules["points"].get(kind, 0)
            cap = rules["caps"].get(kind)
            points[kind] = min(p, cap) if cap is not None else p
        missed = absences.get(d.person_id, 0)
        deduction = missed * rules["absence"]
        result.append(Score(d, dict(c), points, missed, deduction, sum(points.values()) - deduction))
    result.sort(key=lambda s: (-s.total, s.deputy.person.name, s.deputy.pk))
    rank = 0
    for i, s in enumerate(result):
        if i == 0 or s.total != result[i - 1].total:
            rank = i + 1
        s.rank = rank
    return result
