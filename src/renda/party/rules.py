"""The party and self-building registers are internal: the oversight roles of a
congress read them; its staff and administrators keep them; units, deputies and the
public do not see them."""

from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule

from .models import PartyReport, PreStudy, StudySession, Training, WorkRule


class RegisterRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(congress__in=actor.congresses(*OVERSIGHT_ROLES)) if actor.has(*OVERSIGHT_ROLES) else qs.none()

    def can(self, actor, action, obj):
        if obj is None:
            return (
                action in ("add", "export")
                and actor.has(*MANAGE_ROLES)
                or (action == "view" and actor.has(*OVERSIGHT_ROLES))
            )
        if action == "view":
            return obj.congress_id in actor.congress_ids(*OVERSIGHT_ROLES)
        if action in ("add", "change", "delete", "export"):
            return actor.manages(obj.congress_id)
        return False


for model in (StudySession, Training, PartyReport, PreStudy, WorkRule):
    rule(model)(type(f"{model.__name__}Rule", (RegisterRule,), {}))
