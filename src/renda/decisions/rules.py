"""Who sees resolutions and decisions.

- view_process (the timeline, the drafts, the votes before publication): the oversight roles of
  the resolution's congress and above — members read the drafts before the sitting;
- view: those, and everyone (the public included) once it is published (已公布): its adopted
  text, number, date and sitting — nothing of an unpublished one;
- add / change (drafting, scheduling, voting, publishing): the staff and administrators.
"""

from django.db.models import Q

from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule
from renda.workflow.documents import document_kind

from .models import Resolution

PUBLISHED = "published"


def process_q(actor) -> Q:
    if not actor.has(*OVERSIGHT_ROLES):
        return Q(pk__in=[])
    return Q(congress__in=actor.congresses(*OVERSIGHT_ROLES))


@rule(Resolution)
class ResolutionRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(process_q(actor) | Q(state=PUBLISHED))

    def can(self, actor, action, obj):
        if obj is None:
            if action == "add":
                return actor.has(*MANAGE_ROLES)
            return action == "view"
        if action == "view":
            return obj.state == PUBLISHED or actor.oversees(obj.congress_id)
        if action == "view_process":
            return actor.oversees(obj.congress_id)
        if action in ("add", "change"):
            return actor.manages(obj.congress_id)
        return False


document_kind(Resolution, "draft", "决议决定草案")  # view_process: drafts are never public
document_kind(Resolution, "text", "决议决定文本", action="view")  # the adopted text, public once published
