"""The roster over the term: the changes of a mandate, who is in office on a date, and the
counts the committee reports (by level, sex, ethnicity, occupation group, party, grass roots).

record_event(by, deputy, kind, date, reference, *, delegation=None, group=None)
    a dated change of a mandate; keeps Deputy.status / ended_date / elected_date consistent
elect(by, *, person, term, date, reference, kind=补选, …)
    a by-election (or an election) creates the mandate and its opening event
in_office(congress_or_queryset, on, *, below=True)
    the mandates in office on `on`, one query (a congress: its tree, or itself only)
roster_counts(congress_or_queryset, on, *, below=True)
    the counts by dimension, one GROUP BY query per dimension

In office on a day: elected (or by-elected) on or before it, within the term, and not ended
on or before it — the ended_date is the first day out of office (代表资格自该日起终止), so a
deputy who resigns on 1 June is in office on 31 May and not on 1 June.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from renda.core import clock
from renda.core import services as core_services
from renda.core.models import Congress, Deputy, Person
from renda.core.scoping import require
from renda.core.services import audit

from .models import DeputyEvent

Kind = DeputyEvent.Kind


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check(deputy: Deputy, kind: str, on: date, reference: str, delegation, group) -> None:
    """Why the change may not be recorded (a ValidationError in Chinese, by field)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": "请选择变动类型。"})
    if on is None:
        raise ValidationError({"date": "请填写日期。"})
    if not (reference or "").strip():
        raise ValidationError({"reference": "请填写决定或依据（如会议名称、文号）。"})
    term = deputy.term
    if on < term.start_date:
        raise ValidationError({"date": f"日期早于{term}的起始日期（{_d(term.start_date)}）。"})
    if term.end_date and on > term.end_date:
        raise ValidationError({"date": f"日期晚于{term}的届满日期（{_d(term.end_date)}）。"})
    if on > clock.now().date():
        raise ValidationError({"date": "不能登记今天以后的变动。"})
    label = Kind(kind).label
    if deputy.status == Deputy.Status.ENDED and kind in DeputyEvent.ENDING:
        ended = f"于{_d(deputy.ended_date)}" if deputy.ended_date else ""
        raise ValidationError(
            {"kind": f"该代表资格已{ended}终止（{deputy.end_reason or '已终止'}），不能再登记{label}。"}
        )
    if deputy.ended_date and on > deputy.ended_date:
        raise ValidationError({"date": f"该代表资格已于{_d(deputy.ended_date)}终止，不能登记此后的变动。"})
    events = list(deputy.events.order_by("date", "id")) if deputy.pk else []
    if kind in DeputyEvent.OPENING:
        opening = next((e for e in events if e.is_opening), None)
        if opening is not None:
            raise ValidationError({"kind": f"该代表资格已登记{opening.get_kind_display()}（{_d(opening.date)}）。"})
        if events and on > events[0].date:
            raise ValidationError(
                {"date": f"当选日期不能晚于已登记的{events[0].get_kind_display()}（{_d(events[0].date)}）。"}
            )
        if deputy.ended_date and on >= deputy.ended_date:
            raise ValidationError({"date": f"当选日期须早于代表资格终止日期（{_d(deputy.ended_date)}）。"})
    elif on < deputy.elected_date:
        raise ValidationError({"date": f"日期早于该代表的当选日期（{_d(deputy.elected_date)}）。"})
    if kind == Kind.TRANSFER_IN:
        if delegation is None and group is None:
            raise ValidationError({"delegation": "调入须选择调入的代表团或代表小组。"})
        for field, value in (("delegation", delegation), ("group", group)):
            if value is not None and value.term_id != deputy.term_id:
                raise ValidationError({field: f"须为{term}的代表团或代表小组。"})
        if (delegation is None or delegation.pk == deputy.delegation_id) and (
            group is None or group.pk == deputy.group_id
        ):
            raise ValidationError({"delegation": "该代表已在所选代表团和代表小组中。"})
    elif delegation is not None or group is not None:
        raise ValidationError({"delegation": "只有调入才选择代表团或代表小组。"})


@transaction.atomic
def record_event(
    by, deputy: Deputy, kind: str, date: date, reference: str, *, delegation=None, group=None
) -> DeputyEvent:
    """Record a dated change of `deputy`'s mandate and bring the mandate in line with it:
    an end (辞职, 终止资格, 罢免, 调离) ends the mandate on `date`; an opening (当选, 补选) on a
    mandate without one sets its elected date; 调入 moves it to another delegation or group."""
    on = date
    event = DeputyEvent(deputy=deputy, kind=kind, date=on, reference=(reference or "").strip())
    require(by, "add", event)
    # one writer at a time per mandate: two concurrent ends would both pass the checks
    deputy = Deputy.objects.select_for_update().select_related("term", "person").get(pk=deputy.pk)
    _check(deputy, kind, on, reference, delegation, group)
    event.deputy = deputy
    if kind in DeputyEvent.ENDING:
        core_services.end_mandate(by, deputy, on, f"{Kind(kind).label}（{event.reference}）"[:60])
    elif kind in DeputyEvent.OPENING and deputy.elected_date != on:
        deputy.elected_date = on
        core_services.save_record(by, deputy)
    elif kind == Kind.TRANSFER_IN:
        event.delegation, event.group = delegation, group
        deputy.delegation = delegation or deputy.delegation
        deputy.group = group or deputy.group
        core_services.save_record(by, deputy)
    event.recorded_by = by if by is not None and by.is_authenticated else None
    event.created_at = clock.now()
    event.save()
    audit(by, "create", event, {"kind": kind, "date": on.isoformat(), "reference": event.reference})
    return event


