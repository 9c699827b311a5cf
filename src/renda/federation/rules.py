"""Scoping of the federation records: they describe the instance, not one congress's
work, so they are for the administrators and the staff of the root congress, read-only
(peers are managed with `renda federation`; messages are written by the protocol)."""

from renda.core.models import Role
from renda.core.scoping import Rule, rule

from .models import InboundMessage, OutboundMessage, Peer


def may_see(actor) -> bool:
    if not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    from renda.core.services import root_congress

    root = root_congress()
    return root is not None and any(
        a.role in (Role.ADMIN, Role.STAFF) and a.congress_id == root.pk for a in actor.assignments
    )


class InstanceRecordRule(Rule):
    def visible(self, actor, qs):
        return qs if may_see(actor) else qs.none()

    def can(self, actor, action, obj):
        return action == "view" and may_see(actor)


for _model in (Peer, OutboundMessage, InboundMessage):
    rule(_model)(type(f"{_model.__name__}Rule", (InstanceRecordRule,), {}))
