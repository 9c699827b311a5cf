"""Metrics of the party and self-building registers (seed sections 一 and 六)."""

from django.urls import reverse

from renda.reports.metrics import Scope, metric
from renda.workflow.models import Participation

from .models import PartyReport, PreStudy, StudySession, Training, WorkRule


def _study(kind):
    def records(scope: Scope):
        return StudySession.objects.filter(congress__in=scope.congresses, kind=kind, **scope.dates("date"))

    return records


def _url(name):
    return lambda obj: reverse(name, args=[obj.pk])


for kind, mid, label in (
    (StudySession.Kind.CENTRAL_GROUP, "party.study_sessions", "党组中心组学习会"),
    (StudySession.Kind.SEMINAR, "party.theory_seminars", "理论研讨"),
    (StudySession.Kind.LECTURE, "party.lectures", "专题辅导讲座"),
    (StudySession.Kind.COLLECTIVE, "party.collective_studies", "机关集体学习"),
):
    metric(
        mid,
        label=label,
        unit="次",
        section="party",
        url=_url("party:study_edit"),
        date_field="date",
        definition=f"期间内日期落在本期的“{label}”学习记录条数（学习登记簿，类别为{label}）。",
    )(_study(kind))


def _trainings(scope: Scope):
    return Training.objects.filter(congress__in=scope.congresses, **scope.dates("start_date"))


@metric(
    "party.member_trainings",
    label="组成人员专题培训",
    unit="期",
    section="party",
    url=_url("party:training_edit"),
    date_field="start_date",
    definition="期间内开始的、培训对象为常委会组成人员的培训期数（含参加上级举办的）。",
)
def member_trainings(scope):
    return _trainings(scope).filter(audience=Training.Audience.MEMBERS)


@metric(
    "party.deputy_trainings",
    label="代表培训",
    unit="期",
    section="party",
    url=_url("party:training_edit"),
    date_field="start_date",
    definition="期间内开始的、培训对象为人大代表的培训期数（含参加上级举办的）。",
)
def deputy_trainings(scope):
    return _trainings(scope).filter(audience=Training.Audience.DEPUTIES)


@metric(
    "selfbuilding.trainings_held",
    label="举办各类培训班",
    unit="期",
    section="selfbuilding",
    url=_url("party:training_edit"),
    date_field="start_date",
    definition="期间内开始的、由本级人大常委会举办（“本级举办”）的各类培训班期数。",
)
def trainings_held(scope):
    return _trainings(scope).filter(hosted=True)


@metric(
    "selfbuilding.training_participants",
    label="培训人数",
    unit="人次",
    section="selfbuilding",
    approximate=True,
    url=lambda p: reverse("party:training_edit", args=[p.object_id]),
    date_field="training__start_date",
    definition="本级举办的培训班的参训记录条数：一人参加一期计一人次，逐人登记，不填总数。",
)
def training_participants(scope):
    return Participation.objects.filter(
        capacity=Participation.Capacity.TRAINEE, training__in=trainings_held(scope)
    ).select_related("person")


@metric(
    "party.reports_to_committee",
    label="向党委报告",
    unit="次",
    section="party",
    url=_url("party:report_edit"),
    date_field="date",
    definition="期间内向同级党委报告工作和重大事项的请示报告登记条数。",
)
def reports_to_committee(scope):
    return PartyReport.objects.filter(
        congress__in=scope.congresses, kind=PartyReport.Kind.REPORT, **scope.dates("date")
    )


@metric(
    "party.requests_for_study",
    label="提请党委研究",
    unit="次",
    section="party",
    url=_url("party:report_edit"),
    date_field="date",
    definition="期间内就立法计划、重点议题等事项提请同级党委研究的登记条数。",
)
def requests_for_study(scope):
    return PartyReport.objects.filter(
        congress__in=scope.congresses, kind=PartyReport.Kind.REQUEST, **scope.dates("date")
    )


@metric(
    "party.pre_studies",
    label="党组前置研究",
    unit="项",
    section="party",
    url=_url("party:prestudy_edit"),
    date_field="date",
    definition="期间内党组对重大事项进行前置研究的登记条数。",
)
def pre_studies(scope):
    return PreStudy.objects.filter(congress__in=scope.congresses, **scope.dates("date"))


@metric(
    "selfbuilding.work_rules",
    label="制定修订工作制度",
    unit="项",
    section="selfbuilding",
    url=_url("party:rule_edit"),
    date_field="adopted_on",
    definition="期间内通过的制定或修订的工作制度条数。",
)
def work_rules(scope):
    return WorkRule.objects.filter(congress__in=scope.congresses, **scope.dates("adopted_on"))
