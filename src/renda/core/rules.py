"""Scoping rules of the core models (see scoping.py for the mechanism)."""

from django.db.models import Q

from .models import (
    ApiToken,
    AuditChainHead,
    AuditEntry,
    Body,
    CommitteeMeeting,
    CommitteeMember,
    Congress,
    Constituency,
    Delegation,
    Deputy,
    DeputyGroup,
    HandlingUnit,
    Notification,
    NumberSequence,
    Person,
    PlenarySession,
    Role,
    RoleAssignment,
    Term,
    User,
)
from .scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Actor, Rule, rule


class PublicReferenceRule(Rule):
    """Public reference data (the tree, bodies, units, members): everyone reads; the
    staff and administrators of a congress (and those above it) keep it."""

    congress_path = "congress_id"  # how to reach the owning congress id from an object

    def owning_congress_id(self, obj):
        value = obj
        for part in self.congress_path.split("__"):
            value = getattr(value, part)
        return value

    def visible(self, actor, qs):
        return qs

    def can(self, actor: Actor, action, obj):
        if action == "view":
            return True
        if action in ("add", "import", "export"):
            return actor.has(*MANAGE_ROLES) if obj is None else actor.manages(self.owning_congress_id(obj))
        if action in ("change", "delete"):
            return obj is not None and actor.manages(self.owning_congress_id(obj))
        return False


@rule(Congress)
class CongressRule(PublicReferenceRule):
    """Actions: view, add (a child below obj), change, import, export (reference data),
    `move`: change its place in the tree (parent, level, code): those who keep the parent, as
    a congress's own staff would otherwise cut it from the scoping of those above (a root only
    by a superuser), and
    `report`: read a congress's statistics, work summary, dashboard and annual reports: the
    oversight roles of the congress and of those above it. Model-level `report`: the user
    oversees some congress."""

    def owning_congress_id(self, obj):
        # A congress is kept by those above it (its own staff can edit it too).
        return obj.parent_id if obj.parent_id else obj.pk

    def can(self, actor, action, obj):
        if action == "change" and obj is not None:
            return actor.manages(obj.pk)
        if action == "add" and obj is not None:  # adding a child below obj
            return actor.manages(obj.pk)
        if action == "move":
            return obj is not None and (actor.manages(obj.parent_id) if obj.parent_id else actor.is_superuser)
        if action == "report":
            return actor.has(*OVERSIGHT_ROLES) if obj is None else actor.oversees(obj.pk)
        return super().can(actor, action, obj)


@rule(Term)
class TermRule(PublicReferenceRule):
    pass


@rule(PlenarySession)
class PlenarySessionRule(PublicReferenceRule):
    congress_path = "term__congress_id"


@rule(CommitteeMeeting)
class CommitteeMeetingRule(PublicReferenceRule):
    congress_path = "term__congress_id"


@rule(Body)
class BodyRule(PublicReferenceRule):
    pass


@rule(HandlingUnit)
class HandlingUnitRule(PublicReferenceRule):
    """Besides the reference-data actions, `view_stats`: a unit's handling figures (timeliness
    of its replies) are read by the oversight roles of its congress and by the unit's own staff."""

    def can(self, actor, action, obj):
        if action == "view_stats":
            return obj is not None and (obj.pk in actor.unit_ids or actor.oversees(obj.congress_id))
        return super().can(actor, action, obj)

    def visible(self, actor, qs):
        return qs if actor.has(*OVERSIGHT_ROLES) else qs.filter(is_active=True)


@rule(CommitteeMember)
class CommitteeMemberRule(PublicReferenceRule):
    pass


@rule(Delegation)
class DelegationRule(PublicReferenceRule):
    congress_path = "term__congress_id"


@rule(DeputyGroup)
class DeputyGroupRule(PublicReferenceRule):
    congress_path = "term__congress_id"


@rule(Constituency)
class ConstituencyRule(PublicReferenceRule):
    congress_path = "term__congress_id"


@rule(Deputy)
class DeputyRule(PublicReferenceRule):
    """The public directory lists serving deputies (代表法 Art. 44-45: basic information is
    published); the oversight roles of a congress also see ended mandates."""

    def visible(self, actor, qs):
        if actor.has(*OVERSIGHT_ROLES):
            return qs.filter(Q(status=Deputy.Status.SERVING) | Q(congress__in=actor.congresses(*OVERSIGHT_ROLES)))
        return qs.filter(status=Deputy.Status.SERVING)


