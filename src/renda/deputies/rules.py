"""The roster's changes are internal records of a congress: its oversight roles
(administrators, staff, directors, members — of the congress or of one above it, so a city
reads its counties' and townships' rosters) read them; its staff and administrators record
them. A change is never edited or deleted (append-only: a later decision answers it).

Actions on DeputyEvent: view (model level: any oversight role), add (model level: a keeper
somewhere; on an event: a keeper of the deputy's congress)."""

from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule

from .models import DeputyEvent


@rule(DeputyEvent)
class DeputyEventRule(Rule):
    def visible(self, actor, qs):
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        return qs.filter(deputy__congress__in=actor.congresses(*OVERSIGHT_ROLES))

    def can(self, actor, action, obj):
        if obj is None:
            if action == "view":
                return actor.has(*OVERSIGHT_ROLES)
            return action == "add" and actor.has(*MANAGE_ROLES)
        if action == "view":
            return actor.oversees(obj.deputy.congress_id)
        if action == "add":
            return actor.manages(obj.deputy.congress_id)
        return False
