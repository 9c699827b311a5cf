"""Pages of the problem ledger: the ledger (for a unit: what it owes and by when), one
problem, one problem list. Thin: scoping decides what is seen, the case type what may be
done (the generic transition page performs it)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.db.models import CharField as CharFieldType
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renda.core.forms import add_service_errors
from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.models import Body, HandlingUnit
from renda.core.scoping import OVERSIGHT_ROLES, actor_of, get_record_or_404, get_visible_or_404, require, visible
from renda.workflow import registry
from renda.workflow.models import Case as WorkflowCase  # Case is the SQL expression here
from renda.workflow.models import Event

from . import services
from .cases import PROBLEM
from .forms import OpenProblemForm
from .models import ProblemItem, ProblemList

STATE_LABELS = [(s.key, s.label) for s in PROBLEM.states if s.key != "new"]
DONE = PROBLEM.states_tagged("done")
BADGE = {"listed": "soon", "rectifying": "soon", "closure_requested": "red", "closed": "ok", "rechecked": "ok"}
TIMING = [("overdue", "已逾期"), ("due_soon", "即将到期"), ("running", "未到期"), ("done", "已销号")]
TIMING_BADGE = {"overdue": "overdue", "due_soon": "soon", "running": "ok", "done": ""}


def with_ledger_fields(qs, today: date | None = None):
    """Each item's timing (overdue, due soon, running, done) and its latest progress report,
    as annotations: one query for any number of items."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=settings.RENDA_REMINDER_DAYS)
    reports = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(ProblemItem),
        object_id=OuterRef("pk"),
        transition="report_progress",
    ).order_by("-sequence")
    return qs.annotate(
        timing=Case(
            When(state__in=DONE, then=Value("done")),
            When(due_on__lt=today, then=Value("overdue")),
            When(due_on__lte=soon, then=Value("due_soon")),
            default=Value("running"),
            output_field=CharFieldType(),
        ),
        done_rank=Case(When(state__in=DONE, then=Value(1)), default=Value(0), output_field=IntegerField()),
        last_report_at=Subquery(reports.values("at")[:1]),
        last_report_note=Subquery(reports.values("note")[:1]),
    )


def _source_kinds(request):
    """The kinds of source the user's lists have (one query), named as their case types."""
    labels = {ct.model: ct.label for ct in registry.case_types()}
    ids = visible(request.user, ProblemList).order_by().values_list("source_type", flat=True).distinct()
    choices = []
    for type_id in ids:
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            choices.append((type_id, labels.get(model, model._meta.verbose_name)))
    return sorted(choices, key=lambda c: c[1])


def _units(request):
    items = visible(request.user, ProblemItem).values("unit")
    return list(HandlingUnit.objects.filter(pk__in=items).values_list("pk", "name"))


def _bodies(request):
    items = visible(request.user, ProblemItem).values("body")
    return list(Body.objects.filter(pk__in=items).values_list("pk", "name"))


def timing_of(item, today: date | None = None) -> str:
    """The `timing` annotation of one loaded item (the same rule, in Python)."""
    today = today or timezone.localdate()
    if item.state in DONE:
        return "done"
    if item.due_on < today:
        return "overdue"
    return "due_soon" if item.due_on <= today + timedelta(days=settings.RENDA_REMINDER_DAYS) else "running"


def remaining(item) -> str:
    """How long is left (calendar days, as the list shows it), or how late it is."""
    if item.state in DONE:
        return ""
    days = (item.due_on - timezone.localdate()).days
    if days < 0:
        return f"逾期{-days}天"
    return "今日到期" if days == 0 else f"剩余{days}天"


def _due(item):
    if item.state in DONE:
        return (item.due_on, "（", item.closed_on, "销号）") if item.closed_on else item.due_on
    return (item.due_on, f"（{remaining(item)}）")


def _progress(item):
    if not item.last_report_at:
        return "—"
    return (timezone.localdate(item.last_report_at), "：", item.last_report_note[:40])


COLUMNS = [
    Column("编号", lambda i: i.number or "—", sort="sequence"),
    Column("问题", lambda i: i.title, url=lambda i: reverse("problems:detail", args=[i.pk])),
    Column("责任单位", lambda i: i.unit.name, key=True),
    Column("整改期限", _due, sort="due_on", badge=lambda i: TIMING_BADGE[i.timing]),
    Column("状态", lambda i: i.state_label, badge=lambda i: BADGE.get(i.state, "")),
    Column("最近进展", _progress),
    Column("问题清单", lambda i: i.problem_list.title, url=lambda i: i.problem_list.get_absolute_url()),
    Column("负责督办的机构", lambda i: i.body.name),
    Column("列入日期", lambda i: i.listed_on, sort="listed_on"),
]
FILTERS = [
    Filter("state", "状态", "state", lambda r: STATE_LABELS),
    Filter("timing", "期限", "timing", lambda r: TIMING),
    Filter("unit", "责任单位", "unit", _units),
    Filter("body", "负责督办的机构", "body", _bodies),
    Filter("source", "来源", "problem_list__source_type", _source_kinds),
    year_filter(PROBLEM.year_field),
]
SELECT = ("unit", "body", "problem_list")
SEARCH = ("title", "number", "measures", "unit__name", "problem_list__title")

