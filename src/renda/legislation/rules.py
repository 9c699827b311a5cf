"""Who sees legislation records.

Bills: the oversight roles of the bill's congress (and above) see them and their process; the
staff and administrators add and act. Comment periods: the public once published; the bill's
readers always. Comments: the public reads the published ones of a published period; the staff
moderate and mark their handling; the commenter's contact (view_contact) is for the staff only.
"""

from django.db.models import Q

from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule
from renda.workflow.documents import document_kind

from .models import Bill, CommentPeriod, PublicComment


def bill_q(actor, prefix="") -> Q:
    if not actor.has(*OVERSIGHT_ROLES):
        return Q(pk__in=[])
    return Q(**{f"{prefix}congress__in": actor.congresses(*OVERSIGHT_ROLES)})


@rule(Bill)
class BillRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(bill_q(actor))

    def can(self, actor, action, obj):
        if obj is None:
            if action == "add":
                return actor.has(*MANAGE_ROLES)
            return action == "view"
        if action in ("view", "view_process"):
            return actor.oversees(obj.congress_id)
        if action in ("add", "change", "comment"):  # add drafts, open comment periods
            return actor.manages(obj.congress_id)
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


document_kind(Bill, "draft", "法规草案", action="view")
document_kind(Bill, "review_report", "审议结果的报告", action="view")
