"""Metrics of the problem ledger (section 监督): counted from the items, whatever module
opened them."""

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from renda.reports.metrics import Scope, metric

from .cases import PROBLEM
from .models import ProblemItem, ProblemList

DONE = PROBLEM.states_tagged("done")


def _url(obj):
    return obj.get_absolute_url()


def _items(scope: Scope):
    return ProblemItem.objects.filter(congress__in=scope.congresses).exclude(state="new")


@metric(
    "problems.lists",
    label="问题清单",
    unit="个",
    section="supervision",
    url=_url,
    date_field="created_on",
    definition="建立日期在本期内、至少列有一个问题的问题清单个数（执法检查、专项工作报告、专题询问等各自的清单）。",
)
def lists(scope):
    return ProblemList.objects.filter(
        congress__in=scope.congresses, pk__in=_items(scope).values("problem_list"), **scope.dates("created_on")
    )


@metric(
    "problems.listed",
    label="列入清单的问题",
    unit="个",
    section="supervision",
    url=_url,
    date_field="listed_on",
    definition="列入日期在本期内的问题个数。",
)
def listed(scope):
    return _items(scope).filter(**scope.dates("listed_on"))


@metric(
    "problems.closed",
    label="已销号问题",
    unit="个",
    section="supervision",
    url=_url,
    date_field="closed_on",
    definition="销号日期在本期内、现仍为已销号或复查通过的问题个数（复查发现反弹的不计）。",
)
def closed(scope):
    return _items(scope).filter(state__in=DONE, **scope.dates("closed_on"))


@metric(
    "problems.closed_on_time",
    label="按期销号问题",
    unit="个",
    section="supervision",
    url=_url,
    date_field="closed_on",
    definition="本期内销号的问题中，销号日期不晚于整改期限（含经批准的延期）的个数。",
)
def closed_on_time(scope):
    return closed(scope).filter(closed_on__lte=F("due_on"))


@metric(
    "problems.overdue",
    label="逾期未销号问题",
    unit="个",
    section="supervision",
    url=_url,
    date_field="due_on",
    definition="截至本期末（本期未结束的，截至今日）整改期限已过、尚未销号的问题个数。",
)
def overdue(scope):
    cutoff = min(scope.period.end + timedelta(days=1), timezone.localdate())
    return (
        _items(scope)
        .filter(listed_on__lt=cutoff, due_on__lt=cutoff)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff))
    )
