"""Adopted plans (计划 adopted by the directors' meeting): the ONE mechanism behind the annual
supervision plan (supervision.SupervisionPlan, SUP-1) and the legislative plan and programme
(legislation.LegislativePlan): drafted by the staff, adopted by a directors' meeting (主任会议),
published, adjusted afterwards only with a reason.

* `AdoptedPlan`: the abstract model (congress, title from Case; year, text, adopted_at,
  adopted_on, published_on).
* `plan_case_type(...)`: the case type with the shared states (起草中 → 主任会议已通过 → 已公布)
  and transitions (adopt with the meeting, publish, adjust with a reason), their effects and the
  narrowing of the meeting to the plan's congress. A module passes only what differs: key,
  label, model, url, who adopts and adjusts, extra options (api_fields …).
* `plan_q` / `AdoptedPlanRule`: who sees a plan (everyone once published; the oversight roles
  of its congress always) and who changes it (its staff); a module registers a subclass with
  `@rule(Model)`.

Each module keeps its items (SupervisionItem, PlanItem), its pages and its own extra fields."""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import Q

from renda.core.models import CommitteeMeeting
from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule

from .engine import CaseType, State, Transition, current_day
from .guards import staff, staff_and_directors, unit_else_staff
from .models import Case


class AdoptedPlan(Case):
    year = models.PositiveSmallIntegerField("年度")
    text = models.TextField("计划说明", blank=True)
    adopted_on = models.DateField("通过日期", null=True, blank=True)
    adopted_at = models.ForeignKey(
        "core.CommitteeMeeting",
        verbose_name="通过的主任会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_on = models.DateField("公布日期", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------- the case type


def adopt(case, data, by):
    case.adopted_on = current_day()
    case.adopted_at = data["meeting"]
    case.save(update_fields=["adopted_on", "adopted_at"])


def publish(case, data, by):
    case.published_on = current_day()
    case.save(update_fields=["published_on"])


def directors_meetings(congress_id):
    return CommitteeMeeting.objects.filter(
        term__congress_id=congress_id, kind=CommitteeMeeting.Kind.DIRECTORS_MEETING
    ).select_related("term__congress")


def narrow(case, key, form):
    """The adopting meeting: a directors' meeting of the plan's own congress."""
    if "meeting" in form.fields:
        form.fields["meeting"].queryset = directors_meetings(case.congress_id)


def plan_case_type(*, key, label, model, url, adopt_by=staff, adjust_by=staff, **options) -> CaseType:
    return CaseType(
        key=key,
        label=label,
        model=model,
        initial="draft",
        states=[
            State("draft", "起草中"),
            State("adopted", "主任会议已通过"),
            State("published", "已公布", tags=("public",)),
        ],
        transitions=[
            Transition(
                "adopt",
                "主任会议通过",
                ("draft",),
                adopt_by,
                target="adopted",
                effect=adopt,
                fields={
                    "meeting": forms.ModelChoiceField(
                        label="主任会议",
                        queryset=CommitteeMeeting.objects.filter(kind=CommitteeMeeting.Kind.DIRECTORS_MEETING),
                    )
                },
            ),
            Transition("publish", "公布", ("adopted",), staff, target="published", effect=publish),
            Transition(
                "adjust",
                "调整计划",
                ("adopted", "published"),
                adjust_by,
                stay=True,
                note_required=True,
                button_style="secondary",
            ),
        ],
        url=url,
        responsible=unit_else_staff,
        supervisors=staff_and_directors,
        narrow=narrow,
        year_field="adopted_on",
        **options,
    )


# ---------------------------------------------------------------- who sees a plan


def plan_q(actor, prefix="") -> Q:
    """Plans (or, with `prefix`, records of a plan) `actor` sees: published ones, and every
    plan of a congress the actor oversees."""
    q = Q(**{f"{prefix}state": "published"})
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(**{f"{prefix}congress__in": actor.congresses(*OVERSIGHT_ROLES)})
    return q


class AdoptedPlanRule(Rule):
    """Register a subclass per plan model: `@rule(SupervisionPlan) class PlanRule(AdoptedPlanRule)`."""

    def visible(self, actor, qs):
        return qs.filter(plan_q(actor))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view" or (action == "add" and actor.has(*MANAGE_ROLES))
        if action == "view":
            return obj.state == "published" or actor.oversees(obj.congress_id)
        if action == "view_process":
            return actor.oversees(obj.congress_id)
        if action in ("change", "add_item"):
            return actor.manages(obj.congress_id)
        return False
