from django import template
from django.db.models import Prefetch
from django.utils import timezone

from .. import calendar
from ..links import links_of
from ..models import Deadline, Event, EventAttachment

register = template.Library()


@register.inclusion_tag("workflow/_timeline.html")
def case_timeline(case):
    """The timeline of a case: its events (with attachments) and its clocks. Any case
    page includes it; it costs three queries whatever the length of the history."""
    events = (
        Event.objects.for_case(case)
        .select_related("actor")
        .prefetch_related(Prefetch("attachments", queryset=EventAttachment.objects.order_by("id")))
        .order_by("sequence")
    )
    deadlines = Deadline.objects.for_case(case).prefetch_related("extensions").order_by("started_on", "id")
    return {"events": events, "deadlines": deadlines, "case_type": case.case_type}


@register.inclusion_tag("workflow/_links.html", takes_context=True)
def case_links(context, case):
    """The case's links both ways (决定 / 由…决定, …), those whose other end the user may
    see: one query for the links and one per kind of record at the other ends."""
    request = context.get("request")
    return {"links": links_of(case, request.user if request else None) if request else []}


@register.inclusion_tag("workflow/_remaining.html")
def remaining(due):
    """A due date with how long is left (or how late it is), as a badge."""
    text, level = calendar.describe_remaining(due, timezone.localdate())
    return {"due": due, "text": text, "level": level}
