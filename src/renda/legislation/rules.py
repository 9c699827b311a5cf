"""Who sees legislation records.

Bills: the oversight roles of the bill's congress (and above) see them and their process; the
staff and administrators add and act. Comment periods: the public once published; the bill's
readers always. Comments: the public reads the published ones of a published period; the staff
moderate and mark their handling; the commenter's contact (view_contact) is for the staff only.
"""

from django.db.models import Q

from renda.core.models import Role
from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule
from renda.workflow.documents import document_kind

from .models import Bill, Cause, CommentPeriod, Opinion, PublicComment


def bill_q(actor, prefix="") -> Q:
    if not actor.has(*OVERSIGHT_ROLES):
        return Q(pk__in=[])
    return Q(**{f"{prefix}congress__in": actor.congresses(*OVERSIGHT_ROLES)})


PROMULGATED = "promulgated"


@rule(Bill)
class BillRule(Rule):
    """A promulgated regulation (已公布) is public (LEG-8): everyone may view it, its text and
    公告; its process (drafts, comments, votes, timeline) stays with the oversight roles."""

    def visible(self, actor, qs):
        return qs.filter(bill_q(actor) | Q(state=PROMULGATED))

    def can(self, actor, action, obj):
        if obj is None:
            if action == "add":
                return actor.has(*MANAGE_ROLES)
            return action == "view"
        if action == "view":
            return obj.state == PROMULGATED or actor.oversees(obj.congress_id)
        if action == "view_process":
            return actor.oversees(obj.congress_id)
        if action in ("add", "change", "comment"):  # add drafts, open comment periods
            return actor.manages(obj.congress_id)
        if action == "speak":  # 发表审议意见 (services.speak)
            return may_speak(actor, obj)
        return False


@rule(CommentPeriod)
class PeriodRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(Q(published=True) | bill_q(actor, "bill__"))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view"
        if action == "view":
            return obj.published or actor.oversees(obj.bill.congress_id)
        if action in ("moderate", "view_contact"):
            return actor.manages(obj.bill.congress_id)
        return False


@rule(PublicComment)
class CommentRule(Rule):
    def visible(self, actor, qs):
        public = Q(period__published=True, status=PublicComment.Status.PUBLISHED)
        return qs.filter(public | bill_q(actor, "period__bill__"))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view"
        congress = obj.period.bill.congress_id
        if action == "view":
            return (obj.period.published and obj.status == PublicComment.Status.PUBLISHED) or actor.oversees(congress)
        if action in ("moderate", "handle", "view_contact"):
            return actor.manages(congress)
        return False


@rule(Opinion)
@rule(Cause)
class BillPartRule(Rule):
    """Opinions received and the causes of a draft's changes follow their bill: its readers
    see them, its staff record and remove them."""

    def visible(self, actor, qs):
        return qs.filter(bill_q(actor, "bill__"))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view" or (action == "add" and actor.has(*MANAGE_ROLES))
        if action == "view":
            return actor.oversees(obj.bill.congress_id)
        if action in ("add", "change", "delete"):
            return actor.manages(obj.bill.congress_id)
        return False


def may_speak(actor, bill) -> bool:
    """A member (or director) of the bill's own congress — not of one above, who oversees it but
    does not deliberate it — while the bill is deliberated."""
    from .services import DELIBERATING

    seats = {a.congress_id for a in actor.assignments if a.role in (Role.MEMBER, Role.DIRECTOR)}
    return bill.state in DELIBERATING and bill.congress_id in seats


document_kind(Bill, "draft", "法规草案", action="view")
# 提前介入: the legal committee's early involvement in the drafting, a note of the bill
document_kind(Bill, "early_involvement", "法制委员会提前介入情况")
# 征求意见情况的说明: published with the closed period (public_views) and on the bill's page
document_kind(Bill, "consultation_summary", "征求意见情况的说明", action="view")
document_kind(Bill, "review_report", "审议结果的报告", action="view")
