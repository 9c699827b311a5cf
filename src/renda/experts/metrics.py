"""Metrics of the think tank (section 监督: experts take part in supervision first)."""

from renda.reports.metrics import Scope, metric

from .models import ExpertAssignment, ExpertOpinion


@metric(
    "experts.assignments",
    label="专家参与",
    unit="人次",
    section="supervision",
    url=lambda a: a.url or a.expert.get_absolute_url(),
    date_field="assigned_on",
    definition="期间内邀请日期落在本期的专家参与记录条数：一位专家参与一项事项计1人次（专家智库）。",
)
def assignments(scope: Scope):
    return ExpertAssignment.objects.filter(congress__in=scope.congresses, **scope.dates("assigned_on")).select_related(
        "expert__person"
    )


@metric(
    "experts.opinions",
    label="专家书面意见",
    unit="份",
    section="supervision",
    url=lambda o: o.assignment.url or o.assignment.expert.get_absolute_url(),
    date_field="submitted_on",
    definition="期间内提交日期落在本期的专家书面意见份数（按所参与事项所属人大统计）。",
)
def opinions(scope: Scope):
    return ExpertOpinion.objects.filter(
        assignment__congress__in=scope.congresses, **scope.dates("submitted_on")
    ).select_related("assignment__expert__person")
