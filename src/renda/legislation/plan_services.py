"""Writing the legislative plan's records: plans, needs (from the staff, a department, the
public form), the appraisal's effects, plan items, and the bill a formal project starts.
Each checks the permission and refuses bad input in Chinese."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from renda.core import clock
from renda.core.models import CommitteeMeeting
from renda.core.scoping import MANAGE_ROLES, actor_of, allowed, require, visible
from renda.core.services import audit
from renda.workflow.engine import current_day, perform
from renda.workflow.links import link
from renda.workflow.models import Link

from . import services
from .models import Bill
from .plan_models import LegislativeNeed, LegislativePlan, PlanItem

BILL_LINK = Link.Kind.CONCERNS  # a plan item 涉及 the bill it started; the bill 为…所涉及


def _dated(on: date | None):
    return clock.dated(clock.on(on)) if on and on != date.today() else clock.dated(None)


def plan_congresses(user):
    """The congresses whose plans the user keeps (staff, administrators; with a standing committee)."""
    return actor_of(user).congresses(*MANAGE_ROLES).filter(has_standing_committee=True).order_by("path")


# ---------------------------------------------------------------- the plan


@transaction.atomic
def create_plan(by, congress, year: int, *, kind=LegislativePlan.Kind.PLAN, title="", text="", on=None):
    kind = LegislativePlan.Kind(kind)
    plan = LegislativePlan(congress=congress, kind=kind, year=year, text=(text or "").strip())
    plan.title = (title or "").strip() or (
        f"{year}年度立法计划" if kind == LegislativePlan.Kind.PLAN else f"{year}—{year + 4}年立法规划"
    )
    require(by, "add", LegislativePlan)
    if not allowed(by, "change", plan):
        raise PermissionDenied("您不能为该人大起草立法计划。")
    if LegislativePlan.objects.filter(congress=congress, kind=kind, year=year).exists():
        raise ValidationError({"year": [f"{plan.period_label}的{kind.label}已经存在。"]})
    with _dated(on):
        plan.save()
    audit(by, "create", plan, {"year": year, "kind": kind, "title": plan.title})
    return plan


def _adjust(plan, by, what: str, reason: str, on=None):
    """An adopted plan changes only with a reason, kept on its timeline (调整计划)."""
    if plan.state == "draft":
        return
    if not (reason or "").strip():
        raise ValidationError({"reason": ["计划已经主任会议通过，调整须说明理由。"]})
    perform(plan, "adjust", by, {"note": f"{what}：{reason.strip()}"}, today=on)


def _item_errors(plan, *, title, category, area, area_basis, drafter, planned_month) -> dict:
    errors = {}
    if not title:
        errors["title"] = "请填写项目名称。"
    if category not in PlanItem.Category.values:
        errors["category"] = "请选择项目类别。"
    if not drafter:
        errors["drafter"] = "请填写起草单位。"
    if planned_month is not None and not 1 <= planned_month <= 12:
        errors["planned_month"] = "月份应为1至12。"
    errors.update(services.area_errors(area, area_basis))  # LEG-1: the bills' own check
    return errors


@transaction.atomic
def add_item(
    by,
    plan: LegislativePlan,
    *,
    title,
    category,
    area,
    drafter,
    area_basis="",
    sitting=None,
    planned_month=None,
    need=None,
    reason="",
    on=None,
) -> PlanItem:
    """A project put in the plan (directly, or by accepting a need: then `need`)."""
    if by is not None:
        require(by, "add_item", plan)
    item = PlanItem(
        plan=plan,
        need=need,
        title=(title or "").strip(),
        category=category,
        area=area,
        area_basis=(area_basis or "").strip(),
        drafter=(drafter or "").strip(),
        sitting=sitting,
        planned_month=planned_month,
        created_by=by,
    )
    errors = _item_errors(
        plan,
        title=item.title,
        category=category,
        area=area,
        area_basis=item.area_basis,
        drafter=item.drafter,
        planned_month=planned_month,
    )
    if sitting is not None and sitting.term.congress_id != plan.congress_id:
        errors["sitting"] = "请选择本级人大常委会的会议。"
    if errors:
        raise ValidationError(errors)
    _adjust(plan, by, f"增加{item.get_category_display()}“{item.title}”", reason, on)
    with _dated(on):
        item.save()
    audit(by, "create", item, {"title": item.title, "plan": plan.pk, "category": category})
    return item


def narrow(case, key, form):
    """The choices of a need's transition form, to the case's congress (a plan's own form is
    narrowed by workflow/plans.py)."""
    if "sitting" in form.fields:
        form.fields["sitting"].queryset = CommitteeMeeting.objects.filter(
            term__congress_id=case.congress_id, kind=CommitteeMeeting.Kind.STANDING_COMMITTEE
        ).select_related("term__congress")
    if "plan" in form.fields:
        form.fields["plan"].queryset = LegislativePlan.objects.filter(congress_id=case.congress_id)


# ---------------------------------------------------------------- needs


def _need(congress, *, source, title, reason, area, area_basis="", unit=None, body=None, proposer="", contact=""):
    need = LegislativeNeed(
        congress=congress,
        source=source,
        title=(title or "").strip()[:200],
        reason=(reason or "").strip(),
        area=area,
        area_basis=(area_basis or "").strip()[:200],
        unit=unit,
        body=body,
        proposer=(proposer or "").strip()[:80],
        contact=(contact or "").strip()[:80],
        submitted_on=current_day(),
    )
    errors = {}
    if not need.title:
        errors["title"] = "请填写建议的法规名称。"
    if len(need.reason) < 10:
        errors["reason"] = "请写明立法的必要性和主要内容（至少10个字）。"
    if area not in Bill.Area.values:
        errors["area"] = "请选择立法事项范围。"
    if source == LegislativeNeed.Source.GOVERNMENT and unit is None:
        errors["unit"] = "政府提出的立法项目建议须写明提出单位。"
    if source == LegislativeNeed.Source.COMMITTEE and body is None:
        errors["body"] = "请选择提出建议的专门委员会或工作委员会。"
    if errors:
        raise ValidationError(errors)
    return need


@transaction.atomic
def record_need(
    by,
    congress,
    *,
    source,
    title,
    reason,
    area,
    area_basis="",
    unit=None,
    body=None,
    proposer="",
    suggestion=None,
    on=None,
) -> LegislativeNeed:
    """A need recorded at work: by the staff (any source), or by a department (its own, 政府提出).
    A deputy's need names the suggestion (代表建议) it arises from: a workflow.Link 源于."""
    if source not in LegislativeNeed.Source.values or source == LegislativeNeed.Source.PUBLIC:
        raise ValidationError({"source": "请选择建议来源（公众建议通过门户网站提出）。"})
    if source == LegislativeNeed.Source.DEPUTY and suggestion is None:
        raise ValidationError({"suggestion": "代表议案、建议提出的，请填写所依据的代表建议编号。"})
    with _dated(on):
        need = _need(
            congress,
            source=source,
            title=title,
            reason=reason,
            area=area,
            area_basis=area_basis,
            unit=unit,
            body=body,
            proposer=proposer,
        )
        if on:
            need.submitted_on = on
        require(by, "add", need)
        need.save()
    if suggestion is not None:
        link(need, suggestion, Link.Kind.ARISES_FROM, by)
    audit(by, "create", need, {"title": need.title, "source": source})
    return need


