"""Who sees what in filing and review.

A filing: its filer (the issuing unit's staff, or the filing congress's staff) in every
state; the oversight roles of the receiving congress and of the congresses above it
once it is submitted; everyone (the public, deputies) once it is registered, if its
catalogue entry is published. A unit's staff see only their own unit's filings in the
work pages. Review proposals carry personal data: only the oversight roles of the
congress see them; the proposer follows theirs on the portal with the receipt code.

Actions of `FilingRule`: view; view_process (the review as it goes: internal state,
findings, checklist, timeline, drafting material: the filer and the oversight roles of the
receiving congress and above; everyone else who may view sees the public part only);
change (the filer, on a draft); model level: add (an issuing unit, a lower congress's
staff), view and export (the list). `ReviewProposalRule`: view, view_process (oversight
roles of the congress); view_contact (the proposer's contact and address: the staff and
administrators of the congress, who answer it; the name identifies the proposal to every
oversight role, as on the list); erase_contact (erasing the proposer's contact on request:
the same staff and administrators); model level: view, export.
"""

from django.db.models import Q

from renda.core.models import Role
from renda.core.scoping import OVERSIGHT_ROLES, Rule, rule
from renda.workflow.documents import document_kind

from .models import Filing, LowerFiling, ReviewProposal


def _staff_congresses(actor) -> set[int]:
    return {a.congress_id for a in actor.assignments if a.role == Role.STAFF}


def filer_q(actor) -> Q:
    """The issuing unit's staff, or the filing congress's staff."""
    q = Q(pk__in=[])
    if actor.unit_ids:
        q |= Q(filer_unit__in=actor.unit_ids)
    own = _staff_congresses(actor)
    if own:
        q |= Q(filer_congress__in=own)
    return q


def is_filer(actor, filing: Filing) -> bool:
    """`filer_q` for one filing already loaded (no query)."""
    return filing.filer_unit_id in actor.unit_ids or filing.filer_congress_id in _staff_congresses(actor)


def process_q(actor) -> Q:
    """Filings whose review the actor follows as it goes ("view_process"): the filer and
    the oversight roles of the receiving congress (and above). The query twin of the
    rule's one-filing check, for lists."""
    q = filer_q(actor)
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES))
    return q


def never_filed() -> tuple[str, ...]:
    """The states of a filing never sent in: a draft, and a draft thrown away (private).
    Nothing counts, reports or forwards them."""
    from .cases import FILING  # cases imports this module (filer_q)

    return FILING.states_tagged("private")


def filing_q(actor) -> Q:
    from .cases import FILING  # cases imports this module (filer_q)

    q = filer_q(actor)
    if actor.deputy_ids or not actor.assignments:  # deputies, and the public (no role)
        q |= Q(published=True, state__in=FILING.states_tagged("public"))
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES)) & ~Q(state__in=FILING.states_tagged("private"))
    return q


@rule(Filing)
class FilingRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(filing_q(actor))

    def can(self, actor, action, obj):
        if obj is None:
            if action == "add":  # filing a document: an issuing unit, or a lower congress's staff
                return bool(actor.unit_ids) or actor.has(Role.STAFF)
            return action in ("view", "export") and actor.is_authenticated
        if action == "view":
            return Filing.objects.filter(pk=obj.pk).filter(filing_q(actor)).exists()
        if action == "view_process":  # the review as it goes: the filer and the receiving congress
            return actor.oversees(obj.congress_id) or is_filer(actor, obj)
        if action == "change":  # the filer edits a draft
            return obj.state == "draft" and Filing.objects.filter(pk=obj.pk).filter(filer_q(actor)).exists()
        return False


@rule(ReviewProposal)
class ReviewProposalRule(Rule):
    def visible(self, actor, qs):
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        return qs.filter(congress__in=actor.congresses(*OVERSIGHT_ROLES)).exclude(state="new")

    def can(self, actor, action, obj):
        if obj is None:
            return action in ("view", "export") and actor.has(*OVERSIGHT_ROLES)
        # the proposer's contact: for the staff who answer, not every member
        if action in ("view_contact", "erase_contact"):
            return actor.manages(obj.congress_id)
        return action in ("view", "view_process") and actor.oversees(obj.congress_id)


@rule(LowerFiling)
class LowerFilingRule(Rule):
    def visible(self, actor, qs):
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        return qs.filter(congress__in=actor.congresses(*OVERSIGHT_ROLES))

    def can(self, actor, action, obj):
        if obj is None:
            return action in ("view", "export") and actor.has(*OVERSIGHT_ROLES)
        return action == "view" and actor.oversees(obj.congress_id)


# The filed text (its versions: as filed, as resubmitted) is seen by whoever may see the
# filing: the public too, once it is registered and published.
document_kind(Filing, "text", "备案文件文本", action="view")
