"""Scoping of workflow records. Events and deadlines are read through their case (a
case page shows the timeline of a case the user may see); these rules govern direct
access, e.g. the audit view of all events, which is for administrators."""

from renda.core.downloads import downloadable
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
    pass


@rule(Deadline)
class DeadlineRule(AdminOnlyRule):
    pass


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
    """The calendar is public; staff keep its overrides."""

    def visible(self, actor, qs):
        return qs

    def can(self, actor, action, obj):
        return action == "view" or (action in ("add", "change", "delete") and actor.has(*MANAGE_ROLES))


# An attachment is part of its case's process: downloaded by whoever may follow it.
downloadable(
    EventAttachment,
    "file",
    owner=lambda a: a.event.case,
    action="view_process",
    filename=lambda a: a.name,
    select_related=("event",),
)
