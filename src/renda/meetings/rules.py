"""Who sees a sitting's agenda and attendance: the oversight roles of the sitting's congress
(and above) read; its staff and administrators act. `core.CommitteeMeeting` itself is public
reference data (its number and day); the meetings pages are not, so they check `oversees`.

Group deliberation: the groups are read by the staff and the sitting's people; a speech by
its speaker and the staff, and once circulated (印发) by the sitting's people (the members
serving on its day and its observers), never by the public."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from renda.core.models import CommitteeMeeting, CommitteeMember
from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule
from renda.workflow.models import Participation

from .models import AgendaItem, Attendance, DeliberationGroup, GroupMember, Speech


class _SittingPartRule(Rule):
    def visible(self, actor, qs):
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        return qs.filter(Q(sitting__term__congress__in=actor.congresses(*OVERSIGHT_ROLES)))

    def congress_id(self, obj):
        return obj.sitting.term.congress_id

    def can(self, actor, action, obj):
        if obj is None:
            return actor.has(*OVERSIGHT_ROLES) if action == "view" else False
        congress_id = self.congress_id(obj)
        if action == "view":
            return actor.oversees(congress_id)
        return actor.manages(congress_id)


@rule(AgendaItem)
class AgendaItemRule(_SittingPartRule):
    """An item (or attendance row) of a standing committee sitting or of a plenary session."""

    def visible(self, actor, qs):
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        congresses = actor.congresses(*OVERSIGHT_ROLES)
        return qs.filter(Q(sitting__term__congress__in=congresses) | Q(session__term__congress__in=congresses))

    def congress_id(self, obj):
        return (obj.sitting or obj.session).term.congress_id


rule(Attendance)(type("AttendanceRule", (AgendaItemRule,), {}))


def _of_the_sitting(person_id, sitting_ref: str):
    """A condition on rows with a sitting at `sitting_ref`: `person_id` is a member serving
    on the sitting's day or an observer of it (the same people as `groups.people`)."""
    member = CommitteeMember.objects.filter(
        person_id=person_id,
        congress_id=OuterRef(f"{sitting_ref}__term__congress_id"),
        start_date__lte=OuterRef(f"{sitting_ref}__start_date"),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef(f"{sitting_ref}__start_date")))
    observer = Participation.objects.filter(
        person_id=person_id,
        capacity=Participation.Capacity.OBSERVER,
        content_type=ContentType.objects.get_for_model(CommitteeMeeting),
        object_id=OuterRef(f"{sitting_ref}_id"),
    )
    return Exists(member) | Exists(observer)


class _GroupPartRule(Rule):
    sitting_ref = "sitting"

    def visible(self, actor, qs):
        managed = Q(**{f"{self.sitting_ref}__term__congress__in": actor.congresses(*MANAGE_ROLES)})
        person_id = getattr(actor.user, "person_id", None)
        if person_id is None:
            return qs.filter(managed) if actor.has(*MANAGE_ROLES) else qs.none()
        return qs.filter(managed | self.own(person_id))

    def own(self, person_id):
        return _of_the_sitting(person_id, self.sitting_ref)

    def can(self, actor, action, obj):
        from . import groups

        if obj is None:
            return False
        if action == "view":
            return bool(self.visible(actor, type(obj).objects.filter(pk=obj.pk)).exists())
        return groups.may_manage(actor.user, getattr(obj, self.sitting_ref))


rule(DeliberationGroup)(type("DeliberationGroupRule", (_GroupPartRule,), {}))
rule(GroupMember)(type("GroupMemberRule", (_GroupPartRule,), {}))


# Who else reads a speech, by the case spoken on: a module whose cases are spoken on registers
# a condition (actor -> Q on Speech) with @speech_readers.append — supervision: the organ of
# the item once circulated (通报). Meetings does not import the modules (it is their layer).
speech_readers: list = []


@rule(Speech)
class SpeechRule(Rule):
    """审议发言, the one speech model: the staff of the congress (and above); the speaker their
    own; once circulated, the sitting's people; and whom the case's module adds. Before
    circulation no one else (a unit, the public never)."""

    def visible(self, actor, qs):
        q = Q(congress__in=actor.congresses(*MANAGE_ROLES))
        person_id = getattr(actor.user, "person_id", None)
        if person_id is not None:
            q |= Q(speaker_id=person_id) | (Q(circulated_at__isnull=False) & _of_the_sitting(person_id, "sitting"))
        for readers in speech_readers:
            q |= readers(actor)
        return qs.filter(q)

    def can(self, actor, action, obj):
        if obj is None:
            return action == "add" and actor.has(*MANAGE_ROLES)
        if action == "view":
            return bool(obj.pk and self.visible(actor, Speech.objects.filter(pk=obj.pk)).exists())
        return actor.manages(obj.congress_id)
