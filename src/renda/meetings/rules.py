"""Who sees a sitting's agenda and attendance: the oversight roles of the sitting's congress
(and above) read; its staff and administrators act. `core.CommitteeMeeting` itself is public
reference data (its number and day); the meetings pages are not, so they check `oversees`."""

from django.db.models import Q

from renda.core.scoping import OVERSIGHT_ROLES, Rule, rule

from .models import AgendaItem, Attendance


class _SittingPartRule(Rule):
    def visible(self, actor, qs):
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        return qs.filter(Q(sitting__term__congress__in=actor.congresses(*OVERSIGHT_ROLES)))

    def can(self, actor, action, obj):
        if obj is None:
            return actor.has(*OVERSIGHT_ROLES) if action == "view" else False
        congress_id = obj.sitting.term.congress_id
        if action == "view":
            return actor.oversees(congress_id)
        return actor.manages(congress_id)


rule(AgendaItem)(_SittingPartRule)
rule(Attendance)(type("AttendanceRule", (_SittingPartRule,), {}))
