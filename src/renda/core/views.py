"""Work pages for the core records. Views are thin: scoping decides what is seen and
allowed, forms validate, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renda.workflow import registry
from renda.workflow.models import Deadline

from . import forms, services
from .imports import DeputyImporter, ImportFailed, MemberImporter, UnitImporter
from .listing import Column, Filter, Listing, ListingView
from .models import (
    ApiToken,
    Body,
    CommitteeMember,
    Congress,
    Deputy,
    HandlingUnit,
    Notification,
    PlenarySession,
    Role,
    RoleAssignment,
    Term,
    User,
)
from .scoping import allowed, get_visible_or_404, require, visible

# ---------------------------------------------------------------- workbench


@login_required
def workbench(request):
    user = request.user
    actor = user.actor
    today = timezone.localdate()
    pending, due_soon, overdue = [], [], []
    for case_type in registry.case_types():
        cases = visible(user, case_type.model)
        # distinct: a guard may join co-signers or assignments (one row each)
        mine = cases.filter(case_type.pending_q(user)).distinct().order_by("-updated_at")
        pending_count = mine.count()
        if pending_count:
            pending.append({"type": case_type, "count": pending_count, "cases": list(mine[:10])})
        content_type = ContentType.objects.get_for_model(case_type.model)
        clocks = Deadline.objects.running().filter(content_type=content_type, object_id__in=cases.values("pk"))
        if actor.unit_ids and not actor.has(Role.ADMIN, Role.STAFF, Role.DIRECTOR):
            clocks = clocks.filter(handling_unit__in=actor.unit_ids)
        due_soon += [
            (case_type, d)
            for d in clocks.filter(due_on__gte=today, due_on__lte=today + timezone.timedelta(days=15))[:20]
        ]
        overdue += [(case_type, d) for d in clocks.filter(due_on__lt=today)[:20]]
    notes = list(visible(user, Notification).filter(read_at__isnull=True)[:5])
    quick = _quick_actions(user)
    return render(
        request,
        "core/workbench.html",
        {
            "page_title": "工作台",
            "pending": pending,
            "due_soon": due_soon,
            "overdue": overdue,
            "notes": notes,
            "quick": quick,
            "case_type_count": len(registry.case_types()),
            "my_deputies": list(
                Deputy.objects.filter(pk__in=actor.deputy_ids).select_related("congress", "term", "delegation")
            ),
            "my_units": list(HandlingUnit.objects.filter(pk__in=actor.unit_ids)),
            "roles": actor.assignments,
        },
    )


def _quick_actions(user) -> list[tuple[str, str]]:
    actor = user.actor
    actions = []
    if actor.deputy_ids:
        actions.append(("我的代表信息", reverse("core:deputy_detail", args=[next(iter(actor.deputy_ids))])))
    if actor.has(Role.ADMIN, Role.STAFF):
        actions += [("新增代表", reverse("core:deputy_create")), ("导入代表", reverse("core:deputy_import"))]
    if actor.unit_ids:
        actions.append(("本单位信息", reverse("core:unit_detail", args=[next(iter(actor.unit_ids))])))
    actions.append(("我的通知", reverse("core:notifications")))
    return actions


# ---------------------------------------------------------------- congresses


def _congress_filter(request):
    return [(c.pk, c.region) for c in Congress.objects.filter(level__in=["city", "county"]).order_by("path")]


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
            Column("级别", lambda c: c.get_level_display(), sort="level"),
            Column("区划代码", lambda c: c.code, sort="code"),
            Column("设常委会", lambda c: c.has_standing_committee),
            Column("下级人大", lambda c: c.child_count, numeric=True),
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


def _form_page(request, form, title, cancel_url, list_title, list_url):
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": cancel_url,
            "breadcrumbs": [(list_title, list_url), (title, "")],
        },
    )


def _edit(request, *, model, form_class, pk=None, title, list_name, list_title, detail_name=None):
    instance = get_visible_or_404(request.user, model, pk=pk) if pk else None
    if instance is not None:
        require(request.user, "change", instance)
    else:
        require(request.user, "add", model)
    list_url = reverse(list_name)
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, user=request.user)
        if form.is_valid():
            try:
                saved = form.save()
            except PermissionDenied:
                form.add_error(None, "您无权在所选的人大下保存此记录。")
            else:
                messages.success(request, f"已保存：{saved}")
                return redirect(reverse(detail_name, args=[saved.pk]) if detail_name else list_url)
    else:
        form = form_class(instance=instance, user=request.user)
    return _form_page(request, form, title, list_url, list_title, list_url)


@login_required
def congress_edit(request, pk=None):
    return _edit(
        request,
        model=Congress,
        form_class=forms.CongressForm,
        pk=pk,
        title="修改人大信息" if pk else "新增下级人大",
        list_name="core:congress_list",
        list_title="人大组织",
        detail_name="core:congress_detail",
    )


# ---------------------------------------------------------------- bodies


class BodyList(ListingView):
    edit_url_name = "core:body_edit"
    listing = Listing(
        model=Body,
        title="机构",
        columns=[
            Column("名称", lambda b: b.name, sort="name"),
            Column("简称", lambda b: b.short_name),
            Column("类别", lambda b: b.get_kind_display(), sort="kind"),
            Column("所属人大", lambda b: b.congress.short_name),
            Column("组成人员", lambda b: b.member_count, numeric=True),
            Column("状态", lambda b: "启用" if b.is_active else "停用", badge=lambda b: "ok" if b.is_active else ""),
        ],
        search_fields=("name", "short_name"),
        search_placeholder="搜索机构名称",
        filters=[
            Filter("kind", "类别", "kind", lambda r: Body.Kind.choices),
            Filter("congress", "人大", "congress_id", _congress_filter),
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
    return _edit(
        request,
        model=Body,
        form_class=forms.BodyForm,
        pk=pk,
        title="修改机构" if pk else "新增机构",
        list_name="core:body_list",
        list_title="机构",
    )


# ---------------------------------------------------------------- handling units


class UnitList(ListingView):
    listing = Listing(
        model=HandlingUnit,
        title="承办单位",
        columns=[
            Column("单位名称", lambda u: u.name, sort="name", url=lambda u: reverse("core:unit_detail", args=[u.pk])),
            Column("简称", lambda u: u.short_name),
            Column("类别", lambda u: u.get_kind_display(), sort="kind"),
            Column("所属人大", lambda u: u.congress.short_name),
            Column("状态", lambda u: "启用" if u.is_active else "停用", badge=lambda u: "ok" if u.is_active else ""),
        ],
        search_fields=("name", "short_name"),
        search_placeholder="搜索单位名称",
        filters=[
            Filter("kind", "类别", "kind", lambda r: HandlingUnit.Kind.choices),
            Filter("congress", "人大", "congress_id", _congress_filter),
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
    return _edit(
        request,
        model=HandlingUnit,
        form_class=forms.HandlingUnitForm,
        pk=pk,
        title="修改承办单位" if pk else "新增承办单位",
        list_name="core:unit_list",
        list_title="承办单位",
        detail_name="core:unit_detail",
    )


# ---------------------------------------------------------------- committee members


class MemberList(ListingView):
    edit_url_name = "core:member_edit"
    listing = Listing(
        model=CommitteeMember,
        title="常委会组成人员",
        columns=[
            Column("姓名", lambda m: m.person.name, sort="person__name"),
            Column("职务", lambda m: m.get_position_display(), sort="position"),
            Column("所在机构", lambda m: m.body or ""),
            Column("人大", lambda m: m.congress.short_name),
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
            Filter("congress", "人大", "congress_id", _congress_filter),
        ],
        select_related=("person", "body", "congress", "term"),
        default_order=("congress__path", "position", "id"),
    )

    def actions(self, request):
        if not allowed(request.user, "add", CommitteeMember):
            return []
        return [("新增组成人员", reverse("core:member_create")), ("从Excel导入", reverse("core:member_import"))]


def _create(request, *, model, form_class, title, list_name, list_title, denied, done):
    """A page that creates one record with a plain form whose save() calls the services."""
    require(request.user, "add", model)
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save()
        except PermissionDenied:
            form.add_error(None, denied)
        else:
            messages.success(request, done(saved))
            return redirect(list_name)
    list_url = reverse(list_name)
    return _form_page(request, form, title, list_url, list_title, list_url)


@login_required
def member_create(request):
    return _create(
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
    return _edit(
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
    return _import_page(
        request,
        importer=MemberImporter(),
        form_class=forms.MemberImportForm,
        title="从Excel导入常委会组成人员",
        list_name="core:member_list",
        list_title="常委会组成人员",
        context_of=lambda d: {"term": d["term"]},
    )


# ---------------------------------------------------------------- deputies


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
            Column("人大", lambda d: d.congress.short_name),
            Column("代表团", lambda d: d.delegation or "", sort="delegation__name"),
            Column("代表小组", lambda d: d.group or ""),
            Column("代表构成", lambda d: d.get_occupation_display(), sort="occupation"),
            Column("工作单位及职务", lambda d: d.person.workplace),
            Column("状态", lambda d: d.get_status_display(), badge=lambda d: "ok" if d.status == "serving" else ""),
        ],
        search_fields=("person__name", "person__workplace", "delegation__name"),
        search_placeholder="搜索姓名、工作单位或代表团",
        filters=[
            Filter("congress", "人大", "congress_id", _congress_filter),
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
    return _form_page(request, form, title, reverse("core:deputy_list"), "人大代表", reverse("core:deputy_list"))


def _import_page(request, *, importer, form_class, title, list_name, list_title, context_of):
    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    errors, imported = [], None
    if request.GET.get("template"):
        response = HttpResponse(
            importer.template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = "attachment; filename=template.xlsx"
        return response
    if request.method == "POST" and form.is_valid():
        try:
            imported = importer.run(request.user, form.cleaned_data["file"], context_of(form.cleaned_data))
        except ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, f"导入成功：共 {imported} 条。")
            return redirect(list_name)
    return render(
        request,
        "core/import.html",
        {
            "page_title": title,
            "form": form,
            "errors": errors,
            "columns": list(importer.columns),
            "required": importer.required_headers,
            "breadcrumbs": [(list_title, reverse(list_name)), (title, "")],
        },
    )


@login_required
def deputy_import(request):
    require(request.user, "import", Deputy)
    return _import_page(
        request,
        importer=DeputyImporter(),
        form_class=forms.DeputyImportForm,
        title="从Excel导入代表",
        list_name="core:deputy_list",
        list_title="人大代表",
        context_of=lambda d: {"term": d["term"]},
    )


@login_required
def unit_import(request):
    require(request.user, "import", HandlingUnit)
    return _import_page(
        request,
        importer=UnitImporter(),
        form_class=forms.UnitImportForm,
        title="从Excel导入承办单位",
        list_name="core:unit_list",
        list_title="承办单位",
        context_of=lambda d: {"congress": d["congress"]},
    )


# ---------------------------------------------------------------- accounts


class AccountList(ListingView):
    listing = Listing(
        model=User,
        title="账号与角色",
        columns=[
            Column("用户名", lambda u: u.username, sort="username"),
            Column("显示名称", lambda u: u.display_name),
            Column("角色", lambda u: "；".join(str(r) for r in u.roles.all())),
            Column("最近登录", lambda u: u.last_login and timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M")),
            Column("状态", lambda u: "启用" if u.is_active else "停用", badge=lambda u: "ok" if u.is_active else "bad"),
        ],
        search_fields=("username", "display_name"),
        search_placeholder="搜索用户名或名称",
        filters=[Filter("role", "角色", "roles__role", lambda r: Role.choices)],
        default_order=("username",),
    )

    def actions(self, request):
        return [("新建账号", reverse("core:account_create"))] if allowed(request.user, "add", User) else []

    def get_queryset(self, request):
        roles = RoleAssignment.objects.select_related("congress", "body", "handling_unit")
        return super().get_queryset(request).prefetch_related(Prefetch("roles", queryset=roles))


@login_required
def account_create(request):
    return _create(
        request,
        model=User,
        form_class=forms.AccountForm,
        title="新建账号",
        list_name="core:account_list",
        list_title="账号与角色",
        denied="您无权在所选的人大下分配该角色。",
        done=lambda a: f"已新建账号：{a.username}",
    )


# ---------------------------------------------------------------- notifications and tokens


@login_required
def notifications(request):
    if request.method == "POST":
        visible(request.user, Notification).filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("core:notifications")
    items = visible(request.user, Notification)[:100]
    return render(
        request,
        "core/notifications.html",
        {"page_title": "通知", "items": items, "breadcrumbs": [("工作台", reverse("workbench")), ("通知", "")]},
    )


@login_required
def api_tokens(request):
    secret = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:60]
        if not name:
            messages.error(request, "请填写令牌用途。")
        else:
            _, secret = services.issue_api_token(request.user, name)
    tokens = visible(request.user, ApiToken).filter(revoked_at__isnull=True).order_by("-created_at")
    return render(request, "core/tokens.html", {"page_title": "接口令牌", "tokens": tokens, "secret": secret})


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_visible_or_404(request.user, ApiToken, pk=pk)
    require(request.user, "change", token)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    messages.success(request, "令牌已吊销。")
    return redirect("core:api_tokens")