def submit_need(congress, data: dict, *, today=None) -> LegislativeNeed:
    """A need sent by the public through the portal form (core/intake.py): no account."""
    need = _need(congress, source=LegislativeNeed.Source.PUBLIC, **data)
    if today:
        need.submitted_on = today
    with _dated(today):
        need.save()
    return need


def accept_effect(need, data, by):
    """立项: the need becomes a project of the chosen plan (LEG-1 checked as for a bill); an
    adopted plan takes it only with a reason (the act's note), kept on the plan's timeline."""
    plan = data["plan"]
    basis = (data.get("area_basis") or "").strip() or need.area_basis
    add_item(
        by,
        plan,
        title=need.title,
        category=data["category"],
        area=need.area,
        area_basis=basis,
        drafter=data["drafter"],
        sitting=data.get("sitting"),
        planned_month=data.get("planned_month"),
        need=need,
        reason=data.get("note", ""),
        on=current_day(),
    )
    need.area_basis = basis
    need.decided_on = current_day()
    need.save(update_fields=["area_basis", "decided_on"])


def refuse_effect(need, data, by):
    need.decided_on = current_day()
    need.save(update_fields=["decided_on"])


# ---------------------------------------------------------------- the bills of formal projects


@transaction.atomic
def link_bill(item: PlanItem, bill: Bill, by) -> Link:
    """The bill started for a formal project: a workflow.Link item 涉及 bill."""
    if item.category != PlanItem.Category.FORMAL:
        raise ValidationError("只有正式项目可以启动法规案起草。")
    if by is not None and not allowed(by, "start_bill", item):
        raise PermissionDenied("您不能为该立法计划项目关联法规案。")
    if bill.congress_id != item.plan.congress_id:
        raise ValidationError("法规案与立法计划不属于同一人大。")
    return link(item, bill, BILL_LINK, by)


@transaction.atomic
def start_bill(item: PlanItem, by, **bill_fields) -> Bill:
    """Start the bill of a formal project (legislation.services.create_bill, the title, area,
    basis and drafter taken from the item unless given) and link it; once per item."""
    if by is not None and not allowed(by, "start_bill", item):
        raise PermissionDenied("您不能为该立法计划项目启动法规案。")
    if item.category != PlanItem.Category.FORMAL:
        raise ValidationError("只有正式项目可以启动法规案起草。")
    if bills_of([item]).get(item.pk) is not None:
        raise ValidationError("该项目已经启动法规案。")
    fields = {
        "title": item.title.strip("《》"),
        "area": item.area,
        "area_basis": item.area_basis,
        "drafter": item.drafter,
        **bill_fields,
    }
    bill = services.create_bill(by, congress=item.plan.congress, **fields)
    link_bill(item, bill, by)
    return bill


def bills_of(items, user=None) -> dict:
    """item pk → the bill it started (seen by `user` when given): two queries for any number."""
    ids = [i.pk for i in items]
    if not ids:
        return {}
    rows = Link.objects.filter(
        from_type=ContentType.objects.get_for_model(PlanItem),
        from_id__in=ids,
        to_type=ContentType.objects.get_for_model(Bill),
        kind=BILL_LINK,
    ).values_list("from_id", "to_id")
    pairs = dict(rows)
    bills = (visible(user, Bill) if user is not None else Bill.objects.all()).filter(pk__in=pairs.values())
    found = {b.pk: b for b in bills}
    return {item_id: found.get(bill_id) for item_id, bill_id in pairs.items() if bill_id in found}


def plan_items(plan, user=None):
    """The plan's projects, each with `bill` (its bill, or None): a constant number of queries."""
    items = list(plan.items.select_related("need", "sitting__term__congress").order_by("category", "id"))
    bills = bills_of(items, user)
    for i in items:
        i.bill = bills.get(i.pk)
    return items
