"""The legislative plan's case types, declared once: the plan (立法计划/立法规划: drafting →
adopted by the directors' meeting → published; adjusted with a reason) and the need
(立法项目建议: received → accepted into a plan as a project, or refused with a reason).
Only the congress's staff (and administrators) act; the directors and members see."""

from django import forms

from renda.core.models import CommitteeMeeting
from renda.workflow.engine import CaseType, State, Transition
from renda.workflow.guards import staff, staff_and_directors, unit_else_staff
from renda.workflow.plans import plan_case_type

from . import plan_services
from .plan_models import LegislativeNeed, LegislativePlan, PlanItem

LEGISLATIVE_PLAN = plan_case_type(  # the shared adopted plan (workflow/plans.py)
    key="legislative_plan",
    label="立法计划",
    model=LegislativePlan,
    url=lambda c: f"/work/legislation/plans/{c.pk}/",
    api_fields=("kind", "year", "adopted_on", "published_on"),
)

LEGISLATIVE_NEED = CaseType(
    key="legislative_need",
    label="立法项目建议",
    model=LegislativeNeed,
    initial="received",
    states=[
        State("received", "待立项论证"),
        State("accepted", "已列入计划", terminal=True),
        State("refused", "不予立项", terminal=True),
    ],
    transitions=[
        Transition(
            "accept",
            "立项：列入计划",
            ("received",),
            staff,
            target="accepted",
            effect=plan_services.accept_effect,
            fields={
                "plan": forms.ModelChoiceField(label="列入的立法计划", queryset=LegislativePlan.objects.all()),
                "category": forms.ChoiceField(label="项目类别", choices=PlanItem.Category.choices),
                "drafter": forms.CharField(label="起草单位", max_length=100),
                "sitting": forms.ModelChoiceField(
                    label="拟提请审议的常委会会议",
                    queryset=CommitteeMeeting.objects.filter(kind=CommitteeMeeting.Kind.STANDING_COMMITTEE),
                    required=False,
                ),
                "planned_month": forms.IntegerField(label="拟提请审议月份", min_value=1, max_value=12, required=False),
                "area_basis": forms.CharField(
                    label="法律授权依据",
                    max_length=200,
                    required=False,
                    help_text="立法事项范围为“其他”的，须写明法律的授权依据（立法法第八十一条）",
                ),
            },
        ),
        Transition(
            "refuse",
            "不予立项",
            ("received",),
            staff,
            target="refused",
            note_required=True,
            effect=plan_services.refuse_effect,
            button_style="secondary",
        ),
    ],
    url=lambda c: f"/work/legislation/plans/needs/{c.pk}/",
    responsible=unit_else_staff,
    supervisors=staff_and_directors,
    narrow=plan_services.narrow,
    year_field="submitted_on",
    api_fields=("source", "area", "submitted_on", "decided_on"),
)
