"""Accounts and roles, notifications, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import forms, services
from ..listing import Column, Filter, Listing, ListingView
from ..models import (
    ApiToken,
    Notification,
    Role,
    RoleAssignment,
    User,
)
from ..scoping import allowed, get_visible_or_404, require, visible
from .pages import create_page


class AccountList(ListingView):
    listing = Listing(
        model=User,
        title="账号与角色",
        columns=[
            Column("用户名", lambda u: u.username, sort="username"),
            Column("显示名称", lambda u: u.display_name, key=True),
            Column("角色", lambda u: "；".join(str(r) for r in u.roles.all()), key=True),
            Column("最近登录", lambda u: u.last_login),
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
    return create_page(
        request,
        model=User,
        form_class=forms.AccountForm,
        title="新建账号",
        list_name="core:account_list",
        list_title="账号与角色",
        denied="您无权在所选的人大下分配该角色。",
        done=lambda a: f"已新建账号：{a.username}",
    )


@login_required
def notifications(request):
    if request.method == "POST":
        visible(request.user, Notification).filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("core:notifications")
    items = visible(request.user, Notification)[:100]
    return render(
        request,
        "core/notifications.html",
        {
            "page_title": "通知",
            "items": items,
            "breadcrumbs": [("工作台", reverse("workflow:workbench")), ("通知", "")],
        },
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
