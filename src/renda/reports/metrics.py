"""The metrics registry: every figure is a named, documented function over records.

    @metric("party.study_sessions", label="党组中心组学习会", unit="次", section="party",
            definition="本期间召开的党组理论学习中心组学习会。")
    def study_sessions(scope: Scope) -> QuerySet: ...

A metric returns the records it counts, so value and evidence never disagree. Counting
over a congress's subtree is the registry's job (`Scope.congresses`), not each
metric's. Ratios are metrics over two other metrics with a stated rounding rule. No
figure is ever stored as a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum

from renda.core.models import Congress
from renda.manifest import manifests


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end == date(self.start.year, 12, 31):
            return f"{self.start.year}年"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"

    def previous_year(self) -> Period:
        return Period(self.start.replace(year=self.start.year - 1), self.end.replace(year=self.end.year - 1))


@dataclass(frozen=True)
class Scope:
    """What a metric counts over: a congress (with or without those below it) and a period."""

    congress: Congress
    period: Period
    include_lower: bool = False

    @property
    def congresses(self) -> QuerySet:
        if self.include_lower:
            return Congress.objects.filter(path__startswith=self.congress.path)
        return Congress.objects.filter(pk=self.congress.pk)

    def dates(self, field_name: str) -> dict:
        """Filter kwargs for a date field within the period."""
        return {f"{field_name}__gte": self.period.start, f"{field_name}__lte": self.period.end}

    def datetimes(self, field_name: str) -> dict:
        return {f"{field_name}__date__gte": self.period.start, f"{field_name}__date__lte": self.period.end}


@dataclass
class Metric:
    id: str
    label: str
    unit: str
    definition: str
    section: str = ""
    # (scope) -> QuerySet of the counted records (count and sum metrics)
    records: Callable | None = None
    # for a sum metric: the field of the records to add up (e.g. participants)
    sum_of: str | None = None
    # for a ratio metric: ids of numerator and denominator metrics, and the decimals kept
    ratio: tuple[str, str] | None = None
    decimals: int = 1
    # (record) -> URL of the record's page, for evidence links
    url: Callable | None = None
    # approximate figures are written as Chinese documents write them (550余人次)
    approximate: bool = False
    # the records' date field that places them in a period (for charts by month)
    date_field: str | None = None
    # (record) -> its name, for a figure the summary names record by record
    # (制定出台地方性法规2件，即《…》《…》): the names come from the counted records
    names: Callable | None = None

    @property
    def kind(self) -> str:
        return "ratio" if self.ratio else "sum" if self.sum_of else "count"


@dataclass
class Value:
    metric: Metric
    scope: Scope
    value: int | Decimal | None  # None: a ratio over zero
    numerator: int | None = None
    denominator: int | None = None

    def records(self) -> QuerySet | None:
        if self.metric.records is None:
            return None
        return self.metric.records(self.scope)

    def records_seen_by(self, user) -> tuple[QuerySet | None, int]:
        """The counted records `user` may see, and how many of the counted ones they may not
        (the figure stays what was counted; its evidence is listed through the scoping layer)."""
        from renda.core.scoping import visible

        records = self.records()
        if records is None:
            return None, 0
        seen = visible(user, records.model, records)
        return seen, records.count() - seen.count()

    @property
    def text(self) -> str:
        from .numbers import format_value

        return format_value(self)

    def names(self) -> list[str]:
        """The counted records' names, for a metric that declares `names` (else [])."""
        if self.metric.names is None or not self.value:
            return []
        return [self.metric.names(r) for r in self.records()]


_registry: dict[str, Metric] = {}
_loaded = False


def metric(
    id: str,
    *,
    label: str,
    unit: str,
    definition: str,
    section: str = "",
    sum_of: str | None = None,
    url: Callable | None = None,
    approximate: bool = False,
    date_field: str | None = None,
    names: Callable | None = None,
):
    """Decorator: register a count (or, with sum_of, a sum) metric."""

    def register(func: Callable) -> Callable:
        _add(
            Metric(
                id=id,
                label=label,
                unit=unit,
                definition=definition,
                section=section,
                records=func,
                sum_of=sum_of,
                url=url,
                approximate=approximate,
                date_field=date_field,
                names=names,
            )
        )
        return func

    return register


def ratio(
    id: str, *, label: str, numerator: str, denominator: str, definition: str, section: str = "", decimals: int = 1
) -> Metric:
    """Register a ratio metric (a percentage) over two registered metrics."""
    return _add(
        Metric(
            id=id,
            label=label,
            unit="%",
            definition=definition,
            section=section,
            ratio=(numerator, denominator),
            decimals=decimals,
        )
    )


@dataclass(frozen=True)
class Phrase:
    """Words of the summary that depend on figures, e.g. "全部及时" only when every
    document was handled in time: `words(values)` gets the Values of `needs`."""

    id: str
    needs: tuple[str, ...]
    words: Callable


_phrases: dict[str, Phrase] = {}


