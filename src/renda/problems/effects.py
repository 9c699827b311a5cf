"""What the transitions of a problem item do besides moving its state (called by the
workflow engine inside the transition's transaction)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max

from renda.core.models import Role, User
from renda.core.numbering import next_number
from renda.core.services import notify
from renda.workflow.engine import current_day
from renda.workflow.models import Deadline

from .models import ProblemItem


def unit_users(item: ProblemItem):
    return User.objects.filter(roles__role=Role.UNIT, roles__handling_unit=item.unit_id).distinct()


def in_charge_users(item: ProblemItem):
    """The staff of the body in charge; the congress's staff when that body has none."""
    staff = User.objects.filter(roles__role=Role.STAFF, roles__congress=item.congress_id)
    of_body = staff.filter(roles__body=item.body_id).distinct()
    return of_body if of_body.exists() else staff.distinct()


def supervisor_users(congress_id):
    """Whom an overdue item escalates to: the congress's staff and directors."""
    return User.objects.filter(roles__role__in=(Role.STAFF, Role.DIRECTOR), roles__congress=congress_id).distinct()


def list_(case: ProblemItem, data, user):
    """Numbered 问〔year〕N号 when it is listed (per congress and year of listing)."""
    year = case.listed_on.year
    numbered = ProblemItem.objects.filter(congress=case.congress_id, year=year)
    case.year = year
    case.sequence = next_number(
        "problems.item", year, congress=case.congress_id, seed=lambda: numbered.aggregate(m=Max("sequence"))["m"]
    )
    case.number = f"问〔{year}〕{case.sequence}号"
    notify(
        unit_users(case),
        f"【问题整改】请签收：{case.title}（{case.due_on:%Y年%m月%d日}前整改）",
        case.get_absolute_url(),
    )


def report_progress(case: ProblemItem, data, user):
    notify(in_charge_users(case), f"【整改进展】{case.unit.name}：{case.title}", case.get_absolute_url())


def request_closure(case: ProblemItem, data, user):
    # 销号 needs evidence: the refused closure keeps the unit's text (the form is shown again)
    if not data.get("files"):
        raise ValidationError({"files": ["申请销号须附整改佐证材料。"]})
    notify(in_charge_users(case), f"【申请销号】{case.unit.name}：{case.title}", case.get_absolute_url())


def accept_closure(case: ProblemItem, data, user):
    case.closed_on = current_day()
    notify(unit_users(case), f"【已销号】{case.title}", case.get_absolute_url())


def return_closure(case: ProblemItem, data, user):
    notify(unit_users(case), f"【销号申请被退回】{case.title}：{data['note'][:80]}", case.get_absolute_url())


def recheck_fail(case: ProblemItem, data, user):
    """A problem that came back: rectifying again, by a new deadline (the clock restarts on it)."""
    new_due = data["new_due_on"]
    if new_due <= current_day():
        raise ValidationError({"new_due_on": ["新的整改期限须晚于复查之日。"]})
    case.due_on, case.closed_on = new_due, None
    notify(unit_users(case), f"【复查发现反弹】请重新整改：{case.title}", case.get_absolute_url())


def urge(case: ProblemItem, data, user):
    notify(unit_users(case), f"【催办】{case.title}：{data['note'][:80]}", case.get_absolute_url(), kind="reminder")


def extend(case: ProblemItem, data, user):
    """延期: the running clock is extended (its reason and approver kept) and the item's deadline follows."""
    from renda.workflow.engine import extend_deadline

    new_due = data["new_due_on"]
    clock = Deadline.objects.for_case(case).filter(key="rectify").exclude(status=Deadline.Status.STOPPED).first()
    if clock is None:
        raise ValidationError({"new_due_on": ["该问题没有正在计算的整改期限。"]})
    extend_deadline(clock, new_due, data["note"], user)
    case.due_on = new_due
    notify(unit_users(case), f"【整改期限延长】{case.title}：延至{new_due:%Y年%m月%d日}", case.get_absolute_url())


def form_initial(case: ProblemItem, key: str, user=None) -> dict:
    from datetime import timedelta

    if key == "extend":
        return {"new_due_on": case.due_on + timedelta(days=30)}
    if key == "recheck_fail":
        return {"new_due_on": current_day() + timedelta(days=60)}
    return {}
