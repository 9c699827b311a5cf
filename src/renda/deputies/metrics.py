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


# Liaison stations and 码上见代表 (issue 15 item 5)


@metric(
    "deputies.station_receptions",
    label="代表联络站接待",
    unit="次",
    section="deputies",
    date_field="on",
    url=lambda r: reverse("deputies:station", args=[r.station_id]),
    definition="期间内代表联络站（人大代表之家）登记的接待日：每一接待日计1次，按接待日期计入年度，"
    "计入联络站所属人大。",
)
def station_receptions(scope: Scope):
    from .models import Reception

    return Reception.objects.filter(congress__in=scope.congresses, **scope.dates("on")).select_related("station")


@metric(
    "deputies.messages_answered",
    label="答复群众留言",
    unit="件",
    section="deputies",
    date_field="answered_at",
    url=lambda m: reverse("deputies:message", args=[m.pk]),
    definition="期间内办结的“码上见代表”群众留言：代表或联络站直接答复、转为代表建议或转交有关单位的，"
    "每条留言计1件，按办结时间计入年度。",
)
def messages_answered(scope: Scope):
    from .models import MeetMessage

    return MeetMessage.objects.filter(
        congress__in=scope.congresses, answered_at__isnull=False, **scope.datetimes("answered_at")
    ).exclude(state=MeetMessage.State.NEW)
