"""The hall: the chair's console (staff of the congress), the hall screen (大屏; whoever sees the
sitting: staff and members of its congress), their JSON status and event stream. Counts only:
a choice is never on these pages (a secret ballot's never, a named ballot's not while open).
Members vote on the ballots' own page (ballots:ballot). Thin: meetings.hall decides."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renda.core import live
from renda.workflow import registry
from renda.workflow.engine import WorkflowError

from . import hall
from .models import AgendaItem
from .views import _crumbs, _sitting


def _payload(sitting, user) -> dict:
    return hall.status(sitting, user).as_json()


def _open_form(item: AgendaItem):
    """The inputs the item's opening transition asks for (表决方式), prefixed per item."""
    transition = registry.get(item.case_type).transition(item.transition)
    form = transition.form_class()(prefix=f"i{item.pk}")
    for name in ("note", "files"):
        form.fields.pop(name, None)
    return form


@login_required
def console(request, pk):
    s = _sitting(request, pk, act=True)
    status = hall.status(s, request.user)
    rows = [(line, _open_form(line.item) if line.votable and line.state == "none" else None) for line in status.items]
    context = {
        "page_title": f"{s.label} · 表决控制台",
        "sitting": s,
        "status": status,
        "rows": rows,
        "breadcrumbs": _crumbs(s, "表决控制台"),
    }
    return render(request, "meetings/hall_console.html", context)


def _act(request, pk, item, what):
    s = _sitting(request, pk, act=True)  # who may, before the method: 404/403 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = get_object_or_404(AgendaItem.objects.select_related("sitting__term__congress"), pk=item, sitting=s)
    try:
        if what == "open":
            form = _open_form(row)
            data = {name: request.POST.get(f"i{row.pk}-{name}", "") for name in form.fields}
            hall.open_vote(row, request.user, data)
            messages.success(request, f"“{row.title}”已开始表决。")
        else:
            hall.close_vote(row, request.user)
            messages.success(request, f"“{row.title}”表决已结束。")
    except (ValidationError, WorkflowError, PermissionDenied) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text or "不能执行该操作。")
        response = redirect(reverse("meetings:console", args=[s.pk]))
        return response
    return redirect(reverse("meetings:console", args=[s.pk]))


@login_required
def open_vote(request, pk, item):
    return _act(request, pk, item, "open")


@login_required
def close_vote(request, pk, item):
    return _act(request, pk, item, "close")


@login_required
def screen(request, pk):
    s = _sitting(request, pk)
    status = hall.status(s, request.user)
    context = {"page_title": f"{s.label} · 大屏", "sitting": s, "status": status, "current": status.current}
    return render(request, "meetings/hall_screen.html", context)


@login_required
def live_json(request, pk):
    s = _sitting(request, pk)
    return JsonResponse(_payload(s, request.user), json_dumps_params={"ensure_ascii": False})


@login_required
def events(request, pk):
    """Server-sent events: the status (as live.json) now and whenever it changes, for at most
    RENDA_LIVE_STREAM_SECONDS (`?seconds=` may shorten it); then the stream ends and the
    browser's EventSource reconnects. Woken by core.live on each open, cast and close."""
    s = _sitting(request, pk)
    user = request.user
    limit = settings.RENDA_LIVE_STREAM_SECONDS
    try:
        seconds = max(0.0, min(float(request.GET.get("seconds", limit)), limit))
    except ValueError:
        seconds = limit

    def stream():
        end = time.monotonic() + seconds
        last = None
        yield "retry: 2000\n\n"
        while True:
            payload = _payload(s, user)
            text = json.dumps(payload, ensure_ascii=False)
            if text != last:
                last = text
                yield f"event: status\ndata: {text}\n\n"
            left = end - time.monotonic()
            if left <= 0:
                return
            ids = [b for i in payload["items"] for b in ([i["current"]["id"]] if i["current"] else [])]
            # a ballot opened elsewhere has a topic unknown here: wake every 2 s to look anyway
            if not live.listen([f"ballot:{b}" for b in ids], timeout=min(left, 2.0)):
                yield ": keep-alive\n\n"

    response = StreamingHttpResponse(stream(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
