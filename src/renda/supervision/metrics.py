"""Metrics of supervision (seed section 三): reports heard, inspections, investigations,
inquiries, satisfaction votes and their results, opinions sent and answered on time, 质询案.

Each figure counts the records of its own year: a report by the day it was deliberated
(`held_on`), an inspection or investigation by the day its team last acted on it (`held_on`:
fieldwork, then the deliberation or the opinions), a vote by the day it closed, opinions by the
day they were sent (the response clock's start). A withdrawn item is never counted.

Satisfaction votes (满意度测评, SUP-8) are ballots of the one ballot mechanism about an item,
counted by the ballot's own tally. A re-vote after a failing result (the organ reported again)
is a second vote on the same item: `satisfaction_items` counts the item once (the seed's
“对…4项工作进行了满意度测评”), `satisfaction_votes` counts every vote, and the results are
per vote.
"""

from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, Subquery

from renda.ballots import services as ballots
from renda.ballots.models import Ballot
from renda.core.models import HandlingUnit
from renda.meetings.models import Speech
from renda.reports.metrics import Scope, metric, ratio
from renda.workflow.models import Deadline, Participation
from renda.workflow.registry import case_type_of

from .models import Inquiry, Interpellation, Investigation, LawInspection, WorkReport

ITEMS = (WorkReport, LawInspection, Investigation, Inquiry)
ITEM_TYPES = tuple(m.case_type_key for m in ITEMS)
GOVERNMENT = (HandlingUnit.Kind.GOVERNMENT, HandlingUnit.Kind.DEPARTMENT, HandlingUnit.Kind.LOWER_GOVERNMENT)
# The statutory finance reports (plan, budget, final accounts, audit) are reviewed under the
# budget work (SUP-5); the seed's 专项工作报告 are the others, incl. state assets and environment.
FINANCE = (
    WorkReport.Kind.PLAN_EXECUTION,
    WorkReport.Kind.BUDGET_EXECUTION,
    WorkReport.Kind.FINAL_ACCOUNTS,
    WorkReport.Kind.AUDIT,
    WorkReport.Kind.AUDIT_RECTIFICATION,
)


def _url(obj):
    return obj.get_absolute_url()


def _item_url(content_type_id, object_id):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return case_type_of(model).url(SimpleNamespace(pk=object_id))


def _held(model, scope: Scope):
    return model.objects.filter(congress__in=scope.congresses, **scope.dates("held_on")).exclude(state="withdrawn")


def _organ_kind(kinds) -> Q:
    # the organ supervised; an item naming only the department goes by the department
    return Q(organ__kind__in=kinds) | Q(organ__isnull=True, unit__kind__in=kinds)


# ---------------------------------------------------------------- work reports


@metric(
    "supervision.reports_heard",
    label="听取审议专项工作报告",
    unit="项",
    section="supervision",
    url=_url,
    date_field="held_on",
    definition="常委会会议审议日期在本期内的专项工作报告项数（含国有资产管理、环境状况报告；"
    "计划、预算、决算、审计工作报告和审计查出问题整改情况报告另计）。重新报告不另计。",
)
def reports_heard(scope):
    return _held(WorkReport, scope).exclude(kind__in=FINANCE)


@metric(
    "supervision.reports_heard_government",
    label="听取审议人民政府专项工作报告",
    unit="项",
    section="supervision",
    url=_url,
    date_field="held_on",
    definition="上述专项工作报告中，被监督机关为人民政府（含其工作部门）的项数。",
)
def reports_heard_government(scope):
    return reports_heard(scope).filter(_organ_kind(GOVERNMENT))


@metric(
    "supervision.reports_heard_judicial",
    label="听取审议监察委员会、人民法院、人民检察院专项工作报告",
    unit="项",
    section="supervision",
    url=_url,
    date_field="held_on",
    definition="上述专项工作报告中，被监督机关为监察委员会、人民法院或人民检察院（“一委两院”）的项数。",
)
def reports_heard_judicial(scope):
    kinds = (
        HandlingUnit.Kind.SUPERVISORY_COMMISSION,
        HandlingUnit.Kind.COURT,
        HandlingUnit.Kind.PROCURATORATE,
    )
    return reports_heard(scope).filter(_organ_kind(kinds))


