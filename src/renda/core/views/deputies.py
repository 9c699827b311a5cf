"""Deputies: the list, a deputy, editing and importing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import forms
from ..imports import DeputyImporter
from ..listing import Column, Filter, Listing, ListingView
from ..models import (
    Deputy,
    Term,
)
from ..scoping import allowed, get_visible_or_404, require
from .pages import congress_filter, form_page, import_page


def _term_filter(request):
    return [
        (t.pk, f"{t.congress.region}{t.label}")
        for t in Term.objects.select_related("congress").order_by("congress__path", "-number")
    ]


class DeputyList(ListingView):
    listing = Listing(
        model=Deputy,
        title="人大代表",
        columns=[
            Column(
                "姓名",
                lambda d: d.person.name,
                sort="person__name",
                url=lambda d: reverse("core:deputy_detail", args=[d.pk]),
            ),
            Column("性别", lambda d: d.person.get_gender_display()),
            Column("民族", lambda d: d.person.ethnicity),
            Column("人大", lambda d: d.congress.short_name, key=True),
            Column("代表团", lambda d: d.delegation or "", sort="delegation__name", key=True),
            Column("代表小组", lambda d: d.group or ""),
            Column("代表构成", lambda d: d.get_occupation_display(), sort="occupation"),
            Column("工作单位及职务", lambda d: d.person.workplace, key=True),
            Column("状态", lambda d: d.get_status_display(), badge=lambda d: "ok" if d.status == "serving" else ""),
        ],
        search_fields=("person__name", "person__workplace", "delegation__name"),
        search_placeholder="搜索姓名、工作单位或代表团",
        filters=[
            Filter("congress", "人大", "congress_id", congress_filter),
            Filter("occupation", "代表构成", "occupation", lambda r: Deputy.Occupation.choices),
            Filter("status", "状态", "status", lambda r: Deputy.Status.choices),
        ],
        select_related=("person", "congress", "term", "delegation", "group"),
        default_order=("congress__path", "delegation_id", "id"),
    )

    def actions(self, request):
        if not allowed(request.user, "add", Deputy):
            return []
        return [("新增代表", reverse("core:deputy_create")), ("从Excel导入", reverse("core:deputy_import"))]


@login_required
def deputy_detail(request, pk):
    deputy = get_visible_or_404(request.user, Deputy.objects.model, pk=pk)
    deputy = Deputy.objects.select_related("person", "congress", "term", "delegation", "group", "constituency").get(
        pk=deputy.pk
    )
    return render(
        request,
        "core/deputy_detail.html",
        {
            "page_title": deputy.person.name,
            "deputy": deputy,
            "person": deputy.person,
            "show_private": allowed(request.user, "view", deputy.person),
            "can_change": allowed(request.user, "change", deputy),
            "breadcrumbs": [("人大代表", reverse("core:deputy_list")), (deputy.person.name, "")],
        },
    )


@login_required
def deputy_edit(request, pk=None):
    instance = None
    if pk:
        instance = get_visible_or_404(request.user, Deputy, pk=pk)
        require(request.user, "change", instance)
    else:
        require(request.user, "add", Deputy)
    form = forms.DeputyForm(request.POST or None, user=request.user, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            deputy = form.save()
        except PermissionDenied:
            form.add_error(None, "您无权在所选的人大下保存此记录。")
        else:
            messages.success(request, f"已保存：{deputy.person.name}")
            return redirect("core:deputy_detail", pk=deputy.pk)
    title = "修改代表信息" if pk else "新增代表"
    return form_page(request, form, title, reverse("core:deputy_list"), "人大代表", reverse("core:deputy_list"))


@login_required
def deputy_import(request):
    require(request.user, "import", Deputy)
    return import_page(
        request,
        importer=DeputyImporter(),
        form_class=forms.DeputyImportForm,
        title="从Excel导入代表",
        list_name="core:deputy_list",
        list_title="人大代表",
        context_of=lambda d: {"term": d["term"]},
    )
