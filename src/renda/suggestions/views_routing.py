"""The routing model's log for staff: each retraining's comparison (candidate vs model in use on
the held-back slice) and the latest corrections (routing_models.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from renda.core.models import HandlingUnit
from renda.core.scoping import allowed, visible

from .routing_models import RoutingCorrection, RoutingModelRecord

SHOWN = 50


@login_required
def routing_log(request):
    if not allowed(request.user, "view", RoutingModelRecord):
        raise PermissionDenied("分类分办模型记录供人大机关工作人员查看。")
    records = list(visible(request.user, RoutingModelRecord).select_related("congress")[:SHOWN])
    corrections_qs = visible(request.user, RoutingCorrection)
    corrections = list(corrections_qs.select_related("congress").order_by("-recorded_at", "-id")[:SHOWN])
    unit_ids = {int(v) for c in corrections if c.kind == "unit" for v in (c.proposed, c.corrected) if v.isdigit()}
    units = HandlingUnit.objects.in_bulk(unit_ids) if unit_ids else {}
    for c in corrections:
        if c.kind == "unit":
            c.proposed_label = units[int(c.proposed)].name if int(c.proposed) in units else c.proposed
            c.corrected_label = units[int(c.corrected)].name if int(c.corrected) in units else c.corrected
        else:
            c.proposed_label, c.corrected_label = c.proposed, c.corrected
    return render(
        request,
        "suggestions/routing_log.html",
        {
            "page_title": "分类分办模型记录",
            "records": records,
            "corrections": corrections,
            "corrections_total": corrections_qs.count(),
            "breadcrumbs": [("代表建议", reverse("suggestions:index")), ("分类分办模型记录", "")],
        },
    )