@transaction.atomic
def elect(
    by,
    *,
    person,
    term,
    date: date,
    reference: str,
    kind: str = Kind.BY_ELECTION,
    delegation=None,
    group=None,
    constituency=None,
    occupation=Deputy.Occupation.OTHER,
    is_grassroots=False,
) -> DeputyEvent:
    """A by-election (补选) or an election creates the mandate, with its opening event."""
    on = date
    if kind not in DeputyEvent.OPENING:
        raise ValidationError({"kind": "只有当选或补选产生代表资格。"})
    probe = Deputy(person=person, congress=term.congress, term=term, elected_date=on or term.start_date)
    require(by, "add", DeputyEvent(deputy=probe))
    _check(probe, kind, on, reference, None, None)  # before anything is written
    if Deputy.objects.filter(person=person, term=term).exists():
        raise ValidationError({"person": f"{person}已是{term}代表。"})
    deputy = core_services.create_deputy(
        by,
        person=person,
        term=term,
        elected_date=on,
        delegation=delegation,
        group=group,
        constituency=constituency,
        occupation=occupation,
        is_grassroots=is_grassroots,
    )
    return record_event(by, deputy, kind, on, reference)


def _mandates(congress_or_queryset, below: bool) -> QuerySet:
    if isinstance(congress_or_queryset, Congress):
        congress = congress_or_queryset
        if below:
            return Deputy.objects.filter(congress__path__startswith=congress.path)
        return Deputy.objects.filter(congress=congress)
    return congress_or_queryset


def in_office(congress_or_queryset, on: date, *, below: bool = True) -> QuerySet:
    """The mandates in office on `on` (a queryset, one query): of a congress and, `below`, of
    the congresses under it (the tree's path prefix); or narrowing a queryset of mandates."""
    return _mandates(congress_or_queryset, below).filter(
        Q(ended_date__gt=on) | Q(ended_date__isnull=True, status=Deputy.Status.SERVING),
        Q(term__end_date__isnull=True) | Q(term__end_date__gte=on),
        elected_date__lte=on,
        term__start_date__lte=on,
    )


HAN, MONGOLIAN = "汉族", "蒙古族"
UNFILLED = "未填写"

# (key, heading, field grouped by): one GROUP BY query each
DIMENSIONS = (
    ("level", "按级别", "congress__level"),
    ("gender", "按性别", "person__gender"),
    ("ethnicity", "按民族", "person__ethnicity"),
    ("occupation", "按代表构成", "occupation"),
    ("party", "按政治面貌", "person__party"),
    ("grassroots", "基层代表", "is_grassroots"),
)


def _labels(key: str):
    if key == "level":
        return dict(Congress.Level.choices)
    if key == "gender":
        return dict(Person.Gender.choices)
    if key == "occupation":
        return dict(Deputy.Occupation.choices)
    if key == "grassroots":
        return {True: "基层代表", False: "非基层代表"}
    return {}


def _order(key: str, counts: dict) -> list:
    """The committee's order: the choices' own order; ethnicities 汉族, 蒙古族, then the others
    by size; parties by size."""
    if key in ("level", "gender", "occupation"):
        return [k for k in _labels(key) if k in counts]
    if key == "grassroots":
        return [k for k in (True, False) if k in counts]
    first = [k for k in ((HAN, MONGOLIAN) if key == "ethnicity" else ()) if k in counts]
    return first + sorted((k for k in counts if k not in first), key=lambda k: (-counts[k], k or "~"))


def _row(label, n: int, total: int) -> tuple:
    return (label, n, round(100 * n / total, 1) if total else 0.0)


def roster_counts(congress_or_queryset, on: date, *, below: bool = True) -> dict:
    """{"total": n, "tables": [{"key", "heading", "rows": [(label, count, percent)]}]} for the
    mandates in office on `on`; ethnicity adds a 少数民族合计 row (every non-Han deputy)."""
    mandates = in_office(congress_or_queryset, on, below=below).order_by()
    tables, total = [], None
    for key, heading, field in DIMENSIONS:
        counts = {row[field]: row["n"] for row in mandates.values(field).annotate(n=Count("id"))}
        if total is None:
            total = sum(counts.values())
        labels = _labels(key)
        rows = [_row(labels.get(k, k) or UNFILLED, counts[k], total) for k in _order(key, counts)]
        if key == "ethnicity":
            rows.append(_row("少数民族合计", sum(n for k, n in counts.items() if k != HAN), total))
        tables.append({"key": key, "heading": heading, "rows": rows})
    return {"total": total or 0, "tables": tables}
