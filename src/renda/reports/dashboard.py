"""数据看板: the dashboard's numbers, computed from the metrics registry on every request.

    data(scope, chosen, screen=False) -> dict
        JSON-ready: the page renders its tables from it, its charts fetch it from
        /work/reports/dashboard/data/; screen=True: only what the 大屏 shows (no tree, no bodies)

Charts, each with an HTML table of the same numbers:
  monthly  figures by month of the year: one series per count metric that has a `date_field`
           (`metrics.by_month`; sum and ratio metrics are not charted by month: by_month counts rows);
  compare  this year against last year, per metric, grouped by unit (次 and 人次 do not share an axis);
  tree     the chosen congress (its own records) and each congress directly below it (with the
           congresses below that one): the columns add up to the figure "含下级人大";
  bodies   by body, only for metrics that declare a `body_field`. No registered metric does yet,
           so the chart is absent (the registers' `body` fields are not a declared dimension).

Nothing is stored: every number is `metrics.compute` / `metrics.by_month` over records.
Scope resolution for the API and the dashboard is here too (`resolve_scope`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from renda.core.api import SQL_INT_MAX
from renda.core.models import Body, Congress
from renda.core.scoping import OVERSIGHT_ROLES, actor_of, allowed
from renda.core.services import root_congress

from . import metrics
from .metrics import Period, Scope

FIRST_YEAR, LAST_YEAR = 1949, 2100
READ_DENIED = "只有人大机关工作人员和常委会组成人员可以查看统计。"
NOT_OVERSEEN = "未找到该人大，或您无权查看其统计。"

# Series shown by default in the monthly chart (the others are one legend click away).
DEFAULT_MONTHLY = [
    "party.study_sessions",
    "party.collective_studies",
    "selfbuilding.trainings_held",
    "party.reports_to_committee",
]
# The few figures of the meeting-room display (大屏).
SCREEN_TILES = [
    "party.study_sessions",
    "party.collective_studies",
    "party.deputy_trainings",
    "selfbuilding.training_participants",
    "party.reports_to_committee",
    "selfbuilding.work_rules",
]
MONTHS = [f"{m}月" for m in range(1, 13)]


# ---------------------------------------------------------------- scope


def default_congress(actor) -> Congress | None:
    """The user's home congress when they oversee it, else the highest congress they oversee."""
    home = actor.home_congress
    if home is not None and actor.oversees(home.pk):
        return home
    overseen = actor.congresses(*OVERSIGHT_ROLES).order_by("path").first()
    if overseen is None and actor.is_superuser:
        return root_congress()
    return overseen


def resolve_scope(user, congress: int | None = None, year: int | None = None, lower: bool = False) -> Scope:
    """The scope of a statistics request. PermissionDenied: not an oversight role anywhere;
    Http404: a congress the user does not oversee (or none set up yet)."""
    actor = actor_of(user)
    if not allowed(user, "report", Congress):
        raise PermissionDenied(READ_DENIED)
    if congress is None:
        chosen = default_congress(actor)
        if chosen is None:
            raise Http404("尚未设立人大。")
    else:
        chosen = None
        if -SQL_INT_MAX - 1 <= congress <= SQL_INT_MAX:
            chosen = Congress.objects.filter(pk=congress).first()
        if chosen is None or not allowed(user, "report", chosen):
            raise Http404(NOT_OVERSEEN)
    if year is None:
        year = metrics.record_years(chosen, bool(lower)).default
    return Scope(chosen, Period.year(year), include_lower=bool(lower))


def asked_year(raw) -> int | None:
    """A year from a query string, or None when missing, unreadable or out of range."""
    try:
        year = int(str(raw or "").strip()[:6])
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def year_and_choices(
    congress: Congress, raw, include_lower: bool = False, *, modules: tuple[str, ...] = (), annual: bool = False
) -> tuple[int, list[int]]:
    """For a report page that is not a Scope form (party index, unit statistics, the filing
    report): the asked year or the latest year with records of the page's module, and the
    years to offer. An `annual` report opens on the latest finished year with records."""
    years = metrics.record_years(congress, include_lower, modules)
    default = years.default
    if annual:
        finished = [y for y in years.years if y < timezone.localdate().year]
        default = finished[0] if finished else default
    year = asked_year(raw) or default
    return year, years.choices(year)


