"""Personal data: one value in full on request (audited), and erasing a submitter's contact."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from .. import personal
from ..scoping import get_visible_or_404, require


def _record(request, label: str, pk: int):
    model = personal.model_of(label)
    if model is None:
        raise Http404("没有这类记录。")
    return get_visible_or_404(request.user, model, pk=pk)


@never_cache
@login_required
def reveal(request, label, pk, field):
    """POST: the full value of one personal field of one record (JSON for renda.js, else a
    small page). The record is looked up and the permission checked before the method, so
    that whoever may not see the value learns nothing from a GET either."""
    obj = _record(request, label, pk)
    if personal.field_of(type(obj), field) is None:
        raise Http404("没有这项信息。")
    require(request.user, "view_contact", obj)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    value = personal.reveal(request.user, obj, field)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"field": field, "value": value})
    label_text = type(obj)._meta.get_field(field).verbose_name
    return render(
        request,
        "core/personal_value.html",
        {
            "page_title": f"{label_text}（完整）",
            "obj": obj,
            "label": label_text,
            "value": value or "（空）",
            "back": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else request.META.get("HTTP_REFERER"),
        },
    )


@login_required
def erase(request, label, pk):
    """POST: erase a public submission's contact on the submitter's request, with a reason."""
    obj = _record(request, label, pk)
    if not hasattr(obj, "erasable_fields"):
        raise Http404("这类记录没有可删除的联系方式。")
    require(request.user, "erase_contact", obj)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        done = personal.erase(request.user, obj, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if done:
            messages.success(request, "已删除建议人的联系方式，案件其余内容保留。")
        else:
            messages.info(request, "该联系方式此前已删除。")
    return redirect(obj.get_absolute_url())
