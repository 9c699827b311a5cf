from django.db.models import Q

from renda.core.scoping import OVERSIGHT_ROLES, Rule, rule

from .models import Petition


@rule(Petition)
class PetitionRule(Rule):
    def visible(self, actor, qs):
        q = Q(author__in=actor.deputy_ids) | Q(unit__in=actor.unit_ids)
        q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES))
        return qs.filter(q)

    def can(self, actor, action, obj):
        return action in ("view", "view_process") and self.visible(actor, Petition.objects.filter(pk=obj.pk)).exists()
