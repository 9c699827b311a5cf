from django import template

from renda.core.scoping import allowed

from .. import services
from ..models import ExpertAssignment

register = template.Library()


@register.inclusion_tag("experts/_case_experts.html", takes_context=True)
def case_experts(context, record, forms=True):
    """The experts assigned to a case or record and their written opinions, for the oversight
    roles; for the keepers of the record's congress, the forms to assign an expert and to
    record an opinion (posted to the experts app, which redirects back to the record). A
    constant number of queries whatever the number of experts and opinions. `forms=False`:
    the list alone (the assign page, which is itself the form)."""
    request = context.get("request")
    user = request.user if request else None
    if user is None or not allowed(user, "view", ExpertAssignment):
        return {"shown": False}
    keeper = forms and allowed(user, "add", ExpertAssignment(congress_id=record.congress_id))
    return {
        "shown": True,
        "record": record,
        "label": record._meta.label_lower,
        "assignments": services.experts_of(record, user),
        "keeper": keeper,
        "candidates": list(services.candidates(record, user)) if keeper else [],
        "csrf_token": context.get("csrf_token"),
    }
