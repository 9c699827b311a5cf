"""Who sees a suggestion: its lead deputy and co-signers (and the deputies whose
suggestions were merged with it); the units it is assigned to (while assigned); the
oversight roles of its congress (never another deputy's draft); the public, once it is
registered, if it is published.

Actions of `SuggestionRule`:
- view: as above;
- view_process (its handling: notes, clocks, attachments, the timeline): the authors, the
  assigned units and the oversight roles — not the public or other deputies, who read the
  text and replies of a published suggestion (`process_q`);
- change: the lead deputy, while it is a draft;
- model level: add (a deputy), view and export (the list, every signed-in user: it shows
  what they may see), supervise (the 督办看板: administrators, staff, directors),
  view_stats (the units' handling figures: oversight roles, and a unit's staff for their
  own unit, see `HandlingUnit`'s `view_stats`).
"""

from django.db.models import Q

from renda.core.models import Role
from renda.core.scoping import OVERSIGHT_ROLES, Rule, rule

from .cases import SUGGESTION
from .models import Assignment, CoSigner, Evaluation, Reply, Suggestion

PUBLIC_STATES = SUGGESTION.states_tagged("public")
PRIVATE_STATES = SUGGESTION.states_tagged("private")
SUPERVISORS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR)


def process_q(actor) -> Q:
    """Suggestions whose handling the actor follows ("view_process": notes, clocks,
    attachments, the timeline): the lead deputy, co-signers and deputies merged into it,
    the units it is assigned to, the oversight roles of its congress. Others who may see a
    published suggestion read its text and replies (as on the portal), not its handling."""
    q = Q(pk__in=[])
    if actor.deputy_ids:
        ids = actor.deputy_ids
        q |= Q(lead_deputy__in=ids) | Q(cosigners__deputy__in=ids) | Q(merged__lead_deputy__in=ids)
    if actor.unit_ids:
        q |= Q(assignments__unit__in=actor.unit_ids, assignments__active=True)
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES)) & ~Q(state__in=PRIVATE_STATES)
    return q


def states_seen(actor) -> tuple[str, ...]:
    """The states of the suggestions the actor may come across (the list's state filter): a
    unit's staff with no other role see only assigned ones (tag `handled`); others every state."""
    if actor.unit_ids and actor.roles == {Role.UNIT}:
        return SUGGESTION.states_tagged("handled")
    return tuple(s.key for s in SUGGESTION.states)


def suggestion_q(actor) -> Q:
    q = process_q(actor)
    if actor.deputy_ids or not actor.assignments:  # deputies, and the public (no role)
        q |= Q(published=True, state__in=PUBLIC_STATES)
    return q


@rule(Suggestion)
class SuggestionRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(pk__in=Suggestion.objects.filter(suggestion_q(actor)).values("pk"))

    def can(self, actor, action, obj):
        if obj is None:
            if action == "add":
                return bool(actor.deputy_ids)
            if action == "supervise":
                return actor.has(*SUPERVISORS)
            if action == "view_stats":
                return bool(actor.unit_ids) or actor.has(*OVERSIGHT_ROLES)
            return action in ("view", "export") and actor.is_authenticated
        if action == "view":
            return Suggestion.objects.filter(pk=obj.pk).filter(suggestion_q(actor)).exists()
        if action == "view_process":
            return Suggestion.objects.filter(pk=obj.pk).filter(process_q(actor)).exists()
        if action == "change":  # editing the text: the lead deputy, while it is a draft
            return obj.state == "draft" and obj.lead_deputy_id in actor.deputy_ids
        return False


class ThroughSuggestion(Rule):
    def visible(self, actor, qs):
        return qs.filter(suggestion__in=Suggestion.objects.filter(suggestion_q(actor)).values("pk"))

    def can(self, actor, action, obj):
        return action == "view" and obj is not None and SuggestionRule().can(actor, "view", obj.suggestion)


for model in (CoSigner, Assignment, Reply, Evaluation):
    rule(model)(type(f"{model.__name__}Rule", (ThroughSuggestion,), {}))


# --- the routing model's corrections and retraining log (routing_models.py) ---------------------
# Who sees them: administrators and staff of the congress (and of the congresses above it); the
# texts are suggestions' and constituents' messages, so nobody else. Nobody edits them.
from .routing_models import RoutingCorrection, RoutingModelRecord  # noqa: E402

ROUTING_KEEPERS = (Role.ADMIN, Role.STAFF)


class RoutingRecordRule(Rule):
    def visible(self, actor, qs):
        if not actor.has(*ROUTING_KEEPERS):
            return qs.none()
        return qs.filter(congress__in=actor.congresses(*ROUTING_KEEPERS))

    def can(self, actor, action, obj):
        if action != "view":
            return False
        if obj is None:
            return actor.has(*ROUTING_KEEPERS)
        return obj.congress_id in actor.congress_ids(*ROUTING_KEEPERS)


for model in (RoutingCorrection, RoutingModelRecord):
    rule(model)(type(f"{model.__name__}Rule", (RoutingRecordRule,), {}))
