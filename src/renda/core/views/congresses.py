"""The congress tree and the bodies of each congress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.urls import reverse

from .. import forms
from ..listing import Column, Filter, Listing, ListingView
from ..models import (
    Body,
    Congress,
    Deputy,
    HandlingUnit,
    PlenarySession,
    Term,
)
from ..scoping import allowed, get_visible_or_404, visible
from .pages import congress_filter, edit_page


class CongressList(ListingView):
    listing = Listing(
        model=Congress,
        title="人大组织",
        columns=[
            Column(
                "人民代表大会",
                lambda c: ("　" * max(c.depth - 1, 0)) + c.name,
                url=lambda c: reverse("core:congress_detail", args=[c.pk]),
            ),
            Column("级别", lambda c: c.get_level_display(), sort="level", key=True),
            Column("区划代码", lambda c: c.code, sort="code"),
            Column("设常委会", lambda c: c.has_standing_committee),
            Column("下级人大", lambda c: c.child_count, numeric=True, key=True),
        ],
        search_fields=("region", "code"),
        search_placeholder="搜索地区名称或区划代码",
        filters=[Filter("level", "级别", "level", lambda r: Congress.Level.choices)],
        default_order=("path",),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(child_count=Count("children"))

    def actions(self, request):
        return [("新增下级人大", reverse("core:congress_create"))] if allowed(request.user, "add", Congress) else []


@login_required
def congress_detail(request, pk):
    congress = get_visible_or_404(request.user, Congress, pk=pk)
    terms = (
        visible(request.user, Term)
        .filter(congress=congress)
        .prefetch_related(Prefetch("sessions", queryset=PlenarySession.objects.order_by("number")))
    )
    return render(
        request,
        "core/congress_detail.html",
        {
            "page_title": congress.name,
            "congress": congress,
            "terms": terms,
            "children": visible(request.user, Congress).filter(parent=congress),
            "bodies": visible(request.user, Body).filter(congress=congress),
            "unit_count": visible(request.user, HandlingUnit).filter(congress=congress).count(),
            "deputy_count": visible(request.user, Deputy)
            .filter(congress=congress, status=Deputy.Status.SERVING)
            .count(),
            "can_change": allowed(request.user, "change", congress),
            "breadcrumbs": [("人大组织", reverse("core:congress_list")), (congress.region, "")],
        },
    )


@login_required
def congress_edit(request, pk=None):
    return edit_page(
        request,
        model=Congress,
        form_class=forms.CongressForm,
        pk=pk,
        title="修改人大信息" if pk else "新增下级人大",
        list_name="core:congress_list",
        list_title="人大组织",
        detail_name="core:congress_detail",
    )


class BodyList(ListingView):
    edit_url_name = "core:body_edit"
    listing = Listing(
        model=Body,
        title="机构",
        columns=[
            Column("名称", lambda b: b.name, sort="name"),
            Column("简称", lambda b: b.short_name),
            Column("类别", lambda b: b.get_kind_display(), sort="kind", key=True),
            Column("所属人大", lambda b: b.congress.short_name, key=True),
            Column("组成人员", lambda b: b.member_count, numeric=True),
            Column("状态", lambda b: "启用" if b.is_active else "停用", badge=lambda b: "ok" if b.is_active else ""),
        ],
        search_fields=("name", "short_name"),
        search_placeholder="搜索机构名称",
        filters=[
            Filter("kind", "类别", "kind", lambda r: Body.Kind.choices),
            Filter("congress", "人大", "congress_id", congress_filter),
        ],
        select_related=("congress",),
        default_order=("congress__path", "order", "id"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    def actions(self, request):
        return [("新增机构", reverse("core:body_create"))] if allowed(request.user, "add", Body) else []


@login_required
def body_edit(request, pk=None):
    return edit_page(
        request,
        model=Body,
        form_class=forms.BodyForm,
        pk=pk,
        title="修改机构" if pk else "新增机构",
        list_name="core:body_list",
        list_title="机构",
    )
