"""Handling units: the list, a unit, editing and importing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from .. import forms
from ..imports import UnitImporter
from ..listing import Column, Filter, Listing, ListingView
from ..models import (
    HandlingUnit,
    Role,
    User,
)
from ..scoping import allowed, get_visible_or_404, require, visible
from .pages import congress_filter, edit_page, import_page


class UnitList(ListingView):
    listing = Listing(
        model=HandlingUnit,
        title="承办单位",
        columns=[
            Column("单位名称", lambda u: u.name, sort="name", url=lambda u: reverse("core:unit_detail", args=[u.pk])),
            Column("简称", lambda u: u.short_name),
            Column("类别", lambda u: u.get_kind_display(), sort="kind", key=True),
            Column("所属人大", lambda u: u.congress.short_name, key=True),
            Column("状态", lambda u: "启用" if u.is_active else "停用", badge=lambda u: "ok" if u.is_active else ""),
        ],
        search_fields=("name", "short_name"),
        search_placeholder="搜索单位名称",
        filters=[
            Filter("kind", "类别", "kind", lambda r: HandlingUnit.Kind.choices),
            Filter("congress", "人大", "congress_id", congress_filter),
        ],
        select_related=("congress",),
        default_order=("congress__path", "kind", "id"),
    )

    def actions(self, request):
        if not allowed(request.user, "add", HandlingUnit):
            return []
        return [("新增单位", reverse("core:unit_create")), ("从Excel导入", reverse("core:unit_import"))]


@login_required
def unit_detail(request, pk):
    unit = get_visible_or_404(request.user, HandlingUnit, pk=pk)
    staff = visible(request.user, User).filter(roles__handling_unit=unit, roles__role=Role.UNIT).distinct()
    return render(
        request,
        "core/unit_detail.html",
        {
            "page_title": unit.name,
            "unit": unit,
            "staff": staff,
            "can_change": allowed(request.user, "change", unit),
            "breadcrumbs": [("承办单位", reverse("core:unit_list")), (unit.short_name, "")],
        },
    )


@login_required
def unit_edit(request, pk=None):
    return edit_page(
        request,
        model=HandlingUnit,
        form_class=forms.HandlingUnitForm,
        pk=pk,
        title="修改承办单位" if pk else "新增承办单位",
        list_name="core:unit_list",
        list_title="承办单位",
        detail_name="core:unit_detail",
    )


@login_required
def unit_import(request):
    require(request.user, "import", HandlingUnit)
    return import_page(
        request,
        importer=UnitImporter(),
        form_class=forms.UnitImportForm,
        title="从Excel导入承办单位",
        list_name="core:unit_list",
        list_title="承办单位",
        context_of=lambda d: {"congress": d["congress"]},
    )
