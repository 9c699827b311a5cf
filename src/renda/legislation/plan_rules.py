"""Who sees the legislative plan records (the rules.py pattern of the app).

Plans: the public once published; the oversight roles of the plan's congress always; its
staff and administrators change them. Needs: the oversight roles of the congress, and a
handling unit its own (a government department sees the needs it proposed, never another's);
the staff appraise; the proposer's contact is for the staff only. Plan items: as their plan.
"""

from django.db.models import Q

from renda.core.models import Role
from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule
from renda.workflow.plans import AdoptedPlanRule, plan_q

from .plan_models import LegislativeNeed, LegislativePlan, PlanItem


@rule(LegislativePlan)
class LegislativePlanRule(AdoptedPlanRule):
    """The shared rule of adopted plans (workflow/plans.py)."""


def need_q(actor) -> Q:
    q = Q(pk__in=[])
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES))
    if actor.unit_ids:
        q |= Q(unit__in=actor.unit_ids)
    return q


@rule(LegislativeNeed)
class LegislativeNeedRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(need_q(actor))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view" or (action == "add" and actor.has(*MANAGE_ROLES, Role.UNIT))
        own_unit = obj.unit_id is not None and obj.unit_id in actor.unit_ids
        if action in ("view", "view_process"):
            return actor.oversees(obj.congress_id) or own_unit
        if action == "add":  # the staff record any need; a department its own
            return actor.manages(obj.congress_id) or (own_unit and obj.source == LegislativeNeed.Source.GOVERNMENT)
        if action in ("appraise", "view_contact"):
            return actor.manages(obj.congress_id)
        return False


@rule(PlanItem)
class PlanItemRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(plan_q(actor, "plan__"))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view"
        if action == "view":
            return obj.plan.state == "published" or actor.oversees(obj.plan.congress_id)
        if action in ("change", "start_bill"):
            return actor.manages(obj.plan.congress_id)
        return False
