"""Video conferencing of a sitting through the Janus WebRTC gateway (issue 14 item 5).

Renda does not carry media: Janus (Debian package `janus`, VideoRoom plugin) does, next to
Renda on the closed network. Renda speaks Janus's HTTP API from the server side only:

    JanusClient(url)                          session + handle on janus.plugin.videoroom
    ensure_room(sitting) -> Room              the sitting's room, created when missing
    admit(sitting, user) -> Admission | None  a token for one of the sitting's participants
    close_room(sitting)                       destroy the room
    participant(sitting, user)                member on the roll, staff of the congress, 列席
    record_joined(sitting, user)              视频参会: Attendance present, remote

The room is private (`is_private`), created with a `secret` only Renda knows (HMAC of
SECRET_KEY: only Renda can change or destroy it), a `pin` and an `allowed` token list: a
browser joins only with the pin and a token Renda added for that participant. With
RENDA_JANUS_ADMIN_KEY (the plugin's `admin_key`) only Renda can create rooms at all.
RENDA_JANUS_URL empty (the embedded default) = video disabled."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.core import clock
from renda.core.models import CommitteeMeeting, CommitteeMember, Role
from renda.core.scoping import actor_of

from . import services
from .models import Attendance

PLUGIN = "janus.plugin.videoroom"


class JanusError(Exception):
    """Janus refused a request or could not be reached (message in Chinese for the page)."""


def enabled() -> bool:
    return bool(settings.RENDA_JANUS_URL)


def public_url() -> str:
    return settings.RENDA_JANUS_PUBLIC_URL or settings.RENDA_JANUS_URL


class JanusClient:
    """One Janus session with one VideoRoom handle, over the HTTP API (stdlib urllib: Renda
    needs no HTTP client library for a few synchronous requests)."""

    def __init__(self, url: str, timeout: float = 5.0):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = self.handle = None

    def _post(self, path: str, body: dict) -> dict:
        body = {**body, "transaction": secrets.token_hex(6)}
        req = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                reply = json.load(r)
        except (OSError, ValueError) as exc:
            raise JanusError(f"无法连接视频会议服务（{exc}）。") from exc
        if reply.get("janus") == "error":
            raise JanusError(f"视频会议服务拒绝请求：{reply['error'].get('reason')}")
        return reply

    def __enter__(self) -> JanusClient:
        self.session = self._post("", {"janus": "create"})["data"]["id"]
        self.handle = self._post(f"/{self.session}", {"janus": "attach", "plugin": PLUGIN})["data"]["id"]
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._post(f"/{self.session}", {"janus": "destroy"})
        except JanusError:
            pass  # the session times out on its own

    def request(self, body: dict) -> dict:
        """A synchronous VideoRoom request (create, exists, allowed, destroy, listparticipants…)."""
        if settings.RENDA_JANUS_ADMIN_KEY:
            body = {"admin_key": settings.RENDA_JANUS_ADMIN_KEY, **body}
        reply = self._post(f"/{self.session}/{self.handle}", {"janus": "message", "body": body})
        data = reply.get("plugindata", {}).get("data", {})
        if "error_code" in data:
            raise JanusError(f"视频会议服务拒绝请求：{data.get('error')}")
        return data


def _derive(*parts) -> str:
    msg = ":".join(str(p) for p in ("renda-video", *parts)).encode()
    return hmac.new(settings.SECRET_KEY.encode(), msg, hashlib.sha256).hexdigest()[:32]


@dataclass
class Room:
    id: int
    pin: str
    secret: str


def room_of(sitting: CommitteeMeeting) -> Room:
    """The sitting's room: id from the sitting's id (RENDA_JANUS_ROOM_BASE + pk: one Janus may
    serve several Renda instances with distinct bases), pin and secret derived from SECRET_KEY
    so that they survive restarts of either side without being stored."""
    return Room(
        id=settings.RENDA_JANUS_ROOM_BASE + sitting.pk,
        pin=_derive("pin", sitting.pk)[:12],
        secret=_derive("secret", sitting.pk),
    )


def token_of(sitting: CommitteeMeeting, user) -> str:
    return _derive("token", sitting.pk, user.pk)


def ensure_room(client: JanusClient, sitting: CommitteeMeeting) -> Room:
    room = room_of(sitting)
    if not client.request({"request": "exists", "room": room.id}).get("exists"):
        client.request(
            {
                "request": "create",
                "room": room.id,
                "description": sitting.label[:100],
                "secret": room.secret,
                "pin": room.pin,
                "is_private": True,
                "allowed": [],
                "publishers": settings.RENDA_JANUS_PUBLISHERS,
                "bitrate": 512_000,
                "permanent": False,
            }
        )
    return room


def close_room(sitting: CommitteeMeeting) -> None:
    room = room_of(sitting)
    with JanusClient(settings.RENDA_JANUS_URL) as client:
        if client.request({"request": "exists", "room": room.id}).get("exists"):
            client.request({"request": "destroy", "room": room.id, "secret": room.secret})


# ------------------------------------------------------------------- who is admitted


def participant(sitting: CommitteeMeeting, user) -> str:
    """Why `user` takes part in the sitting ("member" on the roll, "staff" of the congress,
    "observer" = 列席), or "" if they do not."""
    actor = actor_of(user)
    if not actor.is_authenticated:
        return ""
    if user.person_id and user.person_id in _members(sitting):
        return "member"
    if actor.manages(sitting.term.congress_id):
        return "staff"
    deputies = {a.deputy_id for a in actor.assignments if a.role == Role.DEPUTY and a.deputy_id}
    for p in services.observers(sitting):
        if (user.person_id and p.person_id == user.person_id) or (p.deputy_id and p.deputy_id in deputies):
            return "observer"
    return ""


def _members(sitting) -> set[int]:
    try:
        return {p.pk for p in services.roll(sitting)}
    except ValidationError:
        # a member without an account keeps the roll from voting, not the others from video
        day = sitting.start_date
        return set(
            CommitteeMember.objects.filter(congress=sitting.term.congress, start_date__lte=day)
            .exclude(end_date__lt=day)
            .values_list("person_id", flat=True)
        )


@dataclass
class Admission:
    room: int
    pin: str
    token: str
    display: str
    server: str
    role: str


def admit(sitting: CommitteeMeeting, user, role: str | None = None) -> Admission | None:
    """The room (created if missing) and a token added to its `allowed` list for `user`, or
    None when the user is not one of the sitting's participants (no token is ever made)."""
    role = role if role is not None else participant(sitting, user)  # the view asked already
    if not role:
        return None
    token = token_of(sitting, user)
    with JanusClient(settings.RENDA_JANUS_URL) as client:
        room = ensure_room(client, sitting)
        client.request(
            {"request": "allowed", "room": room.id, "secret": room.secret, "action": "add", "allowed": [token]}
        )
    return Admission(room=room.id, pin=room.pin, token=token, display=str(user)[:40], server=public_url(), role=role)


@transaction.atomic
def record_joined(sitting: CommitteeMeeting, user) -> Attendance | None:
    """视频参会: a member on the roll who joined the room while the sitting is under way is
    recorded present, remotely — the page says so, Janus does not tell who is behind a token, so
    this only fills what nobody recorded yet or the member's own pending leave request. What the
    staff recorded (present in the hall, absent, leave granted) stays. Staff and observers are
    not on the roll: None."""
    if participant(sitting, user) != "member":
        return None
    if not enabled():
        raise ValidationError("视频会议服务未配置。")
    today = clock.now().date() if clock.dated_at() else timezone.localdate()
    if not sitting.start_date <= today <= (sitting.end_date or sitting.start_date):
        raise ValidationError("会议不在今天举行，不能登记视频参会。")
    row = Attendance.objects.select_for_update().filter(sitting=sitting, person_id=user.person_id).first()
    if row and row.status != Attendance.Status.LEAVE_REQUESTED:
        return row
    row = row or Attendance(sitting=sitting, person_id=user.person_id)
    row.status, row.remote, row.leave_reason = Attendance.Status.PRESENT, True, ""
    row.leave_approved_by = row.leave_approved_at = None
    row.recorded_by, row.recorded_at = user, clock.now()
    row.save()
    return row