def scope_from_query(user, query) -> Scope:
    """A page's scope from its query string: an unreadable congress is 404; a missing or
    unreadable year is the latest year with records (`metrics.record_years`), as on every
    report page and in the metrics API."""
    congress = None
    raw = (query.get("congress") or "").strip()
    if raw:
        try:
            congress = int(raw)
        except ValueError:
            raise Http404(NOT_OVERSEEN) from None
    return resolve_scope(user, congress, asked_year(query.get("year")), query.get("lower") in ("1", "true", "on"))


def chosen_from_query(query) -> list[str]:
    """Monthly series asked for with ?m=id&m=id or ?m=id,id (unknown ids are ignored)."""
    ids = [part.strip() for value in query.getlist("m") for part in value.split(",")]
    return list(dict.fromkeys(i for i in ids if len(i) <= 100 and metrics.exists(i)))


def detail_url(metric_id: str, congress: Congress, year: int, lower: bool) -> str:
    """The page of a figure with the records it counts."""
    query = f"congress={congress.pk}&year={year}" + ("&lower=1" if lower else "")
    return reverse("reports:metric_detail", args=[metric_id]) + "?" + query


def number(value):
    """A Value's number for JSON: int, float (ratios) or None (a ratio over zero)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return int(value)


def scope_dict(scope: Scope) -> dict:
    return {
        "congress_id": scope.congress.pk,
        "congress": scope.congress.name,
        "region": scope.congress.region,
        "year": scope.period.start.year,
        "include_lower": scope.include_lower,
        "label": scope.period.label,
        "start": scope.period.start.isoformat(),
        "end": scope.period.end.isoformat(),
    }


def metric_dict(m: metrics.Metric) -> dict:
    return {
        "id": m.id,
        "label": m.label,
        "unit": m.unit,
        "definition": m.definition,
        "section": m.section,
        "kind": m.kind,
    }


# ---------------------------------------------------------------- data


def monthly_metrics() -> list[metrics.Metric]:
    return [m for m in metrics.all_metrics() if m.kind == "count" and m.records is not None and m.date_field]


def body_metrics() -> list[metrics.Metric]:
    return [
        m
        for m in metrics.all_metrics()
        if m.kind == "count" and m.records is not None and getattr(m, "body_field", None)
    ]


def _split(text: str, unit: str) -> tuple[str, str]:
    """ "550余人次" → ("550余", "人次"): the number large, the unit small on the display."""
    if unit and text.endswith(unit) and text != unit:
        return text[: -len(unit)], unit
    return text, ""


class _Values:
    """metrics.compute, once per (metric, scope) within one request."""

    def __init__(self):
        self.found: dict = {}

    def __call__(self, metric_id: str, scope: Scope) -> metrics.Value:
        key = (metric_id, scope)
        if key not in self.found:
            self.found[key] = metrics.compute(metric_id, scope)
        return self.found[key]


def _compare(scope: Scope, all_metrics, compute) -> tuple[list[dict], list[dict]]:
    previous = Scope(scope.congress, scope.period.previous_year(), scope.include_lower)
    totals = []
    for m in all_metrics:
        now, before = compute(m.id, scope), compute(m.id, previous)
        a, b = number(now.value), number(before.value)
        figure, unit = _split(now.text, m.unit)
        totals.append(
            {
                "id": m.id,
                "label": m.label,
                "unit": m.unit,
                "kind": m.kind,
                "value": a,
                "text": now.text,
                "figure": figure,
                "figure_unit": unit,
                "previous": b,
                "previous_text": before.text,
                "change": None if a is None or b is None else round(a - b, m.decimals if m.ratio else 0),
                "url": detail_url(m.id, scope.congress, scope.period.start.year, scope.include_lower),
            }
        )
    groups: dict[str, list[str]] = {}
    for t in totals:
        groups.setdefault(t["unit"], []).append(t["id"])
    return totals, [{"unit": unit, "ids": ids} for unit, ids in groups.items()]


def _monthly(scope: Scope, chosen) -> dict:
    series = []
    for m in monthly_metrics():
        values = [n for _, n in metrics.by_month(m.id, scope)]
        series.append(
            {
                "id": m.id,
                "label": m.label,
                "unit": m.unit,
                "values": values,
                "total": sum(values),
                "url": detail_url(m.id, scope.congress, scope.period.start.year, scope.include_lower),
            }
        )
    available = [s["id"] for s in series]
    picked = [i for i in (chosen or []) if i in available] or [i for i in DEFAULT_MONTHLY if i in available]
    return {"months": MONTHS, "series": series, "chosen": picked or available[:4]}


def _tree(scope: Scope, all_metrics, compute) -> dict:
    own = scope.congress
    children = list(Congress.objects.filter(parent=own).order_by("path"))
    columns = [{"id": own.pk, "label": f"{own.region}（本级）", "include_lower": False}]
    columns += [{"id": c.pk, "label": c.region, "include_lower": True} for c in children]
    parts = [(own, False)] + [(c, True) for c in children]
    year = scope.period.start.year
    rows = []
    for m in all_metrics:
        values = [number(compute(m.id, Scope(c, scope.period, lower)).value) for c, lower in parts]
        cells = [{"value": v, "url": detail_url(m.id, c, year, lower)} for v, (c, lower) in zip(values, parts)]
        total = compute(m.id, Scope(own, scope.period, include_lower=True))
        rows.append(
            {
                "id": m.id,
                "label": m.label,
                "unit": m.unit,
                "kind": m.kind,
                "values": values,
                "cells": cells,
                "total": number(total.value),
                "total_text": total.text,
                "total_url": detail_url(m.id, own, year, True),
            }
        )
    return {"columns": columns, "rows": rows, "has_lower": bool(children)}


def _bodies(scope: Scope) -> dict | None:
    chosen = body_metrics()
    if not chosen:
        return None
    counts: dict[str, dict] = {}
    for m in chosen:
        rows = m.records(scope).order_by().values(m.body_field).annotate(n=Count("pk"))
        counts[m.id] = {r[m.body_field]: r["n"] for r in rows}
    ids = {pk for found in counts.values() for pk in found if pk is not None}
    bodies = list(Body.objects.filter(pk__in=ids).order_by("congress__path", "order", "id"))
    columns = [{"id": b.pk, "label": b.short_name or b.name} for b in bodies]
    keys = [b.pk for b in bodies]
    if any(None in found for found in counts.values()):
        columns.append({"id": None, "label": "未注明机构"})
        keys.append(None)
    rows = [
        {"id": m.id, "label": m.label, "unit": m.unit, "values": [counts[m.id].get(k, 0) for k in keys]} for m in chosen
    ]
    return {"columns": columns, "rows": rows}


def data(scope: Scope, chosen: list[str] | None = None, screen: bool = False) -> dict:
    """Everything the dashboard shows; `screen`: only what the meeting-room display shows
    (its figures and the monthly chart: no tree, no bodies), for its periodic refresh."""
    all_metrics = metrics.all_metrics()
    compute = _Values()
    totals, groups = _compare(scope, all_metrics, compute)
    by_id = {t["id"]: t for t in totals}
    now = timezone.localtime()
    return {
        "scope": scope_dict(scope),
        "previous_label": scope.period.previous_year().label,
        "metrics": [metric_dict(m) for m in all_metrics],
        "totals": totals,
        "compare": groups,
        "monthly": _monthly(scope, chosen),
        "tree": None if screen else _tree(scope, all_metrics, compute),
        "bodies": None if screen else _bodies(scope),
        "screen": [by_id[i] for i in SCREEN_TILES if i in by_id] or totals[:6],
        "generated_at": now.isoformat(timespec="seconds"),
        "generated_label": f"{now:%Y年%m月%d日 %H:%M}",
    }
