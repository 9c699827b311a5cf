"""The plenary session (人民代表大会会议) as a sitting: its agenda (candidates from the
manifests' `plenary_transitions`), the deputies' attendance and the quorum (two thirds of all
the serving deputies). Read by the oversight roles of its congress; its staff act."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renda.core.forms import add_service_errors
from renda.core.models import Person, PlenarySession
from renda.core.scoping import actor_of
from renda.core.views.pages import form_page
from renda.workflow import registry

from . import forms, services
from .models import Attendance


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
    if request.method == "POST" and form.is_valid():
        type_key, case_pk, transition = form.cleaned_data["candidate"].split(":")
        case = registry.get(type_key).model.objects.get(pk=int(case_pk))
        try:
            item = services.add_item(s, case, transition, request.user, title=form.cleaned_data["title"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已将“{item.title}”列入议程。")
            return redirect(session_url(s))
    return _page(request, form, "列入大会议程", s)


@login_required
def attendance(request, pk):
    s = _session(request, pk, act=True)
    try:
        deputies = services.roll(s)
    except ValidationError as exc:
        deputies = []
        messages.error(request, "；".join(exc.messages))
    form = forms.AttendanceForm(request.POST or None, members=deputies)
    form.fields["person"].label = "代表"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.get(pk=int(data["person"]))
        try:
            row = services.record_attendance(s, person, data["status"], request.user, reason=data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记{person.name}：{row.get_status_display()}。")
            return redirect(session_url(s))
    return _page(request, form, "登记代表出席情况", s)
