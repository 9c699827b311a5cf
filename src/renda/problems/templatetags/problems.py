"""`{% case_problems record %}`: the problems a case put on the one ledger, on that case's page
(one query for the items; the link to open one for its congress's keepers)."""

from django import template
from django.urls import reverse

from ..services import may_open, problems_of

register = template.Library()


@register.inclusion_tag("problems/_case_problems.html", takes_context=True)
def case_problems(context, record):
    user = context["request"].user
    items = list(problems_of(record, user).select_related("unit").order_by("listed_on", "id"))
    opener = may_open(record, user)
    return {
        "items": items,
        "open_url": reverse("problems:open", args=(record._meta.label_lower, record.pk)) if opener else "",
        "show": bool(items) or opener,
    }
