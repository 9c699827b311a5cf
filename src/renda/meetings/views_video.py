"""The video room of a sitting (meetings.video): the page hands one of the sitting's
participants the room, its pin and their token; the page's JS (meetings/video.js with the
vendored janus.js) joins Janus directly. Everyone else gets no token: 403 who reads the sitting,
404 who does not."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django_permissions_policy import PermissionsPolicyMiddleware

from renda.core.models import CommitteeMeeting
from renda.core.scoping import actor_of

from . import video


def _sitting(request, pk) -> tuple[CommitteeMeeting, str]:
    sitting = get_object_or_404(CommitteeMeeting.objects.select_related("term__congress"), pk=pk)
    role = video.participant(sitting, request.user)
    if not role:
        actor = actor_of(request.user)
        if not (actor.oversees(sitting.term.congress_id) or actor.manages(sitting.term.congress_id)):
            raise Http404  # as every other page of a sitting one may not read (views._sitting)
        raise PermissionDenied("只有本次会议的组成人员、工作人员和列席人员可以进入视频会议。")
    return sitting, role


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@login_required
def room(request, pk):
    sitting, role = _sitting(request, pk)
    admission, error = None, ""
    if video.enabled():
        try:
            admission = video.admit(sitting, request.user, role)
        except video.JanusError as exc:
            error = str(exc)
    crumbs = [("会议", reverse("meetings:index")), (sitting.label, reverse("meetings:sitting", args=[pk]))]
    response = render(
        request,
        "meetings/video.html",
        {
            "page_title": f"{sitting.label}·视频会议",
            "sitting": sitting,
            "enabled": video.enabled(),
            "admission": admission,
            "error": error,
            "breadcrumbs": crumbs + [("视频会议", "")],
        },
    )
    if admission:
        # this page alone may reach Janus and use the camera and the microphone
        response._csp_update = {"connect-src": [_origin(admission.server)]}
        policy = {**settings.PERMISSIONS_POLICY, "camera": ["self"], "microphone": ["self"]}
        response._permissions_policy_override = PermissionsPolicyMiddleware.compute_header_value(policy, "video")
    return response


@login_required
def joined(request, pk):
    """The page reports that the user joined the room: a member is recorded 视频参会."""
    sitting, _ = _sitting(request, pk)  # who may, before the method: 404/403 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        row = video.record_joined(sitting, request.user)
    except ValidationError as exc:
        return JsonResponse({"recorded": False, "error": "；".join(exc.messages)}, status=409)
    return JsonResponse({"recorded": row is not None, "status": row.get_status_display() if row else ""})
