from renda.core.scoping import Rule, rule

from .models import IdempotencyKey


@rule(IdempotencyKey)
class IdempotencyKeyRule(Rule):
    """A key and the answer stored with it belong to the account that sent it."""

    def visible(self, actor, qs):
        return qs.filter(user_id=actor.user.pk) if actor.is_authenticated else qs.none()

    def can(self, actor, action, obj):
        return action == "view" and obj is not None and actor.is_authenticated and obj.user_id == actor.user.pk
