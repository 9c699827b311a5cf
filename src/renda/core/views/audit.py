"""The audit log's pages (三员分立): the log searched by the security and audit administrators,
exported and verified by the audit administrator; sign-in lock-outs lifted by the security
administrator; each user's own sign-in history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import audit as chain
from ..listing import Column, Filter, Listing, ListingView
from ..models import AuditEntry, User
from ..scoping import allowed, require, visible

ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "locked_out": "账号锁定",
    "logout": "退出",
    "unlock": "解除锁定",
    "denied": "拒绝访问",
    "export": "导出",
    "export_personal": "导出个人信息",
    "view_personal": "查看完整个人信息",
    "erase_personal": "删除个人信息",
    "verify": "核验记录链",
    "create": "新建",
    "update": "修改",
    "change": "修改备案",
    "draft": "起草",
    "grant": "授予角色",
    "issue_token": "签发令牌",
    "reset_password": "重置密码",
    "change_password": "修改密码",
    "enable_2fa": "启用两步验证",
    "disable_2fa": "停用两步验证",
    "renew_recovery_codes": "重新生成恢复码",
    "transition": "流程操作",
    "open": "开始表决",
    "close": "结束表决",
    "publish": "公布结果",
    "unpublish": "撤回公布",
    "present": "登记出席",
    "absent": "登记缺席",
}
# The keys of an entry's changes as the page shows them (the log stores the code's names).
CHANGE_LABELS = {
    "case_type": "事项类型",
    "transition": "操作",
    "event": "事件编号",
    "to": "转入状态",
    "state": "状态",
    "method": "请求方式",
    "path": "路径",
    "list": "列表",
    "rows": "行数",
    "full": "完整显示",
    "withheld": "未导出（无权查看）",
    "columns": "个人信息列",
    "searched": "含搜索条件",
    "field": "字段",
    "reason": "理由",
    "username": "账号",
    "title": "标题",
    "document_number": "文号",
    "intact": "完整",
    "count": "条数",
    "by": "操作人",
    "account": "账号",
    "tokens_revoked": "吊销令牌数",
    "filters": "筛选条件",
    "address": "地址",
    "date": "日期",
    "is_workday": "工作日",
    "name": "名称",
    "role": "角色",
    "congress": "人大",
    "body": "机构",
    "handling_unit": "单位",
    "token": "令牌",
    "voters": "表决人数",
    "options": "选项数",
    "rule": "通过规则",
    "kind": "类别",
    "published": "公布",
}


def _changes(entry) -> str:
    def value(v):
        if v is True:
            return "是"
        if v is False:
            return "否"
        if isinstance(v, list):
            return "、".join(map(str, v))
        return v

    return "；".join(f"{CHANGE_LABELS.get(k, k)}：{value(v)}" for k, v in entry.changes.items())


def _day(value: str):
    """A date of the log's range, or None: no date, or one at the calendar's ends (a day after
    9999-12-31 or a time before 0001-01-01 cannot be formed)."""
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
    return day if date(2, 1, 1) <= day <= date(9998, 12, 31) else None


class AuditLog(ListingView):
    listing = Listing(
        model=AuditEntry,
        title="操作记录",
        columns=[
            Column("时间", lambda e: e.at, sort="seq"),
            Column(
                "操作人",
                lambda e: e.actor_label,
                url=lambda e: f"?actor={e.actor_id}" if e.actor_id else "",
                key=True,
            ),
            Column("操作", lambda e: ACTIONS.get(e.action, e.action), key=True, title=True),
            Column(
                "对象",
                lambda e: f"{e.object_label}（{e.model} #{e.object_id}）" if e.object_id else e.object_label,
                url=lambda e: f"?model={e.model}&object_id={e.object_id}" if e.object_id else "",
                key=True,
            ),
            Column("内容", _changes),
            Column("地址", lambda e: e.ip),
            Column("序号", lambda e: e.seq, numeric=True),
        ],
        search_fields=("actor_label", "object_label", "model", "object_id"),
        search_placeholder="搜索操作人、对象名称或编号",
        filters=[Filter("action", "操作", "action", lambda r: list(ACTIONS.items()))],
        default_order=("-seq",),
    )
    template_name = "core/audit_list.html"
    require_model_view = True

    def get_queryset(self, request):
        """The log narrowed by time range, actor and object (all optional; a date that is no
        date is said so and not applied)."""
        qs = super().get_queryset(request)
        since, until = request.GET.get("since", ""), request.GET.get("until", "")
        zone = timezone.get_current_timezone()
        if since:
            day = _day(since)
            if day is None:
                messages.error(request, "起始日期格式不正确，应为 年-月-日，已忽略。")
            else:
                qs = qs.filter(at__gte=datetime.combine(day, time.min, zone))
        if until:
            day = _day(until)
            if day is None:
                messages.error(request, "截止日期格式不正确，应为 年-月-日，已忽略。")
            else:
                qs = qs.filter(at__lt=datetime.combine(day + timedelta(days=1), time.min, zone))
        actor = request.GET.get("actor", "")
        if actor.isdigit():
            qs = qs.filter(actor_id=int(actor))
        if model := request.GET.get("model", "")[:60]:
            qs = qs.filter(model=model)
        if object_id := request.GET.get("object_id", "")[:40]:
            qs = qs.filter(object_id=object_id)
        return qs

    def extra_context(self, request):
        return {
            "may_verify": allowed(request.user, "verify", AuditEntry),
            "since": request.GET.get("since", "")[:10],
            "until": request.GET.get("until", "")[:10],
        }


@login_required
@require_POST
def audit_verify(request):
    """Walk the whole chain now and say whether it is intact (the audit administrator)."""
    if not allowed(request.user, "verify", AuditEntry):
        raise PermissionDenied("只有审计管理员可以核验操作记录链。")
    finding = chain.verify()
    chain.security_event(
        "verify", request=request, user=request.user, detail={"intact": finding.ok, "count": finding.count}
    )
    (messages.success if finding.ok else messages.error)(request, str(finding))
    return redirect("core:audit_log")


@login_required
def lockouts(request):
    """Sign-in lock-outs (django-axes) and lifting them (the security administrator)."""
    from axes.models import AccessAttempt

    from ..signin import unlock

    require(request.user, "unlock", User)
    if request.method == "POST":
        attempt = AccessAttempt.objects.filter(pk=request.POST.get("attempt") or 0).first()
        if attempt is None:
            messages.error(request, "该锁定记录已不存在（可能已自动解除）。")
        else:
            unlock(username=attempt.username or None, ip=attempt.ip_address or None)
            # the security administrator acted; the account is named by reference (a name typed
            # into the username box that is no account is kept as a hash, as for failures)
            _, account = chain.username_reference(attempt.username or "")
            chain.security_event(
                "unlock",
                request=request,
                user=request.user,
                detail={"account": account, "address": attempt.ip_address or ""},
            )
            messages.success(
                request, f"已解除 {attempt.username or '（未填写账号）'} 在 {attempt.ip_address} 的登录锁定。"
            )
        return redirect("core:lockouts")
    attempts = list(AccessAttempt.objects.order_by("-attempt_time")[:200])
    # a typed name that is no account may be a password typed into the wrong box: shown as its hash
    accounts = set(User.objects.filter(username__in={a.username for a in attempts}).values_list("username", flat=True))
    for a in attempts:
        a.account_label = a.username if a.username in accounts else chain.hashed_username(a.username or "")
    return render(
        request,
        "core/lockouts.html",
        {
            "page_title": "登录锁定",
            "attempts": attempts,
            "breadcrumbs": [("工作台", reverse("workflow:workbench")), ("登录锁定", "")],
        },
    )


@login_required
def signin_history(request):
    """One's own sign-ins, failed attempts on one's account and sign-outs (the latest 100)."""
    items = (
        visible(request.user, AuditEntry)
        .filter(actor_id=request.user.pk, action__in=chain.SIGNIN_ACTIONS)
        .order_by("-seq")
        .only("at", "action", "ip")[:100]
    )
    return render(
        request,
        "core/signin_history.html",
        {
            "page_title": "登录记录",
            "items": [(e, ACTIONS[e.action]) for e in items],
            "breadcrumbs": [("工作台", reverse("workflow:workbench")), ("登录记录", "")],
        },
    )
