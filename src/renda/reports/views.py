from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from renda.core.models import Congress
from renda.core.scoping import OVERSIGHT_ROLES, allowed, visible

from . import metrics
from . import summary as summary_module
from .metrics import Scope


def _reader(request):
    if not allowed(request.user, "report", Congress):
        raise PermissionDenied("只有人大机关工作人员和常委会组成人员可以查看统计。")


def scope_from(request) -> Scope:
    """The congress (one the user oversees: by default their highest), year and subtree
    flag of a report request."""
    from .dashboard import scope_from_query

    return scope_from_query(request.user, request.GET)


def figure_link(value) -> str:
    params = {"congress": value.scope.congress.pk, "year": value.scope.period.start.year}
    if value.scope.include_lower:
        params["lower"] = 1
    return reverse("reports:metric_detail", args=[value.metric.id]) + "?" + urlencode(params)


def _choices(request, scope):
    congresses = (
        visible(request.user, Congress)
        .filter(pk__in=request.user.actor.congresses(*OVERSIGHT_ROLES).values("pk"))
        .order_by("path")
    )
    years = metrics.record_years(scope.congress, scope.include_lower).choices(scope.period.start.year)
    return {"congresses": congresses, "years": years, "scope": scope}


@login_required
def summary(request):
    _reader(request)
    scope = scope_from(request)
    doc = summary_module.build(scope.congress, scope.period.start.year, include_lower=scope.include_lower)
    fmt = request.GET.get("format")
    if fmt in ("md", "docx", "pdf"):
        return download(doc, fmt)
    return render(
        request,
        "reports/summary.html",
        {
            "page_title": "工作综述",
            "html": summary_module.to_html(doc, link=figure_link),
            "doc": doc,
            "query": urlencode({"congress": scope.congress.pk, "year": scope.period.start.year}),
            **_choices(request, scope),
            "breadcrumbs": [("工作综述", "")],
        },
    )


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
    return render(
        request,
        "reports/metric_list.html",
        {
            "page_title": "指标定义",
            "values": values,
            **_choices(request, scope),
            "link": figure_link,
            "breadcrumbs": [("指标定义", "")],
        },
    )


@login_required
def metric_detail(request, metric_id):
    _reader(request)
    scope = scope_from(request)
    try:
        m = metrics.get(metric_id)
    except LookupError:
        raise Http404("未知的指标。") from None
    value = metrics.compute(m.id, scope)
    records, hidden = value.records_seen_by(request.user)
    page = Paginator(records.order_by("pk"), 50).get_page(request.GET.get("page")) if records is not None else None
    rows = [(str(r), m.url(r) if m.url else "") for r in page.object_list] if page else []
    return render(
        request,
        "reports/metric_detail.html",
        {
            "page_title": m.label,
            "metric": m,
            "value": value,
            "rows": rows,
            "page_obj": page,
            "hidden": hidden,
            "parts": [metrics.get(i) for i in m.ratio] if m.ratio else [],
            **_choices(request, scope),
            "breadcrumbs": [("指标定义", reverse("reports:metric_list")), (m.label, "")],
        },
    )


@login_required
def dashboard(request):
    """数据看板; ?screen=1: the meeting-room display (大屏). Tables are rendered here from the
    same numbers that the charts fetch from dashboard_data."""
    from . import dashboard as board

    _reader(request)
    scope = board.scope_from_query(request.user, request.GET)
    chosen = board.chosen_from_query(request.GET)
    params = {"congress": scope.congress.pk, "year": scope.period.start.year}
    if scope.include_lower:
        params["lower"] = 1
    query = urlencode(params) + "".join(f"&m={quote(i)}" for i in chosen)
    screen = request.GET.get("screen") == "1"  # the display leaves out the tables (and their cost)
    return render(
        request,
        "reports/dashboard.html",
        {
            "page_title": "数据看板",
            "data": board.data(scope, chosen, screen=screen),
            "screen": screen,
            "data_url": reverse("reports:dashboard_data") + "?" + query + ("&screen=1" if screen else ""),
            "query": query,
            "screen_url": "?" + query + "&screen=1",
            "normal_url": "?" + query,
            **_choices(request, scope),
            "breadcrumbs": [("数据看板", "")],
        },
    )


def dashboard_data(request):
    """The dashboard's numbers as JSON (computed from the registry on each request)."""
    from django.http import JsonResponse
    from django.utils.cache import add_never_cache_headers

    from . import dashboard as board

    if not request.user.is_authenticated:
        return JsonResponse({"detail": "未登录：请先登录。"}, status=401)
    try:
        scope = board.scope_from_query(request.user, request.GET)
    except PermissionDenied as exc:
        return JsonResponse({"detail": str(exc)}, status=403)
    except Http404:
        return JsonResponse({"detail": board.NOT_OVERSEEN}, status=404)
    response = JsonResponse(
        board.data(scope, board.chosen_from_query(request.GET), screen=request.GET.get("screen") == "1"),
        json_dumps_params={"ensure_ascii": False},
    )
    add_never_cache_headers(response)
    return response
