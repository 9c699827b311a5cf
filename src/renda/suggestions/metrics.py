"""Metrics of deputy suggestions (seed section 五: 140 suggestions, all concluded,
satisfaction 98.6%)."""

from django.db.models import Count, Q

from renda.reports.metrics import Scope, metric, ratio

from .cases import SUGGESTION
from .models import Evaluation, Reply, Suggestion


def _url(obj):
    return f"/work/suggestions/{obj.pk}/"


def _own(scope: Scope):
    return Suggestion.objects.filter(congress__in=scope.congresses)


@metric(
    "suggestions.received",
    label="收到代表建议",
    unit="件",
    section="deputies",
    url=_url,
    date_field="submitted_on",
    definition="提出日期在本期内、已提交（不含草稿和待附议）的代表建议件数，含闭会期间提出的。",
)
def received(scope):
    return _own(scope).filter(**scope.dates("submitted_on")).exclude(state__in=SUGGESTION.states_tagged("drafting"))


@metric(
    "suggestions.registered",
    label="立案代表建议",
    unit="件",
    section="deputies",
    url=_url,
    date_field="registered_on",
    definition="立案日期在本期内的代表建议件数。",
)
def registered(scope):
    return _own(scope).filter(**scope.dates("registered_on"))


@metric(
    "suggestions.concluded",
    label="办结代表建议",
    unit="件",
    section="deputies",
    url=_url,
    date_field="concluded_on",
    definition="本期内提出、且已办结（代表测评满意或基本满意）的代表建议件数。",
)
def concluded(scope):
    return received(scope).filter(state="concluded")


@metric(
    "suggestions.replied_on_time",
    label="按期答复",
    unit="件",
    section="deputies",
    url=_url,
    definition="本期内提出的建议中，每一轮答复都在答复期限（含经同意的延期）内作出的件数。",
)
def replied_on_time(scope):
    late = Reply.objects.filter(on_time=False).values("suggestion")
    return received(scope).filter(replies__isnull=False).exclude(pk__in=late).distinct()


@metric(
    "suggestions.replied",
    label="已答复建议",
    unit="件",
    section="deputies",
    url=_url,
    definition="本期内提出、已有答复的建议件数。",
)
def replied(scope):
    return received(scope).filter(replies__isnull=False).distinct()


@metric(
    "suggestions.evaluations",
    label="满意度测评",
    unit="次",
    section="deputies",
    url=lambda e: _url(e.suggestion),
    date_field="evaluated_on",
    definition="本期内提出的建议收到的满意度测评次数；重新办理后的再次测评另计一次。",
)
def evaluations(scope):
    return Evaluation.objects.filter(suggestion__in=received(scope))


@metric(
    "suggestions.satisfied_evaluations",
    label="满意和基本满意的测评",
    unit="次",
    section="deputies",
    url=lambda e: _url(e.suggestion),
    date_field="evaluated_on",
    definition="上述测评中结果为“满意”或“基本满意”的次数。",
)
def satisfied_evaluations(scope):
    return evaluations(scope).filter(satisfaction__in=("satisfied", "basic"))


ratio(
    "suggestions.satisfaction_rate",
    label="代表满意率",
    numerator="suggestions.satisfied_evaluations",
    denominator="suggestions.evaluations",
    section="deputies",
    definition="（满意+基本满意）测评次数 ÷ 测评总次数 × 100%，保留一位小数，四舍五入；重新办理后的测评另计。",
)
ratio(
    "suggestions.on_time_rate",
    label="按期答复率",
    numerator="suggestions.replied_on_time",
    denominator="suggestions.replied",
    section="deputies",
    definition="按期答复的建议件数 ÷ 已答复建议件数 × 100%，保留一位小数。",
)


def unit_ranking(scope, units=None):
    """Units by timeliness: (unit, replies, on time, rate) over replies made in the period;
    `units`: only these units' lines."""
    replies = Reply.objects.filter(suggestion__congress__in=scope.congresses, **scope.dates("replied_on"))
    if units is not None:
        replies = replies.filter(unit__in=units)
    rows = (
        replies.values("unit__name")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
        .order_by("unit__name")
    )
    result = [(r["unit__name"], r["total"], r["on_time"], round(100 * r["on_time"] / r["total"], 1)) for r in rows]
    return sorted(result, key=lambda r: (-r[3], -r[1], r[0]))
