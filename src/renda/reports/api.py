"""The metrics API: definitions, values over a scope, and the records each value counts.

Read by the oversight roles (administrators, staff, directors, committee members) of a
congress, for that congress and those below it. Values are computed from the registry on
each request, as on the pages; nothing is stored.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from renda.core.api import MAX_PAGE, SQL_INT_MAX, id_filter
from renda.core.models import Congress
from renda.core.scoping import allowed

from . import dashboard, metrics
from .views import figure_link

router = Router(tags=["统计"])


class MetricOut(Schema):
    id: str
    label: str
    unit: str
    definition: str
    section: str
    kind: str  # count, sum or ratio
    parts: list[str] | None = None  # a ratio's numerator and denominator metrics


class ScopeOut(Schema):
    congress_id: int
    congress: str
    year: int
    include_lower: bool
    label: str
    start: date
    end: date


class ValueOut(Schema):
    metric: MetricOut
    value: int | float | None  # None: a ratio over zero
    text: str  # as Chinese documents write it: 12次, 550余人次, 98.6%, 暂无
    numerator: int | None = None
    denominator: int | None = None
    scope: ScopeOut
    records_url: str | None  # this API's list of the counted records (None for a ratio)
    page_url: str  # the page showing the figure with its records


class RecordOut(Schema):
    id: int
    label: str
    url: str | None


class RecordsOut(Schema):
    metric: str
    scope: ScopeOut
    count: int  # the records the user may see (items pages through them)
    hidden: int  # counted records the user may not see (not listed)
    items: list[RecordOut]


def year_filter():
    return Query(None, ge=dashboard.FIRST_YEAR, le=dashboard.LAST_YEAR, description="年度，默认为有记录的最近年度")


def lower_filter():
    return Query(False, description="是否含下级人大")


def _metric(metric_id: str) -> metrics.Metric:
    try:
        return metrics.get(metric_id)
    except LookupError:
        raise HttpError(404, "未知的指标。") from None


def _reader(request) -> None:
    """401 without credentials; 403 (PermissionDenied) without an oversight role."""
    if not request.user.is_authenticated:
        raise HttpError(401, "未登录：请携带令牌或先登录。")
    if not allowed(request.user, "report", Congress):
        raise PermissionDenied(dashboard.READ_DENIED)


def _metric_out(m: metrics.Metric) -> MetricOut:
    return MetricOut(**dashboard.metric_dict(m), parts=list(m.ratio) if m.ratio else None)


def _scope_out(scope) -> ScopeOut:
    s = dashboard.scope_dict(scope)
    return ScopeOut(
        congress_id=s["congress_id"],
        congress=s["congress"],
        year=s["year"],
        include_lower=s["include_lower"],
        label=s["label"],
        start=scope.period.start,
        end=scope.period.end,
    )


def _query(scope) -> str:
    q = f"congress={scope.congress.pk}&year={scope.period.start.year}"
    return q + ("&lower=true" if scope.include_lower else "")


def _label(record) -> str:
    if type(record).__str__ is models.Model.__str__:  # a model without its own label
        return f"{record._meta.verbose_name}（编号 {record.pk}）"
    return str(record)


@router.get("/metrics", response=list[MetricOut], summary="指标定义（统计口径）")
def list_metrics(request):
    _reader(request)
    return [_metric_out(m) for m in metrics.all_metrics()]


@router.get("/metrics/{metric_id}", response=ValueOut, summary="一个指标在某人大、某年度的数值")
def get_metric(
    request,
    metric_id: str,
    congress: int | None = id_filter(),
    year: int | None = year_filter(),
    lower: bool = lower_filter(),
):
    _reader(request)
    m = _metric(metric_id)
    scope = dashboard.resolve_scope(request.user, congress, year, lower)
    value = metrics.compute(m.id, scope)
    records_url = None if m.records is None else (reverse("api:metric_records", args=[m.id]) + "?" + _query(scope))
    return ValueOut(
        metric=_metric_out(m),
        value=dashboard.number(value.value),
        text=value.text,
        numerator=value.numerator,
        denominator=value.denominator,
        scope=_scope_out(scope),
        records_url=records_url,
        page_url=figure_link(value),
    )


@router.get(
    "/metrics/{metric_id}/records", response=RecordsOut, url_name="metric_records", summary="一个指标统计的记录（分页）"
)
def metric_records(
    request,
    metric_id: str,
    congress: int | None = id_filter(),
    year: int | None = year_filter(),
    lower: bool = lower_filter(),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=SQL_INT_MAX),
):
    _reader(request)
    m = _metric(metric_id)
    scope = dashboard.resolve_scope(request.user, congress, year, lower)
    if m.records is None:
        raise HttpError(404, "比率指标没有直接统计的记录：请分别查看其分子和分母指标。")
    seen, hidden = metrics.Value(m, scope, None).records_seen_by(request.user)
    qs = seen.order_by("pk")
    items = [RecordOut(id=r.pk, label=_label(r), url=m.url(r) if m.url else None) for r in qs[offset : offset + limit]]
    return RecordsOut(metric=m.id, scope=_scope_out(scope), count=qs.count(), hidden=hidden, items=items)
