"""The think tank is internal: the oversight roles of a congress (administrators, staff,
directors, members) read its register, its assignments and opinions; its staff and
administrators keep them (register, assign, record opinions). An expert's mobile in full
(`view_contact`, an audited view: core.personal) is for those keepers only; lists show it
masked to them and nothing to the other readers. Units, deputies and the public see nothing.

Actions: view, add, change, export (model level: any oversight role; the export leaves the
mobile out for whom may not `view_contact`), view_contact."""

from renda.core.downloads import downloadable
from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule

from .models import Expert, ExpertAssignment, ExpertField, ExpertOpinion


class ThinkTankRule(Rule):
    congress_path = "congress"

    def congress_id(self, obj):
        return obj.congress_id

    def visible(self, actor, qs):
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        return qs.filter(**{f"{self.congress_path}__in": actor.congresses(*OVERSIGHT_ROLES)})

    def can(self, actor, action, obj):
        if obj is None:
            if action in ("view", "export"):
                return actor.has(*OVERSIGHT_ROLES)
            return action == "add" and actor.has(*MANAGE_ROLES)
        if action == "view":
            return actor.oversees(self.congress_id(obj))
        if action in ("add", "change", "view_contact"):
            return actor.manages(self.congress_id(obj))
        return False


@rule(ExpertField)
class ExpertFieldRule(ThinkTankRule):
    pass


@rule(Expert)
class ExpertRule(ThinkTankRule):
    pass


@rule(ExpertAssignment)
class ExpertAssignmentRule(ThinkTankRule):
    pass


@rule(ExpertOpinion)
class ExpertOpinionRule(ThinkTankRule):
    congress_path = "assignment__congress"

    def congress_id(self, obj):
        return obj.assignment.congress_id


# the opinion's file: whoever may read the opinion (its assignment's congress's oversight roles)
downloadable(
    ExpertOpinion,
    "file",
    owner=lambda o: o,
    action="view",
    filename=lambda o: o.file_name,
    select_related=("assignment",),
)
