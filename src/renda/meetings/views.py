"""Sitting pages: the list, a sitting's page (agenda, materials, late flags, attendance,
quorum, observers) and the staff's forms. Read by the oversight roles of the sitting's
congress; the others do not find a sitting here (404). Thin: services decide and write."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renda.core.forms import add_service_errors
from renda.core.listing import Column, Listing, ListingView, year_filter
from renda.core.models import CommitteeMeeting, Person, PlenarySession
from renda.core.scoping import OVERSIGHT_ROLES, actor_of
from renda.core.views.pages import form_page
from renda.workflow import registry

from . import forms, services
from .models import AgendaItem, Attendance


def sitting_url(s) -> str:
    return reverse("meetings:sitting", args=[s.pk])


class SittingList(ListingView):
    listing = Listing(
        model=CommitteeMeeting,
        title="会议",
        columns=[
            Column("会议", lambda s: s.label, url=sitting_url),
            Column("人大", lambda s: s.term.congress.region, key=True),
            Column("类别", lambda s: s.get_kind_display(), key=True),
            Column("举行日期", lambda s: s.start_date, sort="start_date"),
            Column("议程事项", lambda s: s.n_items, numeric=True),
        ],
        filters=[year_filter("start_date")],
        select_related=("term__congress",),
        default_order=("-start_date", "-id"),
        breadcrumbs=[("会议", "")],
    )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not actor_of(request.user).has(*OVERSIGHT_ROLES):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    template_name = "meetings/index.html"

    def extra_context(self, request):
        # the third kind of sitting: the plenary sessions (人民代表大会会议), one query
        congresses = actor_of(request.user).congresses(*OVERSIGHT_ROLES)
        sessions = (
            PlenarySession.objects.filter(term__congress__in=congresses)
            .select_related("term__congress")
            .annotate(n_items=Count("agenda_items"))
            .order_by("-start_date", "-id")
        )
        return {"sessions": sessions}

    def get_queryset(self, request):
        # the sittings of the congresses the user oversees (CommitteeMeeting is public
        # reference data; its agenda and attendance are not)
        congresses = actor_of(request.user).congresses(*OVERSIGHT_ROLES)
        return (
            super().get_queryset(request).filter(term__congress__in=congresses).annotate(n_items=Count("agenda_items"))
        )


def _sitting(request, pk, act: bool = False) -> CommitteeMeeting:
    """The sitting if the user oversees its congress (else 404); `act`: and manages it (else 403)."""
    sitting = get_object_or_404(CommitteeMeeting.objects.select_related("term__congress"), pk=pk)
    actor = actor_of(request.user)
    if not actor.oversees(sitting.term.congress_id) and not actor.manages(sitting.term.congress_id):
        raise Http404
    if act and not actor.manages(sitting.term.congress_id):
        raise PermissionDenied("只有常委会工作人员可以安排会议。")
    return sitting


def _crumbs(sitting, title=""):
    crumbs = [("会议", reverse("meetings:index")), (sitting.label, sitting_url(sitting) if title else "")]
    return crumbs + ([(title, "")] if title else [])


@login_required
def sitting(request, pk):
    s = _sitting(request, pk)
    user = request.user
    try:
        quorum, roll_error = services.quorum(s), ""
    except ValidationError as exc:
        quorum, roll_error = None, "；".join(exc.messages)
    rows = list(Attendance.objects.filter(sitting=s).select_related("person").order_by("person__name"))
    context = {
        "page_title": s.label,
        "sitting": s,
        "may_act": actor_of(user).manages(s.term.congress_id),
        "agenda": services.agenda(s, user),
        "due": services.materials_due(s),
        "materials_days": settings.RENDA_MEETING_MATERIALS_DAYS,
        "quorum": quorum,
        "roll_error": roll_error,
        "attendance": rows,
        "observers": services.observers(s),
        "my_votes": _my_open_votes(s, user),
        "breadcrumbs": _crumbs(s),
    }
    return render(request, "meetings/sitting.html", context)


def _my_open_votes(sitting, user) -> list:
    """The open ballots of this sitting's agenda in which `user` votes (the member's 去投票)."""
    from renda.ballots.models import Ballot, Voter

    from . import hall

    status = hall.status(sitting, user)
    open_ids = [v.ballot.pk for i in status.items for v in i.votes if v.ballot.state == Ballot.State.OPEN]
    mine = set(Voter.objects.filter(ballot__in=open_ids, user=user).values_list("ballot", flat=True))
    return [v.ballot for i in status.items for v in i.votes if v.ballot.pk in mine]


def _refused(response):
    response.status_code = 422  # the form again, with what was typed
    return response


@login_required
def add_item(request, pk):
    s = _sitting(request, pk, act=True)
    form = forms.AgendaItemForm(request.POST or None, candidates=services.agenda_candidates(s, request.user))
    if post_agenda_item(request, s, form):
        return redirect(sitting_url(s))
    response = form_page(request, form, "列入议程", sitting_url(s), s.label, sitting_url(s))
    return _refused(response) if request.method == "POST" else response


def post_agenda_item(request, meeting, form) -> AgendaItem | None:
    """The 列入议程 form's post, for a sitting or a plenary session: the new item, or None with
    the form's errors (or on a GET)."""
    if request.method != "POST" or not form.is_valid():
        return None
    type_key, case_pk, transition = form.cleaned_data["candidate"].split(":")
    case = registry.get(type_key).model.objects.get(pk=int(case_pk))
    try:
        item = services.add_item(meeting, case, transition, request.user, title=form.cleaned_data["title"])
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, f"已将“{item.title}”列入议程。")
    return item


