"""Group deliberation pages of a standing committee sitting: the groups and speeches page
(the staff split the people into groups, record anyone's speech and circulate; a member or
observer records their own), and the compiled speeches once circulated (印发). Read by the
sitting's staff and people only; anyone else does not find them (404). Services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renda.core.forms import add_service_errors
from renda.core.models import CommitteeMeeting
from renda.core.views.pages import form_page

from . import groups as svc
from .forms_groups import GroupForm, GroupMembersForm, SpeechForm
from .models import AgendaItem, DeliberationGroup, GroupMember


def groups_url(s) -> str:
    return reverse("meetings:groups", args=[s.pk])


def _sitting(request, pk, act: bool = False):
    """The standing committee sitting with its people, if the user is its staff or one of
    them (else 404); `act`: and its staff (else 403)."""
    sitting = get_object_or_404(
        CommitteeMeeting.objects.select_related("term__congress"),
        pk=pk,
        kind=CommitteeMeeting.Kind.STANDING_COMMITTEE,
    )
    try:
        people = svc.people(sitting)
    except ValidationError as exc:  # a member without an account: the staff see why
        if not svc.may_manage(request.user, sitting):
            raise Http404 from exc
        messages.error(request, "；".join(exc.messages))
        people = []
    manage = svc.may_manage(request.user, sitting)
    if not manage and request.user.person_id not in {p.person.pk for p in people}:
        raise Http404
    if act and not manage:
        raise PermissionDenied("只有常委会工作人员可以安排分组审议。")
    return sitting, people, manage


def _crumbs(sitting, title=""):
    crumbs = [("会议", reverse("meetings:index")), (sitting.label, reverse("meetings:sitting", args=[sitting.pk]))]
    return crumbs + [(title, "")]


def _speech_form(request, sitting, people, manage, data=None):
    speakers = people if manage else [p for p in people if p.person.pk == request.user.person_id]
    items = list(AgendaItem.objects.filter(sitting=sitting).order_by("order", "id"))
    group_list = list(DeliberationGroup.objects.filter(sitting=sitting).order_by("order", "id"))
    return SpeechForm(data, speakers=speakers, items=items, groups=group_list), items, group_list


def _page(request, sitting, people, manage, form, status=200):
    speeches = svc.compiled(sitting, circulated_only=False)
    if not manage:  # a member sees their own speeches here, the others once circulated
        for section in speeches:
            section.groups = [
                (g, [s for s in rows if s.speaker_id == request.user.person_id]) for g, rows in section.groups
            ]
            section.groups = [(g, rows) for g, rows in section.groups if rows]
        speeches = [s for s in speeches if s.groups]
    context = {
        "page_title": f"{sitting.label} · 分组审议",
        "sitting": sitting,
        "may_act": manage,
        "groups": svc.groups(sitting),
        "ungrouped": _ungrouped(sitting, people),
        "form": form,
        "speeches": speeches,
        "pending": sum(1 for sec in speeches for _, rows in sec.groups for s in rows if not s.circulated_at),
        "breadcrumbs": _crumbs(sitting, "分组审议"),
    }
    return render(request, "meetings/groups.html", context, status=status)


def _ungrouped(sitting, people):
    grouped = set(GroupMember.objects.filter(sitting=sitting).values_list("person_id", flat=True))
    return [p for p in people if p.person.pk not in grouped]


@login_required
def groups_page(request, pk):
    sitting, people, manage = _sitting(request, pk)
    form, _, _ = _speech_form(request, sitting, people, manage)
    return _page(request, sitting, people, manage, form)


@login_required
def add_speech(request, pk):
    sitting, people, manage = _sitting(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form, items, group_list = _speech_form(request, sitting, people, manage, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        speaker = next(p.person for p in people if str(p.person.pk) == data["speaker"])
        item = next((i for i in items if str(i.pk) == data["item"]), None)
        group = next((g for g in group_list if str(g.pk) == data["group"]), None)
        try:
            svc.record_speech(sitting, speaker, data["text"], request.user, item=item, group=group)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已记录{speaker.name}的发言。")
            return redirect(groups_url(sitting))
    return _page(request, sitting, people, manage, form, status=422)


@login_required
def add_group(request, pk):
    sitting, people, _ = _sitting(request, pk, act=True)
    form = GroupForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        convener = next((p.person for p in people if str(p.person.pk) == data["convener"]), None)
        try:
            group = svc.create_group(sitting, data["name"], request.user, convener=convener)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已设立{group.name}。")
            return redirect(reverse("meetings:group_members", args=[sitting.pk, group.pk]))
    response = form_page(request, form, "设立审议小组", groups_url(sitting), "分组审议", groups_url(sitting))
    if request.method == "POST":
        response.status_code = 422
    return response


@login_required
def group_members(request, pk, group):
    sitting, people, _ = _sitting(request, pk, act=True)
    g = get_object_or_404(DeliberationGroup, pk=group, sitting=sitting)
    taken = {
        m.person_id: m.group.name
        for m in GroupMember.objects.filter(sitting=sitting).exclude(group=g).select_related("group")
    }
    initial = {
        "members": [str(pk) for pk in GroupMember.objects.filter(group=g).values_list("person_id", flat=True)],
        "convener": str(g.convener_id or ""),
    }
    form = GroupMembersForm(request.POST or None, initial=initial, people=people, taken=taken)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {str(p.person.pk): p.person for p in people}
        try:
            svc.set_members(g, [by_pk[x] for x in data["members"]], request.user, convener=by_pk.get(data["convener"]))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已调整{g.name}的成员。")
            return redirect(groups_url(sitting))
    response = form_page(request, form, f"{g.name}成员", groups_url(sitting), "分组审议", groups_url(sitting))
    if request.method == "POST":
        response.status_code = 422
    return response


@login_required
def circulate(request, pk):
    sitting, _, _ = _sitting(request, pk, act=True)  # who may, before the method: 404/403 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        n = svc.circulate(sitting, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已印发发言{n}篇。")
    return redirect(reverse("meetings:speeches", args=[sitting.pk]))


@login_required
def speeches(request, pk):
    """The compiled circulated speeches, by agenda item and group."""
    sitting, _, manage = _sitting(request, pk)
    context = {
        "page_title": f"{sitting.label} · 审议发言汇编",
        "sitting": sitting,
        "may_act": manage,
        "speeches": svc.compiled(sitting),
        "breadcrumbs": _crumbs(sitting, "审议发言汇编"),
    }
    return render(request, "meetings/groups_speeches.html", context)
