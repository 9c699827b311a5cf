"""The legislative plan pages: plans (list, page with each project's progress, drafting, adding
a project, starting a formal project's bill), needs (the staff's list for appraisal, a need's
page, recording one at work), and the public pages (published plans, the need form). Thin:
plan_rules decide who sees and does what, the case types the steps (adopt, publish, adjust,
accept, refuse: the transition page), plan_services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from renda.core.forms import add_service_errors
from renda.core.intake import Intake
from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.scoping import PUBLIC, actor_of, allowed, get_visible_or_404, visible
from renda.core.services import root_congress

from . import plan_services
from .plan_cases import LEGISLATIVE_NEED, LEGISLATIVE_PLAN
from .plan_forms import ItemForm, NeedForm, PlanForm, PublicNeedForm
from .plan_models import LegislativeNeed, LegislativePlan, PlanItem
from .views import _form_page

PLAN_BADGE = {"draft": "soon", "adopted": "", "published": "ok"}
NEED_BADGE = {"received": "soon", "accepted": "ok", "refused": ""}


def plan_url(p) -> str:
    return reverse("legislation:plan", args=[p.pk])


def need_url(n) -> str:
    return reverse("legislation:need", args=[n.pk])


class PlanList(ListingView):
    """The plans a user sees: the oversight roles their congresses', everyone the published ones."""

    listing = Listing(
        model=LegislativePlan,
        title="立法规划和年度立法计划",
        columns=[
            Column("年度", lambda p: p.period_label, sort="year"),
            Column("名称", lambda p: p.title, url=plan_url),
            Column("类别", lambda p: p.get_kind_display(), key=True),
            Column("人大", lambda p: p.congress.short_name, key=True),
            Column("状态", lambda p: p.state_label, badge=lambda p: PLAN_BADGE.get(p.state, "")),
            Column("通过日期", lambda p: p.adopted_on or "", sort="adopted_on"),
            Column("公布日期", lambda p: p.published_on or "", sort="published_on"),
        ],
        search_fields=("title", "text"),
        search_placeholder="搜索计划名称或说明",
        filters=[Filter("kind", "类别", "kind", lambda r: LegislativePlan.Kind.choices)],
        select_related=("congress",),
        default_order=("-year", "-id"),
        breadcrumbs=[("地方立法", reverse_lazy("legislation:index"))],  # the listing adds its title
    )

    def actions(self, request):
        found = []
        if allowed(request.user, "add", LegislativePlan) and plan_services.plan_congresses(request.user).exists():
            found.append(("起草立法计划", reverse("legislation:plan_create")))
        if actor_of(request.user).has("admin", "staff", "director", "member", "unit"):
            found.append(("立法项目建议", reverse("legislation:needs")))
        return found


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    if not allowed(request.user, "add", LegislativePlan) or not plan_services.plan_congresses(request.user).exists():
        raise PermissionDenied("只有人大机关工作人员可以起草立法计划。")
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = plan_services.create_plan(
                request.user, d["congress"], d["year"], kind=d["kind"], title=d["title"], text=d["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "计划草稿已保存；列入项目后提请主任会议通过。")
            return redirect(plan_url(plan))
    plans = reverse("legislation:plans")
    return _form_page(request, form, "起草立法计划", plans, [("立法计划", plans), ("起草", "")])


def _progress(items) -> dict:
    formal = [i for i in items if i.category == PlanItem.Category.FORMAL]
    started = [i for i in formal if i.bill is not None]
    return {
        "total": len(items),
        "formal": len(formal),
        "started": len(started),
        "promulgated": sum(1 for i in started if i.bill.state == "promulgated"),
    }


@login_required
def plan(request, pk):
    found = get_visible_or_404(request.user, LegislativePlan, pk=pk)
    found = LegislativePlan.objects.select_related("congress", "adopted_at__term__congress").get(pk=found.pk)
    items = plan_services.plan_items(found, request.user)
    return render(
        request,
        "legislation/plan/plan.html",
        {
            "page_title": found.title,
            "plan": found,
            "items": items,
            "progress": _progress(items),
            "actions": LEGISLATIVE_PLAN.available(request.user, found),
            "can_add": allowed(request.user, "add_item", found),
            "badge": PLAN_BADGE.get(found.state, ""),
            "breadcrumbs": [("立法计划", reverse("legislation:plans")), (found.period_label, "")],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_add_item(request, pk):
    found = get_visible_or_404(request.user, LegislativePlan, pk=pk)
    if not allowed(request.user, "add_item", found):
        raise PermissionDenied("只有人大机关工作人员可以为立法计划增加项目。")
    form = ItemForm(request.POST or None, plan=found)
    if request.method == "POST" and form.is_valid():
        try:
            item = plan_services.add_item(request.user, found, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            found.refresh_from_db()
        else:
            messages.success(request, f"已将“{item.title}”列入计划。")
            return redirect(plan_url(found))
    crumbs = [("立法计划", reverse("legislation:plans")), (found.period_label, plan_url(found)), ("增加项目", "")]
    return _form_page(request, form, "增加立法项目", plan_url(found), crumbs)


@login_required
@require_POST
def item_start_bill(request, pk):
    item = get_visible_or_404(request.user, PlanItem, pk=pk)
    if not allowed(request.user, "start_bill", item):
        raise PermissionDenied("只有人大机关工作人员可以启动法规案起草。")
    try:
        bill = plan_services.start_bill(item, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(plan_url(item.plan))
    messages.success(request, f"已启动《{bill.title}》的起草，法规案已关联本项目。")
    return redirect("legislation:bill", pk=bill.pk)


# ---------------------------------------------------------------- needs


class NeedList(ListingView):
    """立法项目建议 to appraise: the oversight roles their congresses', a department its own."""

    listing = Listing(
        model=LegislativeNeed,
        title="立法项目建议",
        columns=[
            Column("建议的法规", lambda n: n.title, url=need_url),
            Column("来源", lambda n: n.get_source_display(), key=True),
            Column("提出", lambda n: n.unit.name if n.unit_id else (n.body.name if n.body_id else "")),
            Column("立法事项范围", lambda n: n.get_area_display(), key=True),
            Column("状态", lambda n: n.state_label, badge=lambda n: NEED_BADGE.get(n.state, "")),
            Column("提出日期", lambda n: n.submitted_on, sort="submitted_on"),
        ],
        search_fields=("title", "reason"),
        search_placeholder="搜索法规名称或理由",
        filters=[
            Filter("state", "状态", "state", lambda r: [(s.key, s.label) for s in LEGISLATIVE_NEED.states]),
            Filter("source", "来源", "source", lambda r: LegislativeNeed.Source.choices),
            year_filter(LEGISLATIVE_NEED.year_field),
        ],
        select_related=("unit", "body"),
        default_order=("-submitted_on", "-id"),
        breadcrumbs=[("地方立法", reverse_lazy("legislation:index")), ("立法计划", reverse_lazy("legislation:plans"))],
    )

    def actions(self, request):
        if allowed(request.user, "add", LegislativeNeed):
            return [("登记立法项目建议", reverse("legislation:need_create"))]
        return []


@login_required
def need(request, pk):
    found = get_visible_or_404(request.user, LegislativeNeed, pk=pk)
    found = LegislativeNeed.objects.select_related("congress", "unit", "body").get(pk=found.pk)
    items = list(found.items.select_related("plan"))
    return render(
        request,
        "legislation/plan/need.html",
        {
            "page_title": found.title,
            "need": found,
            "items": items,
            "actions": LEGISLATIVE_NEED.available(request.user, found),
            "show_contact": allowed(request.user, "view_contact", found),
            "badge": NEED_BADGE.get(found.state, ""),
            "breadcrumbs": [("立法项目建议", reverse("legislation:needs")), (found.title, "")],
        },
    )


def _need_congress(user):
    """Where the user records a need: the congress they keep, else their department's."""
    actor = actor_of(user)
    kept = plan_services.plan_congresses(user).first()
    if kept is not None:
        return kept
    from renda.core.models import HandlingUnit

    unit = HandlingUnit.objects.filter(pk__in=actor.unit_ids).select_related("congress").first()
    return unit.congress if unit else None


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request):
    congress = _need_congress(request.user) if allowed(request.user, "add", LegislativeNeed) else None
    if congress is None:
        raise PermissionDenied("只有人大机关工作人员和政府部门可以登记立法项目建议。")
    form = NeedForm(request.POST or None, user=request.user, congress=congress)
    if request.method == "POST" and form.is_valid():
        try:
            created = plan_services.record_need(request.user, congress, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, "立法项目建议已登记，待立项论证。")
            return redirect(need_url(created))
    needs = reverse("legislation:needs")
    return _form_page(request, form, "登记立法项目建议", needs, [("立法项目建议", needs), ("登记", "")])


# ---------------------------------------------------------------- public pages

NEEDS_PER_HOUR = 5  # from one address: enough for a person, not for a flood
NEEDS = Intake("legislation.needs", per_hour=NEEDS_PER_HOUR)


def public_plans(request):
    plans = (
        visible(PUBLIC, LegislativePlan)
        .select_related("congress")
        .annotate(n_items=Count("items"))
        .order_by("-year", "-id")[:100]
    )
    return render(request, "legislation/plan/public_plans.html", {"plans": plans})


def public_plan(request, pk):
    found = get_object_or_404(visible(PUBLIC, LegislativePlan).select_related("congress"), pk=pk)
    items = plan_services.plan_items(found, PUBLIC)
    return render(
        request, "legislation/plan/public_plan.html", {"plan": found, "items": items, "progress": _progress(items)}
    )


@require_http_methods(["GET", "POST"])
def public_need(request):
    congress = root_congress()
    if congress is None:
        raise Http404("本站尚未设置人大常委会，暂不接收立法项目建议。")
    return NEEDS.submit(
        request,
        PublicNeedForm(request.POST or None),
        lambda data: plan_services.submit_need(congress, data),
        template="legislation/plan/public_need.html",
        context={"congress": congress},
        received=reverse("legislation_public:need_received"),
        robot=reverse("legislation_public:plans"),
    )


def public_need_received(request):
    receipt = NEEDS.receipt(request)
    if not receipt:
        return redirect("legislation_public:need_new")
    return render(request, "legislation/plan/public_need_received.html", {"receipt": receipt})


def public_need_status(request):
    """The proposer follows a need by its receipt and the contact's last four: the appraisal's
    outcome — the plan it went into, or the reason it was refused."""
    form, found, code = NEEDS.lookup(request, LegislativeNeed.objects.filter(source=LegislativeNeed.Source.PUBLIC))
    context = {"form": form, "n": found}
    if found is not None:
        # the plan it went into is told only once the public may see that plan (published)
        context["items"] = list(found.items.filter(plan__in=visible(PUBLIC, LegislativePlan)).select_related("plan"))
        context["refusal"] = found.events().filter(transition="refuse").values_list("note", flat=True).first()
    return render(request, "legislation/plan/public_need_status.html", context, status=code)
