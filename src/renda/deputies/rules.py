"""Who may do what in the deputies module.

The roster's changes are internal records of a congress: its oversight roles
(administrators, staff, directors, members — of the congress or of one above it, so a city
reads its counties' and townships' rosters) read them; its staff and administrators record
them. A change is never edited or deleted (append-only: a later decision answers it).

Actions on DeputyEvent: view (model level: any oversight role), add (model level: a keeper
somewhere; on an event: a keeper of the deputy's congress).

Who may do what with hand-recorded activities (and read a deputy's archive).

A deputy reads and records their own activities (any of their mandates) and edits one only
while it is 待确认 or 退回; the administrators, staff and directors of the deputy's congress
(or one above it) read them; the administrators and staff confirm or return them. Members,
units, other deputies and the public see nothing (the public summary is a later item).

Actions: view, add (model level: holds a deputy mandate), change (the owner, while editable),
confirm (the keepers of the activity's congress)."""

from django.db.models import Q

from renda.core.downloads import downloadable
from renda.core.models import Role
from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, actor_of, rule

from .models import Activity, ActivityEvidence, DeputyEvent

# who reads every deputy's archive in their congresses (the brief: staff and directors)
ARCHIVE_ROLES = (Role.ADMIN, Role.STAFF, Role.DIRECTOR)


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


def owns_mandate(user, deputy) -> bool:
    """The deputy themselves: this mandate, or the same person."""
    actor = actor_of(user)
    if not actor.is_authenticated:
        return False
    return deputy.pk in actor.deputy_ids or bool(actor.user.person_id and actor.user.person_id == deputy.person_id)


def reads_archive(user, deputy) -> bool:
    """The deputy themselves or a reader of the congress."""
    if owns_mandate(user, deputy):
        return True
    actor = actor_of(user)
    return actor.is_authenticated and (actor.is_superuser or deputy.congress_id in actor.congress_ids(*ARCHIVE_ROLES))


def _deputys_or_readers(actor) -> Q:
    """A deputy's own records (any of their mandates), and every record of the congresses
    whose archives the actor reads."""
    q = Q(deputy__in=actor.deputy_ids)
    if actor.has(*ARCHIVE_ROLES):
        q |= Q(congress__in=actor.congress_ids(*ARCHIVE_ROLES))
    return q


class _DeputysOrReadersRule(Rule):
    """Seen by the deputy whose record it is and by the readers of their archive."""

    def visible(self, actor, qs):
        if not actor.is_authenticated:
            return qs.none()
        if actor.is_superuser:
            return qs
        return qs.filter(_deputys_or_readers(actor))


@rule(Activity)
class ActivityRule(_DeputysOrReadersRule):
    def can(self, actor, action, obj):
        if not actor.is_authenticated:
            return False
        if obj is None:
            if action == "add":
                return bool(actor.deputy_ids)
            if action == "confirm":
                return actor.has(*MANAGE_ROLES)
            return action == "view" and (bool(actor.deputy_ids) or actor.has(*ARCHIVE_ROLES))
        own = obj.deputy_id in actor.deputy_ids
        if action == "view":
            return own or actor.is_superuser or obj.congress_id in actor.congress_ids(*ARCHIVE_ROLES)
        if action == "add":
            return own
        if action == "change":
            return own and obj.editable
        if action == "confirm":
            return actor.manages(obj.congress_id)
        return False


@rule(ActivityEvidence)
class ActivityEvidenceRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(activity__in=ActivityRule().visible(actor, Activity.objects.all()))

    def can(self, actor, action, obj):
        return obj is not None and ActivityRule().can(actor, action, obj.activity)


# evidence: whoever may read the activity
downloadable(
    ActivityEvidence,
    "file",
    owner=lambda e: e.activity,
    action="view",
    filename=lambda e: e.name,
    select_related=("activity",),
)


