from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from urllib.parse import quote, urlencode

from renda.core.models import Congress
from renda.core.scoping import OVERSIGHT_ROLES, visible
from renda.core.services import root_congress

from . import metrics, summary as summary_module
from .metrics import Period, Scope


def _reader(request):
    if not request.user.actor.has(*OVERSIGHT_ROLES):
        raise PermissionDenied("只有人大机关工作人员和常委会组成人员可以查看统计。")


def scope_from(request) -> Scope:
    """The congress (one the user oversees), year and subtree flag of a report request."""
    actor = request.user.actor
    congresses = actor.congresses(*OVERSIGHT_ROLES)
    congress = None
    if request.GET.get("congress"):
        try:
            congress = congresses.filter(pk=int(request.GET["congress"])).first()
        except ValueError:
            congress = None
        if congress is None:
            raise Http404("未找到该人大，或您无权查看其统计。")
    congress = congress or actor.home_congress or root_congress()
    if congress is None:
        raise Http404("尚未设立人大。")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1949), 2100)
    return Scope(congress, Period.year(year), include_lower=request.GET.get("lower") == "1")


def figure_link(value) -> str:
    params = {"congress": value.scope.congress.pk, "year": value.scope.period.start.year}
    if value.scope.include_lower:
        params["lower"] = 1
    return reverse("reports:metric_detail", args=[value.metric.id]) + "?" + urlencode(params)


def _choices(request, scope):
    congresses = visible(request.user, Congress).filter(
        pk__in=request.user.actor.congresses(*OVERSIGHT_ROLES).values("pk")).order_by("path")
    this = timezone.localdate().year
    return {"congresses": congresses, "years": list(range(this, this - 8, -1)), "scope": scope}


@login_required
def summary(request):
    _reader(request)
    scope = scope_from(request)
    doc = summary_module.build(scope.congress, scope.period.start.year, include_lower=scope.include_lower)
    fmt = request.GET.get("format")
    if fmt in ("md", "docx", "pdf"):
        return download(doc, fmt)
    return render(request, "reports/summary.html", {
        "page_title": "工作综述", "html": summary_module.to_html(doc, link=figure_link), "doc": doc,
        "query": urlencode({"congress": scope.congress.pk, "year": scope.period.start.year}),
        **_choices(request, scope), "breadcrumbs": [("工作综述", "")],
    })


def render_bytes(doc, fmt: str) -> tuple[bytes, str]:
    if fmt == "md":
        return summary_module.to_markdown(doc).encode(), "text/markdown; charset=utf-8"
    if fmt == "html":
        from .documents import standalone_html

        return standalone_html(doc).encode(), "text/html; charset=utf-8"
    if fmt == "docx":
        from .documents import to_docx

        return to_docx(doc), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if fmt == "pdf":
        from .documents import to_pdf

        return to_pdf(doc), "application/pdf"
    raise ValueError(fmt)


def download(doc, fmt):
    data, content_type = render_bytes(doc, fmt)
    response = HttpResponse(data, content_type=content_type)
    name = f"{doc.title}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename=summary.{fmt}; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def metric_list(request):
    _reader(request)
    scope = scope_from(request)
    values = [metrics.compute(m.id, scope) for m in metrics.all_metrics()]
    return render(request, "reports/metric_list.html", {
        "page_title": "指标定义", "values": values, **_choices(request, scope),
        "link": figure_link, "breadcrumbs": [("指标定义", "")],
    })


@login_required
def metric_detail(request, metric_id):
    _reader(request)
    scope = scope_from(request)
    try:
        m = metrics.get(metric_id)
    except LookupError:
        raise Http404("未知的指标。") from None
    value = metrics.compute(m.id, scope)
    records = value.records()
    page = Paginator(records.order_by("pk"), 50).get_page(request.GET.get("page")) if records is not None else None
    rows = [(str(r), m.url(r) if m.url else "") for r in page.object_list] if page else []
    return render(request, "reports/metric_detail.html", {
        "page_title": m.label, "metric": m, "value": value, "rows": rows, "page_obj": page,
        "parts": [metrics.get(i) for i in m.ratio] if m.ratio else [], **_choices(request, scope),
        "breadcrumbs": [("指标定义", reverse("reports:metric_list")), (m.label, "")],
    })


@login_required
def dashboard(request):
    _reader(request)
    scope = scope_from(request)
    return render(request, "reports/dashboard.html", {"page_title": "数据看板", **_choices(request, scope),
                                                      "breadcrumbs": [("数据看板", "")]})