@rule(Person)
class PersonRule(Rule):
    """Personal data (birth date, mobile) is seen by the person, and by the staff and
    administrators of a congress where the person holds a mandate, a seat or an account.
    view_contact (the mobile in full, an audited view: core.personal): the same people."""

    def visible(self, actor, qs):
        q = Q(pk__in=[])
        if actor.is_authenticated and actor.user.person_id:
            q |= Q(pk=actor.user.person_id)
        if actor.has(*MANAGE_ROLES):
            managed = actor.congresses(*MANAGE_ROLES)
            q |= Q(mandates__congress__in=managed) | Q(committee_seats__congress__in=managed)
        return qs.filter(q).distinct()

    def can(self, actor, action, obj):
        if obj is None:
            return action == "add" and actor.has(*MANAGE_ROLES)
        if action in ("view", "view_contact") and actor.is_authenticated and actor.user.person_id == obj.pk:
            return True
        if action in ("view", "view_contact", "change"):
            return (
                Person.objects.filter(pk=obj.pk)
                .filter(
                    Q(mandates__congress__in=actor.congresses(*MANAGE_ROLES))
                    | Q(committee_seats__congress__in=actor.congresses(*MANAGE_ROLES))
                )
                .exists()
            )
        return False


def _account_scope(actor: Actor) -> Q:
    q = Q(pk=actor.user.pk) if actor.is_authenticated else Q(pk__in=[])
    if actor.has(*MANAGE_ROLES):
        q |= Q(roles__congress__in=actor.congresses(*MANAGE_ROLES))
    if actor.unit_ids:
        q |= Q(roles__handling_unit__in=actor.unit_ids)
    return q


@rule(User)
class UserRule(Rule):
    """Administrators and staff see the accounts of their congresses; a unit's staff see
    their own unit's accounts only; everyone sees their own."""

    def visible(self, actor, qs):
        return qs.filter(_account_scope(actor)).distinct()

    def can(self, actor, action, obj):
        if action == "unlock":  # lift a sign-in lock-out (django-axes): security policy
            return actor.has(Role.SECURITY)
        if obj is None:
            return action == "add" and actor.has(Role.ADMIN)
        if action == "view":
            return self.visible(actor, User.objects.filter(pk=obj.pk)).exists()
        if action == "change":
            if actor.is_authenticated and actor.user.is_superuser:
                return True
            # the system administrator does not manage (nor reset the password of) the security
            # and audit administrators who watch them: 三员分立
            watched = User.objects.filter(pk=obj.pk, roles__role__in=(Role.SECURITY, Role.AUDITOR)).exists()
            return (
                actor.has(Role.ADMIN)
                and not watched
                and User.objects.filter(pk=obj.pk, roles__congress__in=actor.congresses(Role.ADMIN)).exists()
            )
        return False


@rule(RoleAssignment)
class RoleAssignmentRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(user__in=User.objects.filter(_account_scope(actor)))

    def can(self, actor, action, obj):
        if action == "view" and obj is not None:
            return self.visible(actor, RoleAssignment.objects.filter(pk=obj.pk)).exists()
        if action in ("add", "change", "delete"):
            if obj is None:
                return actor.has(Role.ADMIN)
            if obj.role in (Role.SECURITY, Role.AUDITOR):
                # the administrators who watch the system administrator are not appointed by
                # them: only the deployment's superuser grants these roles
                return actor.is_superuser
            return obj.congress_id in actor.congress_ids(Role.ADMIN)
        return False


@rule(Notification)
class NotificationRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(user_id=actor.user.pk) if actor.is_authenticated else qs.none()

    def can(self, actor, action, obj):
        return (
            action in ("view", "change") and obj is not None and actor.is_authenticated and obj.user_id == actor.user.pk
        )


@rule(ApiToken)
class ApiTokenRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(user_id=actor.user.pk) if actor.is_authenticated else qs.none()

    def can(self, actor, action, obj):
        if obj is None:
            return action == "add" and actor.is_authenticated
        return actor.is_authenticated and obj.user_id == actor.user.pk


@rule(AuditEntry)
class AuditEntryRule(Rule):
    """The audit log (三员分立): the security administrator searches it; the audit administrator
    reads, exports and verifies it — the entries about the system and security administrators'
    own acts included. The system administrator (and a superuser) does not see it at all.
    The log is one chain for the deployment: it is not divided by congress. Nobody edits it.
    Everyone else sees only the sign-in events of their own account (their sign-in history)."""

    def visible(self, actor, qs):
        from .audit import SIGNIN_ACTIONS

        if actor.has(Role.SECURITY, Role.AUDITOR):
            return qs
        if not actor.is_authenticated:
            return qs.none()
        return qs.filter(actor_id=actor.user.pk, action__in=SIGNIN_ACTIONS)

    def can(self, actor, action, obj):
        if action == "view":
            return actor.has(Role.SECURITY, Role.AUDITOR)
        if action in ("export", "verify"):
            return actor.has(Role.AUDITOR)
        return False


@rule(AuditChainHead)
class AuditChainHeadRule(Rule):
    """The chain's end is bookkeeping of core/audit.py: no page shows or edits it."""


@rule(NumberSequence)
class NumberSequenceRule(Rule):
    """Numbering counters are bookkeeping: the administrators of the congress (and above)
    may look at them; nobody edits them (only numbering.next_number writes)."""

    def visible(self, actor, qs):
        return qs.filter(congress_id__in=actor.congress_ids(Role.ADMIN))

    def can(self, actor, action, obj):
        return action == "view" and obj is not None and obj.congress_id in actor.congress_ids(Role.ADMIN)
