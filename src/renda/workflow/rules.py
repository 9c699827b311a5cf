"""Scoping of workflow records. Events and deadlines are read through their case (a
case page shows the timeline of a case the user may see); these rules govern direct
access, e.g. the audit view of all events, which is for administrators."""

from django.db.models import Q

from renda.core.models import Role
from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule

from .models import CalendarDay, Deadline, DeadlineExtension, Event, EventAttachment, Link, Participation


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


@rule(Participation)
class ParticipationRule(Rule):
    """A person's record of taking part: the person themselves (their account, their
    mandates) and the oversight roles of the congress where they took part."""

    def _q(self, actor) -> Q:
        q = Q(pk__in=[])
        if actor.has(*OVERSIGHT_ROLES):
            q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES))
        if actor.deputy_ids:
            q |= Q(deputy__in=actor.deputy_ids)
        person_id = getattr(actor.user, "person_id", None)
        if person_id:
            q |= Q(person=person_id)
        return q

    def visible(self, actor, qs):
        return qs.filter(self._q(actor)) if actor.is_authenticated else qs.none()

    def can(self, actor, action, obj):
        if obj is None or action != "view" or not actor.is_authenticated:
            return False
        return Participation.objects.filter(pk=obj.pk).filter(self._q(actor)).exists()


@rule(Link)
class LinkRule(Rule):
    """Links are read through their ends (`workflow.links.links_of` filters both through
    `visible`); direct access is for the oversight roles of the congress. Linking is for
    its keepers (the service also asks that both ends be visible)."""

    def visible(self, actor, qs):
        return qs.filter(congress__in=actor.congresses(*OVERSIGHT_ROLES)) if actor.has(*OVERSIGHT_ROLES) else qs.none()

    def can(self, actor, action, obj):
        if obj is None:
            return action == "add" and actor.has(*MANAGE_ROLES)
        if action == "view":
            return actor.oversees(obj.congress_id)
        return action in ("add", "delete") and actor.manages(obj.congress_id)
