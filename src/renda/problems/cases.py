"""The case type of a problem item (问题), declared once. Its state keys are fixed:
supervision and the other modules that open items read them.

    new ─列入清单→ listed 待整改 ─签收→ rectifying 整改中 ─申请销号(附佐证)→ closure_requested
    closure_requested ─验收销号→ closed 已销号 ─复查通过→ rechecked (terminal)
                      ─退回→ rectifying            closed ─复查发现反弹(新期限)→ rectifying

One clock, `rectify` 整改期限, due on the item's own deadline (`due_on`): started when the
item is listed, stopped when closure is asked for, started again when the closure is returned
or the problem comes back. Reminders go to the unit, escalation to the congress's staff and
directors (workflow/tasks.py).
"""

from django import forms
from django.db.models import Q

from renda.core.models import Role
from renda.workflow.engine import NOBODY, CaseType, DeadlineRule, Guard, State, Transition

from . import effects
from .models import ProblemItem


def _own(a, *roles) -> Q:
    """Items of a congress in which the actor holds one of `roles` — that congress only: an
    upper level reads a lower level's ledger but does not act on it."""
    if a.is_superuser and Role.ADMIN in roles:
        return Q()
    ids = {x.congress_id for x in a.assignments if x.role in roles}
    return Q(congress__in=ids) if ids else NOBODY


def _not_own_unit(a) -> Q:
    # a unit never accepts, returns or re-checks its own problem, whatever other role it holds
    return ~Q(unit__in=a.unit_ids) if a.unit_ids else Q()


def _in_charge(a) -> Q:
    bodies = {x.body_id for x in a.assignments if x.role == Role.STAFF and x.body_id}
    q = Q(body__in=bodies) if bodies else NOBODY
    return (q | _own(a, Role.ADMIN)) & _not_own_unit(a)


unit = Guard("责任单位", lambda a: Q(unit__in=a.unit_ids) if a.unit_ids else NOBODY)
staff = Guard("机关工作人员", lambda a: _own(a, Role.STAFF, Role.ADMIN) & _not_own_unit(a))
in_charge = Guard("负责督办的机构", _in_charge)
directors = Guard("主任会议成员", lambda a: _own(a, Role.DIRECTOR) & _not_own_unit(a))

RECTIFY = DeadlineRule(
    "rectify",
    "整改期限",
    anchor=lambda c: c.due_on,
    anchor_label="清单确定的日期",
    citation="责任单位在期限内完成整改并申请销号",
)


def _new_due():
    return forms.DateField(label="新的整改期限", widget=forms.DateInput(attrs={"type": "date"}))


# Tags (PROBLEM.states_tagged):
#   with_unit            the responsible unit must act (sign, rectify)
#   awaiting_acceptance  the body in charge must accept or return the closure
#   done                 closed (销号), re-checked or not yet
STATES = [
    State("new", "登记中"),
    State("listed", "待整改", tags=("with_unit",)),
    State("rectifying", "整改中", tags=("with_unit",)),
    State("closure_requested", "申请销号", tags=("awaiting_acceptance",)),
    State("closed", "已销号", tags=("done",)),  # not terminal: re-checked after closure
    State("rechecked", "复查通过", terminal=True, tags=("done",)),
]

PROBLEM = CaseType(
    key="problem_item",
    label="问题整改",
    model=ProblemItem,
    initial="new",
    states=STATES,
    transitions=[
        # performed by open_problem when the item is opened: numbered, the clock starts
        Transition(
            "list",
            "列入问题清单",
            ("new",),
            staff,
            target="listed",
            effect=effects.list_,
            starts=(RECTIFY,),
            deadline_unit=lambda c, d: c.unit,
        ),
        Transition("sign", "签收", ("listed",), unit, target="rectifying"),
        Transition(
            "report_progress",
            "报告进展",
            ("listed", "rectifying"),
            unit,
            stay=True,
            note_required=True,
            attachments=True,
            effect=effects.report_progress,
        ),
        Transition(
            "request_closure",
            "申请销号",
            ("rectifying",),
            unit,
            target="closure_requested",
            note_required=True,
            attachments=True,
            effect=effects.request_closure,
            stops=("rectify",),
        ),
        Transition(
            "accept_closure",
            "验收销号",
            ("closure_requested",),
            in_charge | directors,
            target="closed",
            effect=effects.accept_closure,
        ),
        Transition(
            "return_closure",
            "退回",
            ("closure_requested",),
            in_charge | directors,
            target="rectifying",
            note_required=True,
            effect=effects.return_closure,
            starts=(RECTIFY,),
            deadline_unit=lambda c, d: c.unit,
            button_style="secondary",
        ),
        Transition("recheck_pass", "复查通过", ("closed",), in_charge | directors, target="rechecked"),
        Transition(
            "recheck_fail",
            "复查发现反弹",
            ("closed",),
            in_charge | directors,
            target="rectifying",
            note_required=True,
            effect=effects.recheck_fail,
            starts=(RECTIFY,),
            deadline_unit=lambda c, d: c.unit,
            fields={"new_due_on": _new_due()},
            button_style="secondary",
        ),
        Transition(
            "urge",
            "催办",
            ("listed", "rectifying", "closure_requested"),
            staff | directors,
            stay=True,
            note_required=True,
            effect=effects.urge,
            button_style="secondary",
        ),
        Transition(
            "extend",
            "延期",
            ("listed", "rectifying"),
            staff,
            stay=True,
            note_required=True,
            effect=effects.extend,
            fields={"new_due_on": _new_due()},
            button_style="secondary",
        ),
    ],
    responsible=lambda d: effects.unit_users(d.case),
    supervisors=lambda d: effects.supervisor_users(d.congress_id),
    url=lambda c: f"/work/problems/{c.pk}/",
    form_initial=effects.form_initial,
    year_field="listed_on",
    api_fields=("problem_list", "body", "unit", "measures", "due_on", "listed_on", "closed_on"),
)
