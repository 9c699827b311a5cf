"""The public supervision pages (SUP-1, SUP-4: the plan and the results of supervision are
made public): each year's published plan with the progress of its items, and the published
items with their reports, the deliberation opinions, the organ's response (研究处理情况) and
the satisfaction results. What an anonymous visitor sees (`visible(PUBLIC, …)`), whoever asks.

A published plan's entries (title, kind, organ, sitting, state) are the plan's own content and
appear on its page; an item's page, its documents and its results only once the item itself is
published. An item outside a published plan and not published appears nowhere."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from renda.ballots import services as ballots
from renda.ballots.models import Ballot
from renda.core.scoping import PUBLIC, visible
from renda.reports.dashboard import asked_year

from . import services
from .models import Inquiry, InquiryQuestion, Interpellation, Investigation, LawInspection, SupervisionPlan, WorkReport

# the kinds as they appear in URLs (the case type keys) and on the pages, in the plan's order
KINDS = {m.case_type_key: m for m in (WorkReport, LawInspection, Investigation, Inquiry, Interpellation)}
PER_KIND = 200  # a year's published items of a kind are tens: the page lists them all


def public_url(item) -> str:
    return reverse("supervision_public:item", args=[item.case_type_key, item.pk])


def _kind_label(item) -> str:
    if isinstance(item, Investigation | WorkReport) and item.kind != "special":
        return item.get_kind_display()
    return item.case_type.label


def _published_plans():
    return visible(PUBLIC, SupervisionPlan).select_related("congress").order_by("-year", "-id")


def _published(model):
    return visible(PUBLIC, model).select_related("body", "organ", "sitting__term__congress")


def index(request):
    """监督工作: the published plans, year by year, and how many results are published of each kind
    (one query for the plans, one per kind)."""
    counts = [(model._meta.verbose_name, key, _published(model).count()) for key, model in KINDS.items()]
    return render(
        request,
        "supervision/public/index.html",
        {"plans": _published_plans(), "counts": [c for c in counts if c[2]]},
    )


def plan(request, pk):
    p = _published_plans().filter(pk=pk).first()
    if p is None:
        raise Http404("未找到该监督工作计划，或该计划尚未公布。")
    items = services.plan_items(p)  # the plan's entries: published with the plan
    rows = [
        {"item": i, "kind": _kind_label(i), "url": public_url(i) if i.published_on else ""}
        for i in items
        if i.state != "withdrawn"
    ]
    withdrawn = [i for i in items if i.state == "withdrawn"]
    return render(
        request,
        "supervision/public/plan.html",
        {"plan": p, "rows": rows, "withdrawn": withdrawn, "progress": services.plan_progress(items)},
    )


def items(request):
    """The published results, newest first, by kind and year (one query per kind, and one per
    kind for its years)."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    year = asked_year(request.GET.get("year"))  # None when unreadable or out of range: all years
    years = set()
    rows = []
    for key, model in KINDS.items():
        qs = _published(model)
        years.update(d.year for d in qs.dates("published_on", "year"))
        if kind and key != kind:
            continue
        if year is not None:
            qs = qs.filter(published_on__year=year)
        rows.extend({"item": i, "kind": _kind_label(i), "url": public_url(i)} for i in qs[:PER_KIND])
    rows.sort(key=lambda r: (r["item"].published_on, r["item"].pk), reverse=True)
    return render(
        request,
        "supervision/public/items.html",
        {
            "rows": rows,
            "kinds": [(key, model._meta.verbose_name) for key, model in KINDS.items()],
            "kind": kind,
            "years": sorted(years, reverse=True),
            "year": str(year) if year in years else "",  # compared with each year as text
        },
    )


def item(request, kind, pk):
    model = KINDS.get(kind)
    obj = _published(model).filter(pk=pk).first() if model else None
    if obj is None:
        raise Http404("未找到该监督事项，或该事项尚未公开。")
    results = [
        {"ballot": b, "result": ballots.tally(b)}
        for b in visible(PUBLIC, Ballot)
        .filter(content_type=ContentType.objects.get_for_model(model), object_id=obj.pk, state=Ballot.State.CLOSED)
        .order_by("closed_at", "id")
    ]
    questions = visible(PUBLIC, InquiryQuestion).filter(inquiry=obj).select_related("asker") if model is Inquiry else []
    plan_ = _published_plans().filter(pk=obj.plan_id).first() if obj.plan_id else None
    return render(
        request,
        "supervision/public/item.html",
        {"item": obj, "kind": _kind_label(obj), "results": results, "questions": questions, "plan": plan_},
    )