# Liaison stations and 码上见代表 (issue 15 item 5).
#
# Stations, duty schedules and reception days are records of a congress: its oversight roles
# read them, its keepers (administrators, staff) add and change them. A constituent's message
# is read and answered by its deputy (the mandate of the code) or, for a station's code, by
# the keepers of the station's congress; the keepers also read and answer their deputies'
# messages (the deputy may be unreachable). A unit reads the messages referred to it, without
# the contact details. Nobody else finds a message — not another deputy, not a director. The
# contact details (`view_contact`, core.intake) go with answering: the deputy and the keepers.
from .models import LiaisonStation, MeetCode, MeetMessage, Reception, StationDuty  # noqa: E402


@rule(LiaisonStation)
class LiaisonStationRule(Rule):
    def visible(self, actor, qs):
        if actor.is_superuser:
            return qs
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        return qs.filter(congress__in=actor.congress_ids(*OVERSIGHT_ROLES))

    def can(self, actor, action, obj):
        if not actor.is_authenticated:
            return False
        if obj is None:
            if action == "view":
                return actor.is_superuser or actor.has(*OVERSIGHT_ROLES)
            return action in ("add", "change") and (actor.is_superuser or actor.has(*MANAGE_ROLES))
        if action == "view":
            return actor.is_superuser or actor.oversees(obj.congress_id)
        if action in ("add", "change"):
            return actor.manages(obj.congress_id)
        return False


@rule(Reception)
@rule(StationDuty)
class StationPartRule(Rule):
    """A station's duty schedule and reception days: read with the station, changed by whom
    may change it."""

    def visible(self, actor, qs):
        return qs.filter(station__in=LiaisonStationRule().visible(actor, LiaisonStation.objects.all()))

    def can(self, actor, action, obj):
        if obj is None:
            return LiaisonStationRule().can(actor, action, None)
        return LiaisonStationRule().can(actor, "view" if action == "view" else "change", obj.station)


@rule(MeetCode)
class MeetCodeRule(Rule):
    """A printed code's token is what lets the public in: read by those who print it — the
    keepers of a station's congress, a deputy for their own code and the keepers of the
    deputy's congress (views_stations). Codes are made by the services only."""

    def visible(self, actor, qs):
        if not actor.is_authenticated:
            return qs.none()
        if actor.is_superuser:
            return qs

        managed = actor.congress_ids(*MANAGE_ROLES) if actor.has(*MANAGE_ROLES) else []
        return qs.filter(
            Q(deputy__in=actor.deputy_ids) | Q(deputy__congress__in=managed) | Q(station__congress__in=managed)
        )

    def can(self, actor, action, obj):
        if action != "view" or obj is None or not actor.is_authenticated:
            return False
        if obj.deputy_id is not None:
            return obj.deputy_id in actor.deputy_ids or actor.manages(obj.deputy.congress_id)
        return actor.manages(obj.station.congress_id)


@rule(MeetMessage)
class MeetMessageRule(Rule):
    def visible(self, actor, qs):
        if not actor.is_authenticated:
            return qs.none()
        if actor.is_superuser:
            return qs

        q = Q(deputy__in=actor.deputy_ids) | Q(unit__in=actor.unit_ids, state=MeetMessage.State.REFERRED)
        if actor.has(*MANAGE_ROLES):
            q |= Q(congress__in=actor.congress_ids(*MANAGE_ROLES))
        return qs.filter(q)

    def can(self, actor, action, obj):
        if not actor.is_authenticated:
            return False
        if obj is None:
            return action == "view" and (bool(actor.deputy_ids) or bool(actor.unit_ids) or actor.has(*MANAGE_ROLES))
        if action == "view" and obj.state == MeetMessage.State.REFERRED and obj.unit_id in actor.unit_ids:
            return True
        if action in ("view", "view_contact", "answer"):
            return (obj.deputy_id is not None and obj.deputy_id in actor.deputy_ids) or actor.manages(obj.congress_id)
        return False


# --- double contact (双联系): ContactRecord -------------------------------------------------
#
# A deputy reads the records about them (their constituent contacts, members' visits to them)
# and records and edits their own constituent contacts; a committee member (or director)
# records and edits their own visits to deputies; the administrators, staff and directors of
# the deputy's congress (or one above it) read all of them, and its administrators and staff
# record and correct them (a station's monthly register). The constituent's contact details
# (view_contact) are for the deputy and the staff only. suggest: the deputy turns a matter
# raised into a suggestion draft (they lead it).
#
# Actions: view, add, change, view_contact, suggest.