def phrase(id: str, *, needs: tuple[str, ...]):
    def register(func: Callable) -> Callable:
        _phrases[id] = Phrase(id, tuple(needs), func)
        return func

    return register


def get_phrase(phrase_id: str) -> Phrase | None:
    load()
    return _phrases.get(phrase_id)


def _add(m: Metric) -> Metric:
    existing = _registry.get(m.id)
    if existing is not None and existing.records is not m.records and existing.ratio != m.ratio:
        raise ValueError(f"metric {m.id!r} registered twice")
    _registry[m.id] = m
    return m


def load() -> None:
    """Import every module's metrics (named in the manifests) once."""
    global _loaded
    if _loaded:
        return
    import importlib

    from renda.manifest import load as load_path  # noqa: F401

    for _, manifest in manifests():
        for path in manifest.metrics:
            importlib.import_module(path)
    _loaded = True


def all_metrics() -> list[Metric]:
    load()
    return list(_registry.values())


def get(metric_id: str) -> Metric:
    load()
    try:
        return _registry[metric_id]
    except KeyError:
        raise LookupError(f"未知的指标：{metric_id}") from None


def exists(metric_id: str) -> bool:
    load()
    return metric_id in _registry


def compute(metric_id: str, scope: Scope) -> Value:
    m = get(metric_id)
    if m.ratio:
        num, den = (compute(i, scope) for i in m.ratio)
        n, d = int(num.value or 0), int(den.value or 0)
        value = (
            None
            if d == 0
            else (Decimal(100 * n) / Decimal(d)).quantize(Decimal(1).scaleb(-m.decimals), rounding=ROUND_HALF_UP)
        )
        return Value(m, scope, value, numerator=n, denominator=d)
    qs = m.records(scope)
    if m.sum_of:
        return Value(m, scope, int(qs.aggregate(total=Sum(m.sum_of))["total"] or 0))
    return Value(m, scope, qs.count())


def compute_many(metric_ids, scope: Scope) -> dict[str, Value]:
    return {i: compute(i, scope) for i in metric_ids}


def by_month(metric_id: str, scope: Scope) -> list[tuple[int, int]]:
    """Counts per month of the period (for the dashboard), from the same records."""
    from django.db.models.functions import ExtractMonth

    m = get(metric_id)
    if m.records is None or m.date_field is None:
        raise ValueError(f"metric {metric_id} has no date field to chart by month")
    rows = (
        m.records(scope).order_by().annotate(month=ExtractMonth(m.date_field)).values("month").annotate(n=Count("pk"))
    )
    found = {r["month"]: r["n"] for r in rows}
    return [(month, found.get(month, 0)) for month in range(1, 13)]


# A year is "a year with records" for the reports' default when at least this share of the
# metrics that have records at all have some in it: one suggestion concluded in January does
# not turn every report to a new year that is otherwise empty.
COVERED_SHARE = Decimal("0.5")


@dataclass(frozen=True)
class RecordYears:
    """The years in which a congress (with or without those below it) has counted records."""

    years: list[int]  # every year with a record of some metric, newest first
    default: int  # the latest year that most metrics have records in (this year when none)

    def choices(self, chosen: int | None = None) -> list[int]:
        """The years to offer, newest first; a chosen year without records stays listed."""
        years = set(self.years or [self.default])
        if chosen is not None:
            years.add(chosen)
        return sorted(years, reverse=True)


def record_years(congress: Congress, include_lower: bool = False, modules: tuple[str, ...] = ()) -> RecordYears:
    """The years that have records, from each count metric's own `date_field` (one query:
    a UNION of each metric's distinct years). Years after this one (a mistyped date) are
    left out. `modules` (metric id prefixes: "filing", "party" …) limits it to those metrics,
    for a page that reports on one module only."""
    from django.db.models import IntegerField, Value
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    this_year = timezone.localdate().year
    wide = Scope(congress, Period(date(1949, 1, 1), date(this_year, 12, 31)), include_lower)
    parts = [
        m.records(wide)
        .order_by()
        .annotate(_metric=Value(n, output_field=IntegerField()), _year=ExtractYear(m.date_field))
        .values_list("_metric", "_year")
        for n, m in enumerate(all_metrics())
        if m.records is not None and m.date_field and (not modules or m.id.split(".")[0] in modules)
    ]
    rows = set(parts[0].union(*parts[1:])) if parts else set()
    per_year: dict[int, set[int]] = {}
    for n, year in rows:
        if year is not None:
            per_year.setdefault(year, set()).add(n)
    with_records = len({n for n, _ in rows})
    covered = [y for y, found in per_year.items() if len(found) >= COVERED_SHARE * with_records]
    return RecordYears(sorted(per_year, reverse=True), max(covered, default=this_year))


__all__ = [
    "Metric",
    "Period",
    "Scope",
    "Value",
    "metric",
    "ratio",
    "compute",
    "compute_many",
    "get",
    "exists",
    "all_metrics",
    "by_month",
    "record_years",
    "RecordYears",
    "field",
]
