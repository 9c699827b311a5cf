"""Scoping of workflow records. Events and deadlines are read through their case (a
case page shows the timeline of a case the user may see); these rules govern direct
access, e.g. the audit view of all events, which is for administrators."""

from renda.core.models import Role
from renda.core.scoping import MANAGE_ROLES, Rule, rule

from .models import CalendarDay, Deadline, DeadlineExtension, Event, EventAttachment


class AdminOnlyRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(congress__in=actor.congresses(Role.ADMIN)) if actor.has(Role.ADMIN) else qs.none()

    def can(self, actor, action, obj):
        return action == "view" and actor.has(Role.ADMIN)


@rule(Event)
class EventRule(AdminOnlyRule):
    """Model-level `view_definitions`: the declared case types, their states, transitions and
    diagrams (the workflow page and /api/case-types): administrators, staff and directors."""

    def can(self, actor, action, obj):
        if action == "view_definitions":
            return obj is None and actor.has(Role.ADMIN, Role.STAFF, Role.DIRECTOR)
        return super().can(actor, action, obj)


@rule(Deadline)
class DeadlineRule(AdminOnlyRule):
    """Model-level `follow_all`: follow every running clock of the cases one sees (the
    workbench); a unit's staff without a supervising role follow their own unit's clocks only."""

    def can(self, actor, action, obj):
        if action == "follow_all":
            return obj is None and (not actor.unit_ids or actor.has(Role.ADMIN, Role.STAFF, Role.DIRECTOR))
        return super().can(actor, action, obj)


@rule(EventAttachment)
class EventAttachmentRule(AdminOnlyRule):
    def visible(self, actor, qs):
        return qs.filter(event__congress__in=actor.congresses(Role.ADMIN)) if actor.has(Role.ADMIN) else qs.none()


@rule(DeadlineExtension)
class DeadlineExtensionRule(AdminOnlyRule):
    def visible(self, actor, qs):
        return qs.filter(deadline__congress__in=actor.congresses(Role.ADMIN)) if actor.has(Role.ADMIN) else qs.none()


@rule(CalendarDay)
class CalendarDayRule(Rule):
    """The calendar is public; staff keep its overrides (add, change, delete)."""

    def visible(self, actor, qs):
        return qs

    def can(self, actor, action, obj):
        return action == "view" or (action in ("add", "change", "delete") and actor.has(*MANAGE_ROLES))
