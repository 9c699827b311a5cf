"""Pages of deputy suggestions for each role. Thin: scoping decides what is seen, the
case type what may be done, services and workflow.perform write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renda.core.forms import add_service_errors
from renda.core.http import throttled
from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.models import Deputy, HandlingUnit
from renda.core.offline import form_errors, is_queued, keep_offline, stored
from renda.core.scoping import actor_of, allowed, get_visible_or_404, visible
from renda.workflow import calendar
from renda.workflow.engine import perform

from . import effects, rules, services
from .cases import SUGGESTION
from .forms import DraftForm
from .models import CATEGORIES, Assignment, CoSigner, Evaluation, Reply, RoutingModelRecord, Suggestion

STATE_LABELS = [(s.key, s.label) for s in SUGGESTION.states]


def _state_choices(request):
    """Only the states the user may come across (a unit's staff: assigned ones)."""
    seen = set(rules.states_seen(actor_of(request.user)))
    return [(key, label) for key, label in STATE_LABELS if key in seen]


BADGE = {
    "concluded": "ok",
    "replied": "ok",
    "rejected": "",
    "reference": "",
    "merged": "",
    "assigned": "soon",
    "extension_requested": "soon",
    "returned": "bad",
    "draft": "",
    "cosigning": "soon",
}


def _deadline(s):
    if not getattr(s, "reply_due", None):
        return ""
    text, _ = calendar.describe_remaining(s.reply_due, timezone.localdate())
    return (s.reply_due, f"（{text}）")


def _deadline_badge(s):
    if not getattr(s, "reply_due", None):
        return ""
    return calendar.describe_remaining(s.reply_due, timezone.localdate())[1]


TABS = [
    ("全部", ""),
    ("我的建议", "mine=1"),
    ("待立案", "state=submitted"),
    ("待交办", "state=registered"),
    ("待签收", "state=assigned"),
    ("办理中", "state=handling"),
    ("待测评", "state=replied"),
    ("重点督办", "key=1"),
    ("已办结", "state=concluded"),
]


class SuggestionList(ListingView):
    """The list every role starts from; exported to Excel it is the ledger (台账)."""

    listing = Listing(
        model=Suggestion,
        title="代表建议",
        columns=[
            Column("编号", lambda s: s.number or "—", sort="sequence", key=True),
            Column("标题", lambda s: s.title, url=lambda s: reverse("suggestions:detail", args=[s.pk])),
            Column("领衔代表", lambda s: s.lead_deputy.person.name, sort="lead_deputy__person__name", key=True),
            Column("类别", lambda s: s.category, sort="category"),
            Column("主办单位", lambda s: s.lead_unit.short_name if s.lead_unit else "", key=True),
            Column("状态", lambda s: s.state_label, badge=lambda s: BADGE.get(s.state, "red")),
            Column("答复期限", _deadline, sort="reply_due", badge=None, key=True),
            Column("重点督办", lambda s: "重点" if s.key_supervision else "", key=True),
        ],
        search_fields=("title", "number", "lead_deputy__person__name", "content"),
        search_placeholder="搜索标题、编号、代表或内容",
        filters=[
            Filter("state", "状态", "state", _state_choices),
            Filter("category", "类别", "category", lambda r: CATEGORIES),
            year_filter(SUGGESTION.year_field),
        ],
        select_related=("lead_deputy__person", "lead_unit"),
        default_order=("-created_at", "-id"),
    )

    def get_queryset(self, request):
        qs = services.with_reply_due(super().get_queryset(request))
        actor = request.user.actor
        if request.GET.get("mine") == "1":
            qs = qs.filter(lead_deputy__in=actor.deputy_ids) | qs.filter(cosigners__deputy__in=actor.deputy_ids)
            qs = qs.distinct()
        if request.GET.get("key") == "1":
            qs = qs.filter(key_supervision=True)
        if request.GET.get("inbox") == "1":
            qs = qs.filter(
                assignments__unit__in=actor.unit_ids,
                assignments__active=True,
                state__in=SUGGESTION.states_tagged("with_unit"),
            ).distinct()
        return qs

    def actions(self, request):
        actions = []
        if request.user.actor.deputy_ids:
            actions.append(("提出建议", reverse("suggestions:create")))
        if allowed(request.user, "supervise", Suggestion):
            actions.append(("督办看板", reverse("suggestions:board")))
        if request.user.actor.unit_ids:
            actions.append(("本单位待办", "?inbox=1"))
        if allowed(request.user, "view_stats", Suggestion):
            actions.append(("办理统计", reverse("suggestions:unit_stats")))
        if allowed(request.user, "view", RoutingModelRecord):  # the routing model's log (views_routing.py)
            actions.append(("分类分办模型记录", reverse("suggestions:routing_log")))
        return actions


def _drafting(request, pk=None):
    """The draft being edited (or None) and the lead deputy writing: the serving deputy
    who may change it. Shared by the page and its writing-help endpoint."""
    draft = None
    if pk:
        draft = get_visible_or_404(request.user, Suggestion, pk=pk)
        if not allowed(request.user, "change", draft):
            raise PermissionDenied("只有领衔代表可以修改草稿。")
    deputies = list(
        Deputy.objects.filter(pk__in=request.user.actor.deputy_ids, status=Deputy.Status.SERVING).select_related(
            "term", "congress"
        )
    )
    if not deputies:
        raise PermissionDenied("只有在任的人大代表可以提出建议。")
    return draft, (draft.lead_deputy if draft else deputies[0])


@login_required
def create(request, pk=None):
    draft, lead = _drafting(request, pk)
    initial = {}
    if draft:
        initial = {
            "title": draft.title,
            "content": draft.content,
            "category": draft.category,
            "cosigners": "、".join(c.deputy.person.name for c in draft.cosigners.select_related("deputy__person")),
        }
    data = request.POST.copy() if request.method == "POST" else None
    form = DraftForm(data, initial=initial, new=draft is None)
    # a new draft sent from the deputy's offline queue: saved as a draft (submitting needs
    # the network: the checks, the co-signers), answered in JSON
    queued = draft is None and data is not None and is_queued(request)
    hints = {"problems": [], "similar": [], "category": None, "category_reason": ""}
    if data is not None:
        action = "save" if queued else data.get("action", "check")
        hints = services.writing_help(
            request.user, lead, data.get("title", ""), data.get("content", ""), exclude=draft.pk if draft else None
        )
        proposed = hints["category"][0] if hints["category"] else ""
        if proposed:  # before validating: the bound field copies its help text
            form.fields["category"].help_text = hints["category_reason"] + "，可以更改。"
        if (action == "check" or queued) and not data.get("category"):
            # checking saves nothing: show the proposal selected; a queued draft takes it
            # (the deputy can change it on the draft)
            data["category"] = proposed
        if form.is_valid():
            cosigners, unknown = services.find_cosigners(lead, form.cosigner_names())
            if unknown:
                form.add_error("cosigners", "以下姓名不是本届在任代表或有重名：" + "、".join(unknown))
            if action == "submit":
                # refused before anything is written: an incomplete submission leaves no draft
                for problem in effects.blocking_problems(form.cleaned_data["title"], form.cleaned_data["content"]):
                    form.add_error("content", problem)
        if not data.get("category"):
            data["category"] = proposed  # refused for want of a category: offer the proposal
        if not form.errors and action in ("save", "submit"):
            try:
                with transaction.atomic():
                    saved = services.save_draft(
                        request.user,
                        lead=lead,
                        title=form.cleaned_data["title"],
                        content=form.cleaned_data["content"],
                        category=form.cleaned_data["category"],
                        cosigners=cosigners,
                        draft=draft,
                        idempotency_key=form.cleaned_data.get("idempotency_key"),
                    )
                    # a resend of a submitted draft's key (提交 twice, the page posted again
                    # from history) finds it submitted: the same submission, not a second
                    if action == "submit" and saved.state == "draft":
                        perform(saved, "submit", request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if queued:
                    return stored(saved)
                if action == "save":
                    messages.success(request, "草稿已保存。")
                    return redirect("suggestions:edit", pk=saved.pk)
                messages.success(
                    request, "建议已提交。" + ("请提醒附议代表确认。" if saved.state == "cosigning" else "")
                )
                return redirect("suggestions:detail", pk=saved.pk)
    if queued:  # its errors, for the queue to show
        return form_errors(form)
    response = render(
        request,
        "suggestions/create.html",
        {
            "page_title": "提出建议",
            "offline": draft is None,
            "form": form,
            "problems": hints["problems"],
            "similar": hints["similar"],
            "draft": draft,
            "lead": lead,
            "assist_url": reverse("suggestions:assist_edit", args=[draft.pk])
            if draft
            else reverse("suggestions:assist"),
            "breadcrumbs": [("代表建议", reverse("suggestions:index")), ("提出建议", "")],
        },
    )
    # the empty form for a new draft works offline (the deputy's own: it names only them)
    return keep_offline(response) if draft is None and data is None else response


ASSIST_PER_HOUR = 600


@login_required
@require_POST  # a draft's text never goes into a URL (nor into access logs)
def assist(request, pk=None):
    """Writing help as JSON for the drafting page (fetched as the deputy types): the same
    problems, similar suggestions (only those the user may see) and proposed category as
    检查 shows. For whoever may write there; throttled per user."""
    draft, lead = _drafting(request, pk)
    if throttled(f"suggestions:assist:{request.user.pk}", ASSIST_PER_HOUR):
        return JsonResponse({"detail": f"检查过于频繁（每小时最多{ASSIST_PER_HOUR}次），请稍后再试。"}, status=429)
    title, content = request.POST.get("title", "")[:200], request.POST.get("content", "")[:50000]
    hints = services.writing_help(request.user, lead, title, content, exclude=draft.pk if draft else None)
    return JsonResponse(
        {
            "problems": hints["problems"],
            "similar": [
                {
                    "url": reverse("suggestions:detail", args=[s.pk]),
                    "number": s.number,
                    "title": s.title,
                    "state": s.state_label,
                    "score": round(score, 2),
                }
                for s, score in hints["similar"]
            ],
            "category": hints["category"][0] if hints["category"] else "",
            "category_reason": hints["category_reason"],
        }
    )


def quick_actions(user) -> list[tuple[str, str]]:
    """The deputy's shortcut on the workbench: one tap to write a suggestion."""
    if Deputy.objects.filter(pk__in=user.actor.deputy_ids, status=Deputy.Status.SERVING).exists():
        return [("提出建议", reverse("suggestions:create"))]
    return []


@login_required
def detail(request, pk):
    s = get_visible_or_404(request.user, Suggestion, pk=pk)
    s = (
        Suggestion.objects.select_related(
            "lead_deputy__person", "lead_deputy__delegation", "lead_unit", "session", "merged_into"
        )
        .prefetch_related(
            Prefetch("cosigners", queryset=CoSigner.objects.select_related("deputy__person")),
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("id")),
            Prefetch("replies", queryset=Reply.objects.select_related("unit")),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("round")),
        )
        .get(pk=s.pk)
    )
    actions = SUGGESTION.available(request.user, s)
    merged = visible(request.user, Suggestion).filter(merged_into=s).select_related("lead_deputy__person")
    main_replies = (
        s.merged_into.replies.select_related("unit")
        if s.merged_into_id and allowed(request.user, "view", s.merged_into)
        else []
    )
    return render(
        request,
        "suggestions/detail.html",
        {
            "page_title": s.title,
            "s": s,
            "actions": actions,
            "merged": merged,
            "main_replies": main_replies,
            "can_edit": allowed(request.user, "change", s),
            # its handling (opinions, evaluations, the timeline) is for those who follow it
            "follows": allowed(request.user, "view_process", s),
            "breadcrumbs": [("代表建议", reverse("suggestions:index")), (s.number or s.state_label, "")],
        },
    )


