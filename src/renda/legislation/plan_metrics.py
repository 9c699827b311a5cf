"""Metrics of the legislative plan: needs received (立法项目建议) and refused, plan items by
category. A need counts by the day it was received; a plan item by its plan's year (the items
of the plans adopted in the period), so an adjusted plan counts what it holds now."""

from renda.reports.metrics import Scope, metric

from .plan_models import LegislativeNeed, PlanItem


def _url(obj):
    return f"/work/legislation/plans/needs/{obj.pk}/"


def _item_url(obj):
    return f"/work/legislation/plans/{obj.plan_id}/"


@metric(
    "legislation.needs_received",
    label="收到立法项目建议",
    unit="件",
    section="legislation",
    url=_url,
    date_field="submitted_on",
    definition="提出日期在本期内的立法项目建议件数（政府提出、代表议案建议、专门委员会和工作委员会、公众建议）。",
)
def needs_received(scope: Scope):
    return LegislativeNeed.objects.filter(congress__in=scope.congresses, **scope.dates("submitted_on"))


@metric(
    "legislation.needs_from_public",
    label="公众提出的立法项目建议",
    unit="件",
    section="legislation",
    url=_url,
    date_field="submitted_on",
    definition="其中通过门户网站由公众提出的件数。",
)
def needs_from_public(scope: Scope):
    return needs_received(scope).filter(source=LegislativeNeed.Source.PUBLIC)


@metric(
    "legislation.needs_refused",
    label="经立项论证不予立项的建议",
    unit="件",
    section="legislation",
    url=_url,
    date_field="decided_on",
    definition="论证日期在本期内、决定不予立项（写明理由）的立法项目建议件数。",
)
def needs_refused(scope: Scope):
    return LegislativeNeed.objects.filter(congress__in=scope.congresses, state="refused", **scope.dates("decided_on"))


def _items(scope: Scope):
    return PlanItem.objects.filter(
        plan__congress__in=scope.congresses,
        plan__kind="plan",
        plan__adopted_on__gte=scope.period.start,
        plan__adopted_on__lte=scope.period.end,
    )


@metric(
    "legislation.plan_items",
    label="年度立法计划项目",
    unit="件",
    section="legislation",
    url=_item_url,
    date_field="plan__adopted_on",
    definition="主任会议通过日期在本期内的年度立法计划所列项目件数（正式项目、预备项目、调研项目，含调整后增加的）。",
)
def plan_items(scope: Scope):
    return _items(scope)


@metric(
    "legislation.plan_formal_items",
    label="年度立法计划正式项目",
    unit="件",
    section="legislation",
    url=_item_url,
    date_field="plan__adopted_on",
    definition="其中正式项目（计划当年提请审议）的件数。",
)
def plan_formal_items(scope: Scope):
    return _items(scope).filter(category=PlanItem.Category.FORMAL)