LEDGER = Listing(
    model=ProblemItem,
    title="问题清单台账",
    columns=COLUMNS,
    search_fields=SEARCH,
    search_placeholder="搜索问题、编号、整改措施或责任单位",
    filters=FILTERS,
    select_related=SELECT,
    default_order=("-listed_on", "-id"),
)
# a unit's ledger: what it owes and by when, the open items first, earliest deadline first
UNIT_LEDGER = Listing(
    model=ProblemItem,
    title="本单位整改事项",
    columns=COLUMNS,
    search_fields=SEARCH,
    search_placeholder="搜索问题、编号或整改措施",
    filters=[f for f in FILTERS if f.param != "unit"],
    select_related=SELECT,
    default_order=("done_rank", "due_on", "id"),
)


def _unit_only(user) -> bool:
    actor = actor_of(user)
    return bool(actor.unit_ids) and not actor.has(*OVERSIGHT_ROLES)


class Ledger(ListingView):
    """问题清单台账: every problem the user sees, whatever module opened it."""

    require_model_view = True  # an internal ledger: refused, not empty, to deputies and the public

    def dispatch(self, request, *args, **kwargs):
        self.listing = UNIT_LEDGER if request.user.is_authenticated and _unit_only(request.user) else LEDGER
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self, request):
        return with_ledger_fields(super().get_queryset(request))


@login_required
def detail(request, pk):
    get_visible_or_404(request.user, ProblemItem, pk=pk)
    item = ProblemItem.objects.select_related("unit", "body", "problem_list", "congress").get(pk=pk)
    return render(
        request,
        "problems/detail.html",
        {
            "page_title": item.title,
            "item": item,
            "state_badge": BADGE.get(item.state, ""),
            "remaining": remaining(item),
            "due_badge": TIMING_BADGE[timing_of(item)],
            "actions": PROBLEM.available(request.user, item),
            "breadcrumbs": [
                ("问题清单台账", reverse("problems:index")),
                (item.problem_list.title[:30], item.problem_list.get_absolute_url()),
                (item.number or item.title[:20], ""),
            ],
        },
    )


@login_required
def problem_list(request, pk):
    """One problem list: where it comes from and its items with their progress (100 a page)."""
    from django.core.paginator import Paginator
    from django.db.models import Count, Q

    plist = get_visible_or_404(request.user, ProblemList, pk=pk)
    plist = ProblemList.objects.select_related("body", "congress").get(pk=plist.pk)
    items = with_ledger_fields(visible(request.user, ProblemItem).filter(problem_list=plist))
    totals = items.aggregate(
        all=Count("pk"), done=Count("pk", filter=Q(timing="done")), overdue=Count("pk", filter=Q(timing="overdue"))
    )
    page = Paginator(items.select_related("unit").order_by("sequence", "id"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "problems/list.html",
        {
            "page_title": plist.title,
            "plist": plist,
            "items": [(i, remaining(i), TIMING_BADGE[i.timing], BADGE.get(i.state, "")) for i in page.object_list],
            "page_obj": page,
            "totals": totals,
            "breadcrumbs": [("问题清单台账", reverse("problems:index")), (plist.title[:30], "")],
        },
    )


def may_open(user, source) -> bool:
    """Whether `user` may put problems of `source` on the ledger (its congress's keepers)."""
    return services.may_open(source, user)


@login_required
def open_for(request, label, pk):
    """列入问题清单: a problem of any case, from that case's page (services.open_problem)."""
    require(request.user, "add", ProblemItem)
    source = get_record_or_404(request.user, label, pk)
    if not isinstance(
        source, WorkflowCase
    ):  # a list is linked to its source case (源于): a training or an expert is none
        raise Http404("只有案件中发现的问题可以列入问题清单。")
    if not may_open(request.user, source):
        raise PermissionDenied("只有本级人大机关工作人员可以列入问题清单。")
    back = source.get_absolute_url()
    form = OpenProblemForm(request.POST or None, congress_id=source.congress_id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.open_problem(
                source, request.user, title=d["title"], unit=d["unit"], due_on=d["due_on"], measures=d["measures"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已列入问题清单：{item.number} {item.title}")
            return redirect(back)
    title = "列入问题清单"
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "page_title": f"{title}：{source}",
            "cancel_url": back,
            "breadcrumbs": [(str(source), back), (title, "")],
        },
    )
