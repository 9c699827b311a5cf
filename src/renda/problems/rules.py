"""Who sees what of the problem ledger.

A problem item: the oversight roles (administrators, staff, directors, members) of its
congress and of the congresses above it; the staff of the responsible unit (their own
unit's items only, not a child unit's). Deputies and the public see nothing: the ledger is
internal. A problem list: the same oversight roles, and a unit that has an item on it.

Actions of `ProblemItemRule`: view, view_process (timeline, attachments, clocks: whoever
sees the item); model level: add (opening items: the administrators and staff of a
congress — `open_problem` also asks that they keep the source's congress), view and export
(the ledger: oversight roles and units). Units act only through the transitions, whose
guards never let a unit accept, return or re-check its own item (cases.py).
`ProblemListRule`: view; model level: view.
"""

from django.db.models import Q

from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule

from .models import ProblemItem, ProblemList


def item_q(actor) -> Q:
    q = Q(pk__in=[])
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES))
    if actor.unit_ids:
        q |= Q(unit__in=actor.unit_ids)
    return q


def _reads_ledger(actor) -> bool:
    return actor.has(*OVERSIGHT_ROLES) or bool(actor.unit_ids)


@rule(ProblemItem)
class ProblemItemRule(Rule):
    def visible(self, actor, qs):
        if not _reads_ledger(actor):
            return qs.none()
        return qs.filter(item_q(actor)).exclude(state="new")

    def can(self, actor, action, obj):
        if obj is None:
            if action == "add":
                return actor.has(*MANAGE_ROLES)
            return action in ("view", "export") and _reads_ledger(actor)
        if action in ("view", "view_process"):
            return obj.unit_id in actor.unit_ids or actor.oversees(obj.congress_id)
        return False


@rule(ProblemList)
class ProblemListRule(Rule):
    def visible(self, actor, qs):
        q = Q(pk__in=[])
        if actor.has(*OVERSIGHT_ROLES):
            q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES))
        if actor.unit_ids:
            q |= Q(pk__in=ProblemItem.objects.filter(unit__in=actor.unit_ids).values("problem_list"))
        return qs.filter(q)

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view" and _reads_ledger(actor)
        if action != "view":
            return False
        if actor.oversees(obj.congress_id):
            return True
        return bool(actor.unit_ids) and obj.items.filter(unit__in=actor.unit_ids).exists()
