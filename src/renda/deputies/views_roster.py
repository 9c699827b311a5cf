"""The roster page (who is in office on a date, the counts the committee reports, each
mandate's changes) and the form that records a change of a mandate."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from renda.core import clock
from renda.core import services as core_services
from renda.core.forms import add_service_errors
from renda.core.models import Deputy
from renda.core.scoping import OVERSIGHT_ROLES, actor_of, allowed, require, visible

from . import roster as services
from .forms_roster import ElectionForm, EventForm, RosterQuery
from .models import DeputyEvent

TITLE = "代表名册"
PER_PAGE = 50


def _roster_url(congress_id, on) -> str:
    return reverse("deputies:roster") + "?" + urlencode({"congress": congress_id, "on": on.isoformat()})


def _query(request):
    """(form, congress, on, below): what the page shows; a bad value is reported on the form
    and replaced by its default (the highest congress overseen, today, with those below)."""
    congresses = actor_of(request.user).congresses(*OVERSIGHT_ROLES).order_by("path")
    form = RosterQuery(request.GET, congresses=congresses)
    form.is_valid()
    got = form.cleaned_data
    congress = got.get("congress") or congresses.first()
    on = got.get("on") or clock.now().date()
    below = got.get("scope") != "own"
    return form, congress, on, below


@login_required
def roster(request):
    require(request.user, "view", DeputyEvent)
    form, congress, on, below = _query(request)
    if congress is None:
        raise Http404("您没有可查看的人大代表名册。")
    mandates = visible(request.user, Deputy)
    mandates = (
        mandates.filter(congress__path__startswith=congress.path) if below else mandates.filter(congress=congress)
    )
    in_office = services.in_office(mandates, on)
    page = Paginator(
        in_office.select_related("person", "congress", "term", "delegation", "group", "constituency")
        .prefetch_related(Prefetch("events", DeputyEvent.objects.order_by("date", "id")))
        .order_by("congress__path", "term", "delegation", "person__name", "id"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    may_record = allowed(request.user, "add", DeputyEvent)
    rows = [(d, may_record and allowed(request.user, "add", DeputyEvent(deputy=d))) for d in page]
    return render(
        request,
        "deputies/roster.html",
        {
            "page_title": TITLE,
            "form": form,
            "congress": congress,
            "on": on,
            "below": below,
            "counts": services.roster_counts(mandates, on),
            "rows": rows,
            "may_elect": may_record,
            "page_obj": page,
            "breadcrumbs": [(TITLE, "")],
        },
    )


@login_required
def record_event(request, pk):
    require(request.user, "add", DeputyEvent)
    deputy = (
        visible(request.user, Deputy)
        .filter(congress__in=actor_of(request.user).congresses(*OVERSIGHT_ROLES))
        .select_related("person", "congress", "term", "delegation", "group")
        .filter(pk=pk)
        .first()
    )
    if deputy is None:
        raise Http404("未找到该代表，或您无权查看。")
    require(request.user, "add", DeputyEvent(deputy=deputy))
    form = EventForm(request.POST or None, deputy=deputy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.record_event(
                request.user,
                deputy,
                data["kind"],
                data["date"],
                data["reference"],
                delegation=data["delegation"],
                group=data["group"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记：{event}")
            return redirect(_roster_url(deputy.congress_id, event.date))
    back = _roster_url(deputy.congress_id, clock.now().date())
    title = f"登记代表变动：{deputy.person.name}"
    return render(
        request,
        "deputies/event_form.html",
        {
            "form": form,
            "deputy": deputy,
            "events": deputy.events.order_by("date", "id"),
            "page_title": title,
            "cancel_url": back,
            "breadcrumbs": [(TITLE, back), (title, "")],
        },
    )


@login_required
def elect(request):
    """A by-election (补选) creates the mandate: the person, the mandate, its opening event."""
    require(request.user, "add", DeputyEvent)
    form = ElectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        term = data["term"]
        try:
            with transaction.atomic():  # a refused election leaves no person behind
                grouping = core_services.grouping(
                    request.user, term, data["delegation"], data["group"], data["constituency"]
                )
                person = core_services.create_person(request.user, **form.person_data())
                event = services.elect(
                    request.user,
                    person=person,
                    term=term,
                    date=data["date"],
                    reference=data["reference"],
                    kind=data["kind"],
                    occupation=data["occupation"],
                    is_grassroots=data["is_grassroots"],
                    **grouping,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记：{event}")
            return redirect(_roster_url(term.congress_id, event.date))
    back = reverse("deputies:roster")
    title = "登记补选代表"
    return render(
        request,
        "core/form.html",
        {"form": form, "page_title": title, "cancel_url": back, "breadcrumbs": [(TITLE, back), (title, "")]},
    )
