"""Committee members (常委会组成人员)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from .. import forms
from ..imports import MemberImporter
from ..listing import Column, Filter, Listing, ListingView
from ..models import (
    CommitteeMember,
)
from ..scoping import allowed, require
from .pages import congress_filter, create_page, edit_page, import_page


class MemberList(ListingView):
    edit_url_name = "core:member_edit"
    listing = Listing(
        model=CommitteeMember,
        title="常委会组成人员",
        columns=[
            Column("姓名", lambda m: m.person.name, sort="person__name"),
            Column("职务", lambda m: m.get_position_display(), sort="position", key=True),
            Column("所在机构", lambda m: m.body or "", key=True),
            Column("人大", lambda m: m.congress.short_name, key=True),
            Column("届", lambda m: m.term.label),
            Column("任职日期", lambda m: m.start_date, sort="start_date"),
            Column(
                "状态",
                lambda m: "在任" if m.end_date is None else "已离任",
                badge=lambda m: "ok" if m.end_date is None else "",
            ),
        ],
        search_fields=("person__name",),
        search_placeholder="搜索姓名",
        filters=[
            Filter("position", "职务", "position", lambda r: CommitteeMember.Position.choices),
            Filter("congress", "人大", "congress_id", congress_filter),
        ],
        select_related=("person", "body", "congress", "term"),
        default_order=("congress__path", "position", "id"),
    )

    def actions(self, request):
        if not allowed(request.user, "add", CommitteeMember):
            return []
        return [("新增组成人员", reverse("core:member_create")), ("从Excel导入", reverse("core:member_import"))]


@login_required
def member_create(request):
    return create_page(
        request,
        model=CommitteeMember,
        form_class=forms.CommitteeMemberForm,
        title="新增常委会组成人员",
        list_name="core:member_list",
        list_title="常委会组成人员",
        denied="您无权在所选的人大下保存此记录。",
        done=lambda m: f"已新增：{m}",
    )


@login_required
def member_edit(request, pk):
    return edit_page(
        request,
        model=CommitteeMember,
        form_class=forms.CommitteeMemberEditForm,
        pk=pk,
        title="修改任职信息",
        list_name="core:member_list",
        list_title="常委会组成人员",
    )


@login_required
def member_import(request):
    require(request.user, "import", CommitteeMember)
    return import_page(
        request,
        importer=MemberImporter(),
        form_class=forms.MemberImportForm,
        title="从Excel导入常委会组成人员",
        list_name="core:member_list",
        list_title="常委会组成人员",
        context_of=lambda d: {"term": d["term"]},
    )
