"""Metrics of sittings (seed section 五: 邀请代表列席常委会会议N人次).

An observer seat is a `workflow.Participation` of capacity 列席 on a sitting; it counts as a
deputy's when it was recorded with the deputy's mandate (heads of the 一府一委两院 who observe
are not counted here). Dated by the sitting's day."""

from django.contrib.contenttypes.models import ContentType

from renda.core.models import CommitteeMeeting
from renda.reports.metrics import Scope, metric
from renda.workflow.models import Participation


@metric(
    "deputies.observer_attendances",
    label="代表列席常委会会议",
    unit="人次",
    section="deputies",
    date_field="on",
    definition="以人大代表身份列席常委会会议的人次：每位代表每列席一次会议计一人次，按会议日期计入年度；"
    "一府一委两院负责人等非代表列席者不计。",
)
def observer_attendances(scope: Scope):
    return Participation.objects.filter(
        content_type=ContentType.objects.get_for_model(CommitteeMeeting),
        capacity=Participation.Capacity.OBSERVER,
        deputy__isnull=False,
        congress__in=scope.congresses,
        **scope.dates("on"),
    )