from .models import ContactRecord  # noqa: E402

MEMBER_ROLES = (Role.MEMBER, Role.DIRECTOR)


def _is_member_of(actor, obj) -> bool:
    """The record's visiting member: their seat's person, or the member who recorded it."""
    if obj.kind != ContactRecord.Kind.MEMBER_VISIT:
        return False
    person = actor.user.person_id
    if obj.member_id is not None and person and obj.member.person_id == person:
        return True
    return obj.recorded_by_id == actor.user.pk and obj.congress_id in actor.congress_ids(*MEMBER_ROLES)


@rule(ContactRecord)
class ContactRecordRule(Rule):
    def visible(self, actor, qs):
        if not actor.is_authenticated:
            return qs.none()
        if actor.is_superuser:
            return qs
        q = _deputys_or_readers(actor)
        if actor.has(*MEMBER_ROLES):
            mine = Q(recorded_by=actor.user)
            if actor.user.person_id:
                mine |= Q(member__person_id=actor.user.person_id)
            q |= Q(kind=ContactRecord.Kind.MEMBER_VISIT) & mine
        return qs.filter(q)

    def can(self, actor, action, obj):
        if not actor.is_authenticated:
            return False
        if obj is None:
            if action == "add":
                return bool(actor.deputy_ids) or actor.has(*MEMBER_ROLES, *MANAGE_ROLES)
            return action == "view" and (bool(actor.deputy_ids) or actor.has(*MEMBER_ROLES, *ARCHIVE_ROLES))
        own_deputy = obj.deputy_id in actor.deputy_ids
        constituents = obj.kind == ContactRecord.Kind.CONSTITUENTS
        if action == "view":
            return (
                own_deputy
                or _is_member_of(actor, obj)
                or actor.is_superuser
                or obj.congress_id in actor.congress_ids(*ARCHIVE_ROLES)
            )
        if action in ("add", "change"):
            if constituents:
                return own_deputy or actor.manages(obj.congress_id)
            return _is_member_of(actor, obj) or actor.manages(obj.congress_id)
        if action == "view_contact":
            return (own_deputy and constituents) or actor.manages(obj.congress_id)
        if action == "suggest":
            return own_deputy
        return False


# --- report-back (述职): ReportBack, ReportBackEvaluation ----------------------------------
#
# A report-back is read by its deputy (any of their mandates) and by the administrators, staff
# and directors of the deputy's congress or one above it (the archive's readers); the keepers
# (administrators, staff) of the deputy's congress schedule it, record it held and open and
# close its evaluation. Nobody else finds it — not another deputy, not a unit. The public
# reaches only the evaluation form, through the report-back's code (no rule: the token is the
# key). The attendees' answers are anonymous; they are read with their report-back.
#
# Actions: view, add, change.

from .models import ReportBack, ReportBackEvaluation  # noqa: E402


@rule(ReportBack)
class ReportBackRule(_DeputysOrReadersRule):
    def can(self, actor, action, obj):
        if not actor.is_authenticated:
            return False
        if obj is None:
            if action in ("add", "change"):
                return actor.is_superuser or actor.has(*MANAGE_ROLES)
            return action == "view" and (bool(actor.deputy_ids) or actor.is_superuser or actor.has(*ARCHIVE_ROLES))
        if action == "view":
            return (
                obj.deputy_id in actor.deputy_ids
                or actor.is_superuser
                or obj.congress_id in actor.congress_ids(*ARCHIVE_ROLES)
            )
        if action in ("add", "change"):
            return actor.manages(obj.congress_id)
        return False


@rule(ReportBackEvaluation)
class ReportBackEvaluationRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(report_back__in=ReportBackRule().visible(actor, ReportBack.objects.all()))

    def can(self, actor, action, obj):
        return action == "view" and obj is not None and ReportBackRule().can(actor, "view", obj.report_back)
