"""Resolution work pages: the list (the oversight roles of the congress: drafts included), the
drafting form (staff), a resolution's page with its drafts, vote and transitions. Thin: scoping
decides, the case type acts, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from renda.ballots import motions
from renda.core.forms import add_service_errors
from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.scoping import actor_of, allowed, get_visible_or_404, require
from renda.core.views.pages import form_page
from renda.workflow import documents

from . import forms, services
from .cases import RESOLUTION
from .models import Resolution


def resolution_url(r) -> str:
    return reverse("decisions:resolution", args=[r.pk])


def _sitting(r) -> str:
    return r.sitting.label if r.sitting_id else ""


class ResolutionList(ListingView):
    listing = Listing(
        model=Resolution,
        title="决议决定",
        columns=[
            Column("名称", lambda r: r.title, url=resolution_url, sort="title"),
            Column("类别", lambda r: r.get_kind_display(), key=True),
            Column("事项类型", lambda r: r.get_subject_display(), key=True),
            Column("会议", _sitting),
            Column("状态", lambda r: r.state_label, badge=lambda r: "ok" if r.state == "published" else ""),
            Column("通过日期", lambda r: r.adopted_on, sort="adopted_on"),
            Column("文号", lambda r: r.number),
        ],
        search_fields=("title", "number", "proposer"),
        search_placeholder="搜索名称、文号或提请机关",
        filters=[
            Filter("state", "状态", "state", lambda r: [(s.key, s.label) for s in RESOLUTION.states]),
            Filter("kind", "类别", "kind", lambda r: Resolution.Kind.choices),
            Filter("subject", "事项类型", "subject", lambda r: Resolution.Subject.choices),
            year_filter(RESOLUTION.year_field),
        ],
        select_related=("sitting__term__congress",),
        default_order=("-created_at", "-id"),
        breadcrumbs=[("决议决定", "")],
    )

    def actions(self, request):
        if allowed(request.user, "add", Resolution):
            return [("起草决议决定", reverse("decisions:create"))]
        return []


@login_required
def create(request):
    """起草决议决定: at the user's own congress, with the matter it decides and a first draft."""
    require(request.user, "add", Resolution)
    congress = actor_of(request.user).home_congress
    if congress is None:
        raise PermissionDenied("您的账号没有所属的人大。")
    form = forms.ResolutionForm(request.POST or None, request.FILES or None, user=request.user, congress=congress)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                matter = services.matter_from_choice(request.user, data["matter"], congress)
                item = services.create_resolution(
                    request.user,
                    congress=congress,
                    title=data["title"],
                    kind=data["kind"],
                    subject=data["subject"],
                    proposer=data["proposer"],
                    matter=matter,
                    draft=data["draft"],
                )
                if data["draft_file"]:
                    services.add_draft(item, data["draft_file"], request.user, note="草案")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已起草“{item.title}”。")
            return redirect(resolution_url(item))
    index = reverse("decisions:index")
    response = form_page(request, form, "起草决议决定", index, "决议决定", index)
    if request.method == "POST":  # refused: the form again, with what was typed (422)
        response.status_code = 422
    return response


@login_required
def resolution(request, pk):
    item = get_visible_or_404(request.user, Resolution, pk=pk)
    user = request.user
    insider = allowed(user, "view_process", item)
    votes = motions.votes_for(item, user) if insider else []
    context = {
        "page_title": item.title,
        "item": item,
        "insider": insider,
        "actions": RESOLUTION.available(user, item) if insider else [],
        "matter": services.matter_of(item, user),
        "text": documents.current(item, "text"),
        "draft": documents.current(item, "draft") if insider else None,
        "votes": votes,
        "breadcrumbs": [("决议决定", reverse("decisions:index")), (item.title[:30], "")],
    }
    return render(request, "decisions/resolution.html", context)
