"""Metrics of the roster (section 代表工作): by-elections and ended mandates in a period, each
counted from its own record (an event, a mandate) and linked to it."""

from urllib.parse import urlencode

from django.urls import reverse

from renda.core.models import Deputy
from renda.reports.metrics import Scope, metric

from .models import DeputyEvent


def _roster_on(event) -> str:
    query = urlencode({"congress": event.deputy.congress_id, "on": event.date.isoformat()})
    return f"{reverse('deputies:roster')}?{query}"


@metric(
    "deputies.by_elections",
    label="补选代表",
    unit="名",
    section="deputies",
    date_field="date",
    url=_roster_on,
    definition="期间内补选产生的代表：每一登记为补选的代表资格计1名，按补选日期计入年度（代表名册的代表变动）。",
)
def by_elections(scope: Scope):
    return DeputyEvent.objects.filter(
        kind=DeputyEvent.Kind.BY_ELECTION, deputy__congress__in=scope.congresses, **scope.dates("date")
    ).select_related("deputy__person")


@metric(
    "deputies.mandates_ended",
    label="代表资格终止",
    unit="名",
    section="deputies",
    date_field="ended_date",
    url=lambda d: reverse("core:deputy_detail", args=[d.pk]),
    definition="期间内终止的代表资格（辞职、罢免、调离本行政区域、终止资格等）：每一代表资格计1名，"
    "按终止日期（自该日起不再在任）计入年度。",
)
def mandates_ended(scope: Scope):
    return Deputy.objects.filter(
        congress__in=scope.congresses, status=Deputy.Status.ENDED, **scope.dates("ended_date")
    ).select_related("person", "congress")