for _kind, _label in (
    (HandlingUnit.Kind.SUPERVISORY_COMMISSION, "监察委员会"),
    (HandlingUnit.Kind.COURT, "人民法院"),
    (HandlingUnit.Kind.PROCURATORATE, "人民检察院"),
):

    def _of_kind(scope, _kind=_kind):
        return reports_heard(scope).filter(_organ_kind((_kind,)))

    metric(
        f"supervision.reports_heard_{_kind}",
        label=f"听取审议{_label}专项工作报告",
        unit="项",
        section="supervision",
        url=_url,
        date_field="held_on",
        definition=f"上述专项工作报告中，被监督机关为{_label}的项数。",
    )(_of_kind)


@metric(
    "supervision.finance_reports_heard",
    label="听取审议计划、预算、决算和审计工作报告",
    unit="项",
    section="supervision",
    url=_url,
    date_field="held_on",
    definition="审议日期在本期内的计划执行、预算执行、决算、审计工作和审计查出问题整改情况报告项数。",
)
def finance_reports_heard(scope):
    return _held(WorkReport, scope).filter(kind__in=FINANCE)


# ---------------------------------------------------------------- inspections, investigations, inquiries


@metric(
    "supervision.law_inspections",
    label="执法检查",
    unit="次",
    section="supervision",
    url=_url,
    date_field="held_on",
    definition="本期内开展（组成检查组、提请审议）的执法检查次数，按最近一次开展或审议的日期计入年度；撤销的不计。",
)
def law_inspections(scope):
    return _held(LawInspection, scope)


def _investigations(kinds, label, id_, what):
    def records(scope):
        return _held(Investigation, scope).filter(kind__in=kinds)

    metric(
        f"supervision.{id_}",
        label=label,
        unit="次",
        section="supervision",
        url=_url,
        date_field="held_on",
        definition=f"本期内开展的{what}次数，按开展（或形成意见送有关机关）的日期计入年度；撤销的不计。",
    )(records)
    return records


K = Investigation.Kind
investigations = _investigations(K.values, "调研视察", "investigations", "专题调研、执法调研、视察和跟踪监督")
topical_investigations = _investigations((K.INVESTIGATION,), "专题调研", "topical_investigations", "专题调研")
law_investigations = _investigations((K.LAW_INVESTIGATION,), "执法调研", "law_investigations", "执法调研")
inspections = _investigations((K.INSPECTION, K.COLLECTIVE_INSPECTION), "视察", "inspections", "视察（含主任集体视察）")
collective_inspections = _investigations(
    (K.COLLECTIVE_INSPECTION,), "主任集体视察", "collective_inspections", "主任集体视察"
)
follow_ups = _investigations((K.FOLLOW_UP,), "跟踪监督", "follow_ups", "跟踪监督")


@metric(
    "supervision.inquiries",
    label="专题询问",
    unit="次",
    section="supervision",
    url=_url,
    date_field="held_on",
    definition="在本期内的常委会会议上开展的专题询问次数。",
)
def inquiries(scope):
    return _held(Inquiry, scope)


@metric(
    "supervision.interpellations",
    label="质询案",
    unit="件",
    section="supervision",
    url=_url,
    date_field="planned_on",
    definition="本期内常委会组成人员联名提出的质询案件数（含主任会议决定不予交付的）。",
)
def interpellations(scope):
    return Interpellation.objects.filter(congress__in=scope.congresses, **scope.dates("planned_on"))


# ---------------------------------------------------------------- satisfaction votes (SUP-8)


def _ballot_url(b):
    return _item_url(b.content_type_id, b.object_id)


def _votes(scope):
    types = ContentType.objects.get_for_models(*ITEMS).values()
    return Ballot.objects.filter(
        congress__in=scope.congresses,
        content_type__in=[t.pk for t in types],
        rule="majority_of_cast",
        state=Ballot.State.CLOSED,
        **scope.datetimes("closed_at"),
    )


@metric(
    "supervision.satisfaction_votes",
    label="满意度测评（次）",
    unit="次",
    section="supervision",
    url=_ballot_url,
    date_field="closed_at",
    definition="本期内结束计票的、对监督事项（报告或研究处理情况）的满意度测评次数；测评不满意、重新报告后再次测评的另计一次。",
)
def satisfaction_votes(scope):
    return _votes(scope)


@metric(
    "supervision.satisfaction_items",
    label="进行满意度测评的工作",
    unit="项",
    section="supervision",
    url=_ballot_url,
    date_field="closed_at",
    definition="本期内进行了满意度测评的监督事项项数：同一事项再次测评的只计一项（以其本期第一次测评为记录）。",
)
def satisfaction_items(scope):
    votes = _votes(scope)
    first = (
        votes.filter(content_type=OuterRef("content_type"), object_id=OuterRef("object_id"))
        .order_by("closed_at", "pk")
        .values("pk")[:1]
    )
    return votes.filter(pk=Subquery(first))