@login_required
def board(request):
    """督办看板: due soon, overdue, dissatisfied (re-handling), key suggestions."""
    if not allowed(request.user, "supervise", Suggestion):
        raise PermissionDenied("督办看板供人大机关和主任会议成员使用。")
    today = timezone.localdate()
    base = services.with_reply_due(visible(request.user, Suggestion)).select_related("lead_unit", "lead_deputy__person")
    active = base.filter(state__in=SUGGESTION.states_tagged("with_unit"))
    sections = [
        ("已逾期", active.filter(reply_due__lt=today).order_by("reply_due")),
        (
            "即将到期（15日内）",
            active.filter(reply_due__gte=today, reply_due__lte=today + timezone.timedelta(days=15)).order_by(
                "reply_due"
            ),
        ),
        ("不满意重新办理", base.filter(round__gt=1).exclude(state="concluded").order_by("-updated_at")),
        ("重点督办", base.filter(key_supervision=True).order_by("state", "-updated_at")),
        ("待测评", base.filter(state="replied").order_by("-updated_at")),
    ]
    return render(
        request,
        "suggestions/board.html",
        {
            "page_title": "督办看板",
            "sections": [(t, list(q[:50]), q.count()) for t, q in sections],
            "breadcrumbs": [("代表建议", reverse("suggestions:index")), ("督办看板", "")],
        },
    )


@login_required
def unit_stats(request):
    from renda.reports.dashboard import year_and_choices
    from renda.reports.metrics import Period, Scope

    from .metrics import unit_ranking

    if not allowed(request.user, "view_stats", Suggestion):
        raise PermissionDenied("办理统计供人大机关、常委会组成人员和承办单位查看。")
    congress = request.user.actor.home_congress
    year, years = timezone.localdate().year, []
    rows = []
    if congress:
        year, years = year_and_choices(congress, request.GET.get("year"))
        scope = Scope(congress, Period.year(year))
        # each unit's line to whoever may read its figures (a unit: its own line only)
        units = HandlingUnit.objects.filter(congress__in=scope.congresses)
        rows = unit_ranking(scope, units=[u.pk for u in units if allowed(request.user, "view_stats", u)])
    return render(
        request,
        "suggestions/unit_stats.html",
        {
            "page_title": "承办单位办理统计",
            "rows": rows,
            "year": year,
            "years": years,
            "breadcrumbs": [("代表建议", reverse("suggestions:index")), ("办理统计", "")],
        },
    )
