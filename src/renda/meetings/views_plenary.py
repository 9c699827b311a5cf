"""The plenary session (人民代表大会会议) as a sitting: its agenda (candidates from the
manifests' `plenary_transitions`), the deputies' attendance and the quorum (two thirds of all
the serving deputies). Read by the oversight roles of its congress; its staff act."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renda.core.models import PlenarySession
from renda.core.scoping import actor_of
from renda.core.views.pages import form_page

from . import forms, services
from .models import Attendance
from .views import post_agenda_item, post_attendance, roll_form


def session_url(s) -> str:
    return reverse("meetings:session", args=[s.pk])


def _session(request, pk, act: bool = False) -> PlenarySession:
    session = get_object_or_404(PlenarySession.objects.select_related("term__congress"), pk=pk)
    actor = actor_of(request.user)
    congress_id = session.term.congress_id
    if not actor.oversees(congress_id) and not actor.manages(congress_id):
        raise Http404
    if act and not actor.manages(congress_id):
        raise PermissionDenied("只有常委会工作人员可以安排人民代表大会会议。")
    return session


@login_required
def session(request, pk):
    s = _session(request, pk)
    try:
        quorum, roll_error = services.plenary_quorum(s), ""
    except ValidationError as exc:
        quorum, roll_error = None, "；".join(exc.messages)
    context = {
        "page_title": str(s),
        "session": s,
        "may_act": actor_of(request.user).manages(s.term.congress_id),
        "agenda": services.agenda(s, request.user),
        "due": services.materials_due(s),
        "materials_days": settings.RENDA_MEETING_MATERIALS_DAYS,
        "quorum": quorum,
        "roll_error": roll_error,
        "attendance": list(Attendance.objects.filter(session=s).select_related("person").order_by("person__name")),
        "breadcrumbs": [("会议", reverse("meetings:index")), (str(s), "")],
    }
    return render(request, "meetings/session.html", context)


def _page(request, form, title, s):
    response = form_page(request, form, title, session_url(s), str(s), session_url(s))
    if request.method == "POST":
        response.status_code = 422  # the form again, with what was typed
    return response


@login_required
def add_item(request, pk):
    s = _session(request, pk, act=True)
    form = forms.AgendaItemForm(request.POST or None, candidates=services.agenda_candidates(s, request.user))
    if post_agenda_item(request, s, form):
        return redirect(session_url(s))
    return _page(request, form, "列入大会议程", s)


@login_required
def attendance(request, pk):
    s = _session(request, pk, act=True)
    form = roll_form(request, s)
    form.fields["person"].label = "代表"
    if post_attendance(request, s, form):
        return redirect(session_url(s))
    return _page(request, form, "登记代表出席情况", s)
