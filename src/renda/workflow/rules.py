"""Scoping of workflow records. Events and deadlines are read through their case (a
case page shows the timeline of a case the user may see); these rules govern direct
access, e.g. the audit view of all events, which is for administrators."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from renda.core.downloads import downloadable
from renda.core.models import Role
from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, allowed, rule, rule_for
from renda.core.scoping import visible as visible_to

from .documents import Document, DocumentVersion, kinds
from .models import CalendarDay, Deadline, DeadlineExtension, Event, EventAttachment, Link, Participation


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


# Who supervises a congress's clocks (overdue ones escalate to its staff, directors hold the 督办).
SUPERVISING = (Role.ADMIN, Role.STAFF, Role.DIRECTOR)


@rule(Deadline)
class DeadlineRule(AdminOnlyRule):
    """Model-level `follow_all`: follow every running clock of the congresses where one
    supervises (administrators, staff, directors). Everyone else, a committee member or a
    deputy included, follows only the clocks they must act on (`followed_q`)."""

    def visible(self, actor, qs):
        # the clocks one follows on the workbench anyway (a metric counting clocks, e.g. opinions
        # answered on time, lists them as its evidence); administrators keep their congresses'
        return qs.filter(followed_q(actor, Q(pk__in=[])) | Q(congress__in=actor.congresses(Role.ADMIN)))

    def can(self, actor, action, obj):
        if action == "follow_all":
            return obj is None and actor.has(*SUPERVISING)
        return super().can(actor, action, obj)


def followed_q(actor, acting: Q) -> Q:
    """The clocks one follows on the workbench, as a filter over `Deadline`: those of the
    congresses one supervises (`follow_all`; the congress where one holds the role, as
    escalation does), those running for one's units, and `acting`: those one may stop by
    acting now (from the case type's guards, `CaseType.acting_clocks_q`)."""
    if actor.is_superuser:
        return Q()
    q = acting
    if actor.unit_ids:
        q |= Q(handling_unit__in=actor.unit_ids)
    if actor.has(*SUPERVISING):
        q |= Q(congress__in={a.congress_id for a in actor.assignments if a.role in SUPERVISING})
    return q


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
    """The calendar is public. Its overrides (add, change, delete) move every congress's
    deadlines, so only those who keep the platform's root congress (its administrators and
    staff, or a superuser) keep them; a county's staff do not."""

    def visible(self, actor, qs):
        return qs

    def can(self, actor, action, obj):
        if action == "view":
            return True
        if action in ("add", "change", "delete") and actor.has(*MANAGE_ROLES):
            from renda.core.services import root_congress

            root = root_congress()
            return root is not None and actor.manages(root.pk)
        return action in ("add", "change", "delete") and actor.is_superuser


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


# An attachment is part of its case's process: downloaded by whoever may follow it.
downloadable(
    EventAttachment,
    "file",
    owner=lambda a: a.event.case,
    action="view_process",
    filename=lambda a: a.name,
    select_related=("event",),
)


def _documents_q(actor, prefix: str = "") -> Q:
    """Documents whose record the actor may `action` as their kind declares: for "view",
    a subquery over the record's own rule; for other actions (view_process), the
    candidate records are asked one by one (rules answer those from the actor's roles)."""
    q = Q(pk__in=[])
    for kind in kinds():
        ct = ContentType.objects.get_for_model(kind.model)
        here = {f"{prefix}content_type": ct, f"{prefix}kind": kind.key}
        records = visible_to(actor, kind.model)
        if kind.action != "view":
            having = Document.objects.filter(content_type=ct, kind=kind.key).values("object_id")
            ids = [r.pk for r in records.filter(pk__in=having) if rule_for(kind.model).can(actor, kind.action, r)]
            q |= Q(**here, **{f"{prefix}object_id__in": ids})
        else:
            q |= Q(**here, **{f"{prefix}object_id__in": records.values("pk")})
    return q


@rule(Document)
class DocumentRule(Rule):
    """A document follows the record it belongs to; versions are added by the record's
    own acts (a transition, a module's service), never edited."""

    def visible(self, actor, qs):
        return qs.filter(_documents_q(actor))

    def can(self, actor, action, obj):
        if obj is None or action != "view" or obj.record is None:
            return False
        return allowed(actor, obj.action, obj.record)


@rule(DocumentVersion)
class DocumentVersionRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(_documents_q(actor, "document__"))

    def can(self, actor, action, obj):
        return obj is not None and DocumentRule().can(actor, action, obj.document)


downloadable(
    DocumentVersion,
    "file",
    owner=lambda v: v.document.record,
    action=lambda v: v.document.action,
    filename=lambda v: v.name,
    select_related=("document",),
)
