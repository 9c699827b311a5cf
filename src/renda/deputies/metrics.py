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


# --- double contact (双联系) and inspections: seed section 五 -----------------------------


def _contacts(scope: Scope, kind: str):
    from .models import ContactRecord

    return ContactRecord.objects.filter(kind=kind, congress__in=scope.congresses, **scope.dates("on")).select_related(
        "deputy__person"
    )


@metric(
    "deputies.member_visits",
    label="常委会组成人员联系走访代表",
    unit="人次",
    section="deputies",
    date_field="on",
    approximate=True,
    url=lambda r: r.get_absolute_url(),
    definition="常委会组成人员联系代表（走访、座谈、电话等）的人次：每一条“委员联系代表”记录为一名组成人员"
    "联系一名代表，计一人次，按联系日期计入年度；代表所属人大在统计范围内。",
)
def member_visits(scope: Scope):
    from .models import ContactRecord

    return _contacts(scope, ContactRecord.Kind.MEMBER_VISIT)


@metric(
    "deputies.constituent_contacts",
    label="代表联系群众",
    unit="人次",
    section="deputies",
    sum_of="people_reached",
    date_field="on",
    approximate=True,
    url=lambda r: r.get_absolute_url(),
    definition="代表联系群众的人次：各“代表联系群众”记录所联系群众人数之和（一次座谈联系20人计20人次；"
    "同一群众被联系两次计2人次），按联系日期计入年度；代表所属人大在统计范围内，基层（县、乡）代表的记录"
    "在统计下级人大时计入。",
)
def constituent_contacts(scope: Scope):
    from .models import ContactRecord

    return _contacts(scope, ContactRecord.Kind.CONSTITUENTS)


# Report-back (述职, issue 15 item 6)


@metric(
    "deputies.report_backs",
    label="代表向原选举单位述职",
    unit="人次",
    section="deputies",
    date_field="held_on",
    url=lambda r: r.get_absolute_url(),
    definition="期间内代表向原选举单位（选区）述职：每一次已举行的述职计1人次，按述职日期计入年度；"
    "代表所属人大在统计范围内。仅安排而未举行的不计。",
)
def report_backs(scope: Scope):
    from .models import ReportBack

    return ReportBack.objects.filter(
        congress__in=scope.congresses, held_on__isnull=False, **scope.dates("held_on")
    ).select_related("deputy__person")