def _by_result(scope, passed: bool):
    # counted by the ballot's own tally (its pass rule and threshold), never by a second count;
    # so the records are known only after tallying: no date_field, record_years (one query)
    # reads the votes' years from satisfaction_votes
    votes = _votes(scope)
    return votes.filter(pk__in=[b.pk for b in votes if ballots.tally(b).outcome.passed is passed])


@metric(
    "supervision.satisfaction_passed",
    label="测评结果为满意",
    unit="次",
    section="supervision",
    url=_ballot_url,
    definition="上述满意度测评中，满意和基本满意票达到通过标准（RENDA_SATISFACTION_PASS_PERCENT）的次数。",
)
def satisfaction_passed(scope):
    return _by_result(scope, True)


@metric(
    "supervision.satisfaction_failed",
    label="测评结果为不满意",
    unit="次",
    section="supervision",
    url=_ballot_url,
    definition="上述满意度测评中未达到通过标准的次数（有关机关须重新报告）。",
)
def satisfaction_failed(scope):
    return _by_result(scope, False)


# ---------------------------------------------------------------- opinions and responses (SUP-4)


def _deadline_url(d):
    return _item_url(d.content_type_id, d.object_id)


def _responses(scope):
    return Deadline.objects.filter(
        congress__in=scope.congresses, case_type__in=ITEM_TYPES, key="response", **scope.dates("started_on")
    )


@metric(
    "supervision.opinions_sent",
    label="交办审议意见",
    unit="件",
    section="supervision",
    url=_deadline_url,
    date_field="started_on",
    definition="本期内交办有关机关的审议意见件数（每交办一次，报送研究处理情况的期限开始计算一次）。",
)
def opinions_sent(scope):
    return _responses(scope)


@metric(
    "supervision.opinions_answered_on_time",
    label="按期报送研究处理情况",
    unit="件",
    section="supervision",
    url=_deadline_url,
    date_field="started_on",
    definition="上述审议意见中，有关机关在期限（含经同意的延期）届满之日或之前报送研究处理情况的件数。",
)
def opinions_answered_on_time(scope):
    return _responses(scope).filter(status=Deadline.Status.STOPPED, stopped_on__lte=F("due_on"))


ratio(
    "supervision.opinions_on_time_rate",
    label="审议意见按期反馈率",
    numerator="supervision.opinions_answered_on_time",
    denominator="supervision.opinions_sent",
    section="supervision",
    definition="按期报送研究处理情况的件数 ÷ 交办审议意见件数 × 100%，保留一位小数，四舍五入。",
)


# ---------------------------------------------------------------- deliberation speeches


@metric(
    "supervision.speeches_circulated",
    label="通报审议发言",
    unit="篇",
    section="supervision",
    url=lambda s: _item_url(s.content_type_id, s.object_id),
    date_field="circulated_at",
    definition="本期内向有关机关通报的常委会组成人员（及列席代表）审议发言篇数。",
)
def speeches_circulated(scope):
    # the speeches on supervision items: what the organs were told (not those on bills, decisions …)
    kinds = ContentType.objects.get_for_models(*ITEMS, Interpellation).values()
    return Speech.objects.filter(
        congress__in=scope.congresses, content_type__in=[t.pk for t in kinds], **scope.datetimes("circulated_at")
    )


@metric(
    "deputies.inspection_participations",
    label="代表参加执法检查、视察、调研",
    unit="人次",
    section="deputies",
    date_field="on",
    approximate=True,
    url=lambda p: p.url,
    definition="以人大代表身份受邀参加执法检查组、调研组的人次：每位代表每参加一个检查组或调研组计一人次"
    "（参与记录中身份为“代表”），按记录日期计入年度；组成人员作为检查组成员参加的不计。",
)
def inspection_participations(scope: Scope):
    # declared here, beside the records: the team's invited deputies (effects.team) are
    # Participation rows of capacity 代表 on inspections and investigations
    return Participation.objects.filter(
        content_type__in=[ContentType.objects.get_for_model(m) for m in (LawInspection, Investigation)],
        capacity=Participation.Capacity.DEPUTY,
        deputy__isnull=False,
        congress__in=scope.congresses,
        **scope.dates("on"),
    )