def roll_form(request, meeting) -> forms.AttendanceForm:
    """The attendance form over the meeting's roll (members of a sitting, deputies of a
    session); a roll that cannot be drawn is said, with an empty list."""
    try:
        people = services.roll(meeting)
    except ValidationError as exc:
        people = []
        messages.error(request, "；".join(exc.messages))
    return forms.AttendanceForm(request.POST or None, members=people)


def post_attendance(request, meeting, form) -> Attendance | None:
    """The attendance form's post: the recorded row, or None with the form's errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    person = Person.objects.get(pk=int(data["person"]))
    try:
        row = services.record_attendance(meeting, person, data["status"], request.user, reason=data["reason"])
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, f"已登记{person.name}：{row.get_status_display()}。")
    return row


@login_required
def move_item(request, pk, item, direction):
    s = _sitting(request, pk, act=True)  # who may, before the method: 404/403 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = get_object_or_404(AgendaItem, pk=item, sitting=s)
    if direction not in ("up", "down"):
        raise Http404
    services.move_item(row, -1 if direction == "up" else 1)
    return redirect(sitting_url(s))


@login_required
def remove_item(request, pk, item):
    s = _sitting(request, pk, act=True)  # who may, before the method: 404/403 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = get_object_or_404(AgendaItem, pk=item, sitting=s)
    services.remove_item(row)
    messages.success(request, f"已将“{row.title}”移出议程。")
    return redirect(sitting_url(s))


@login_required
def attendance(request, pk):
    s = _sitting(request, pk, act=True)
    form = roll_form(request, s)
    if post_attendance(request, s, form):
        return redirect(sitting_url(s))
    response = form_page(request, form, "登记出席情况", sitting_url(s), s.label, sitting_url(s))
    return _refused(response) if request.method == "POST" else response


@login_required
def approve_leave(request, pk, row):
    s = _sitting(request, pk, act=True)  # who may, before the method: 404/403 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    att = get_object_or_404(Attendance, pk=row, sitting=s)
    try:
        services.approve_leave(att, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已批准{att.person.name}请假。")
    return redirect(sitting_url(s))


@login_required
def observers(request, pk):
    s = _sitting(request, pk, act=True)
    form = forms.ObserversForm(request.POST or None, sitting=s)
    if request.method == "POST" and form.is_valid():
        added = services.add_observers(s, list(form.cleaned_data["deputies"]))
        messages.success(request, f"已登记列席人员{len(added)}人。")
        return redirect(sitting_url(s))
    response = form_page(request, form, "登记列席人员", sitting_url(s), s.label, sitting_url(s))
    return _refused(response) if request.method == "POST" else response
