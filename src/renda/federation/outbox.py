"""Sending: the outbox and its delivery.

    enqueue(peer_or_code, kind, subject, body)   inside the caller's transaction
    deliver(peer)                                send what is pending, in order
    deliver_all()                                every active upper peer (the periodic job)

A message is committed together with the change it reports, so a crash loses nothing;
delivery retries it until the peer acknowledges it (at-least-once), and the peer applies
each message once (by message id and sequence): the effect is exactly once. Delivery is
strictly in sequence order and stops at the first failure; the head message then waits
10 s, 20 s, 40 s … (at most 1 h) before the next try.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import requests
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from . import signing
from .models import OutboundMessage, Peer

log = logging.getLogger("renda.federation")

ENDPOINT = "/api/federation/messages"
TIMEOUT = 5  # seconds, per request
BACKOFF_BASE = 10  # seconds after the first failure, doubled after each further one …
BACKOFF_CAP = 3600  # … up to one hour
LEASE = timedelta(seconds=60)  # renewed before each message; longer than one request
MAX_ERROR = 2000


class FederationError(Exception):
    """A message that cannot be queued (no such peer, body not JSON); message in Chinese."""


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th consecutive failed send of a message."""
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


def up_peers():
    return Peer.objects.filter(direction=Peer.Direction.UP, is_active=True)


def _up_peer(peer_or_code) -> Peer:
    if isinstance(peer_or_code, Peer):
        if peer_or_code.direction != Peer.Direction.UP:
            raise FederationError(f"{peer_or_code.name}不是上级节点，不能向其报送。")
        return peer_or_code
    peer = up_peers().filter(code=peer_or_code).first()
    if peer is None:
        raise FederationError(f"没有区划代码为 {peer_or_code} 的已启用上级节点。")
    return peer


# ---------------------------------------------------------------- enqueue


def enqueue(peer_or_code, kind: str, subject: str, body: dict) -> OutboundMessage:
    """Queue a message for an upper peer, numbered after the last one for that peer.

    Call it inside the transaction of the change it reports: if that transaction rolls
    back, so does the message (and its number: the sequence stays gap-free). After the
    commit an immediate delivery attempt is scheduled; the periodic job catches up
    with whatever that attempt could not send.
    """
    peer = _up_peer(peer_or_code)
    try:
        signing.canonical(body)
    except (TypeError, ValueError) as exc:
        raise FederationError(f"消息内容不能表示为 JSON：{exc}") from None
    with transaction.atomic():
        # The peer row is the per-peer lock: concurrent enqueues are numbered one after
        # the other (SQLite serialises writers anyway).
        Peer.objects.select_for_update().filter(pk=peer.pk).first()
        last = OutboundMessage.objects.filter(peer=peer).aggregate(m=Max("sequence"))["m"] or 0
        message = OutboundMessage.objects.create(
            peer=peer, sequence=last + 1, kind=kind, subject=subject[:80], body=body
        )
        transaction.on_commit(partial(_deliver_soon, peer.pk))
    return message


def _deliver_soon(peer_id: int) -> None:
    try:
        from .tasks import deliver_peer

        deliver_peer(peer_id)
    except Exception:  # the queue may be down: the periodic job will deliver
        log.warning("federation: could not schedule delivery to peer %s", peer_id, exc_info=True)


# ---------------------------------------------------------------- delivery


@dataclass
class Delivery:
    peer: str
    acked: int = 0
    error: str = ""
    busy: bool = False
    waiting_until: datetime | None = None
    resent_from: int | None = None

    @property
    def ok(self) -> bool:
        return not self.error and not self.busy

    def describe(self) -> str:
        if self.busy:
            return f"{self.peer}：另一投递进程正在发送，本次跳过。"
        text = f"{self.peer}：送达 {self.acked} 条"
        if self.resent_from:
            text += f"（对方要求从第 {self.resent_from} 号起重发）"
        if self.error:
            text += f"；失败：{self.error}"
        elif self.waiting_until:
            text += f"；下一条等待重试，{timezone.localtime(self.waiting_until):%Y-%m-%d %H:%M:%S} 后再发"
        return text + "。"


@dataclass
class _Outcome:
    acked: bool = False
    resend_from: int | None = None
    error: str = ""


def _claim(peer: Peer) -> bool:
    now = timezone.now()
    free = Q(delivering_until__isnull=True) | Q(delivering_until__lt=now)
    return Peer.objects.filter(pk=peer.pk).filter(free).update(delivering_until=now + LEASE) == 1


def _renew(peer: Peer) -> None:
    Peer.objects.filter(pk=peer.pk).update(delivering_until=timezone.now() + LEASE)


def _release(peer: Peer) -> None:
    Peer.objects.filter(pk=peer.pk).update(delivering_until=None)


def deliver(peer: Peer, *, force: bool = False, transport=None, limit: int = 500) -> Delivery:
    """Send the peer's pending messages in sequence order until one fails.

    `force`: ignore the backoff of the head message (an operator's "try now").
    `transport`: a callable like requests.post (tests); default requests.post.
    """
    result = Delivery(peer=peer.name)
    if peer.direction != Peer.Direction.UP or not peer.is_active:
        result.error = "不是已启用的上级节点。"
        return result
    if not peer.base_url:
        result.error = "未设置接口地址（--url）。"
        return result
    if not OutboundMessage.objects.filter(peer=peer, status=OutboundMessage.Status.PENDING).exists():
        return result
    try:
        key = signing.load_private_key()
    except signing.FederationKeyError as exc:
        result.error = str(exc)
        return result
    sender = signing.own_code()
    if not sender:
        result.error = "本实例未配置区划代码（RENDA_ROOT_CONGRESS），也没有根人大。"
        return result
    if not _claim(peer):
        result.busy = True
        return result
    post = transport or requests.post
    resets = 0
    try:
        for _ in range(limit):
            message = (
                OutboundMessage.objects.filter(peer=peer, status=OutboundMessage.Status.PENDING)
                .order_by("sequence")
                .first()
            )
            if message is None:
                break
            now = timezone.now()
            if not force and message.next_attempt_at and message.next_attempt_at > now:
                result.waiting_until = message.next_attempt_at
                break
            _renew(peer)
            outcome = _send(peer, message, key, sender, post)
            if outcome.acked:
                OutboundMessage.objects.filter(pk=message.pk).update(
                    status=OutboundMessage.Status.ACKED,
                    acked_at=timezone.now(),
                    attempts=F("attempts") + 1,
                    next_attempt_at=None,
                    last_error="",
                )
                result.acked += 1
                continue
            if outcome.resend_from is not None and resets < 3:
                # The peer has lost acknowledged messages (e.g. restored from a backup):
                # send them again from the one it expects.
                reopened = OutboundMessage.objects.filter(
                    peer=peer,
                    sequence__gte=outcome.resend_from,
                    sequence__lt=message.sequence,
                    status=OutboundMessage.Status.ACKED,
                ).update(status=OutboundMessage.Status.PENDING, acked_at=None, next_attempt_at=None)
                if reopened == message.sequence - outcome.resend_from:
                    resets += 1
                    result.resent_from = outcome.resend_from
                    log.warning("federation: %s expects #%s, resending from there", peer.code, outcome.resend_from)
                    continue
                outcome.error = f"对方要求从第 {outcome.resend_from} 号起重发，但本实例没有这些消息。"
            failures = message.attempts + 1
            OutboundMessage.objects.filter(pk=message.pk).update(
                attempts=failures,
                next_attempt_at=timezone.now() + backoff(failures),
                last_error=outcome.error[:MAX_ERROR],
            )
            result.error = f"第 {message.sequence} 号消息：{outcome.error}"
            log.warning("federation: delivery to %s failed at #%s: %s", peer.code, message.sequence, outcome.error)
            break
    finally:
        _release(peer)
    return result


def envelope_for(message: OutboundMessage, sender: str, sent_at: str | None = None) -> dict:
    return {
        "version": signing.VERSION,
        "sender": sender,
        "recipient": message.peer.code,
        "sequence": message.sequence,
        "message_id": str(message.message_id),
        "kind": message.kind,
        "sent_at": sent_at or timezone.now().isoformat(),
        "body": message.body,
    }


def _send(peer: Peer, message: OutboundMessage, key, sender: str, post) -> _Outcome:
    envelope = envelope_for(message, sender)
    payload = dict(envelope, signature=signing.sign(envelope, key))
    url = peer.base_url.rstrip("/") + ENDPOINT
    try:
        response = post(
            url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            timeout=TIMEOUT,
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Renda-Federation/1"},
        )
    except requests.RequestException as exc:
        return _Outcome(error=f"无法连接 {url}：{type(exc).__name__}")
    try:
        reply = response.json()
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        reply = {}
    status = response.status_code
    if (
        status == 200
        and reply.get("acked") == message.sequence
        and reply.get("status") in ("applied", "duplicate", "stored")
    ):
        if peer.public_key:  # the peer's key is known: only its signed acknowledgement counts
            signature = (getattr(response, "headers", None) or {}).get("X-Renda-Signature", "")
            try:
                genuine = reply.get("message_id") == str(message.message_id) and signing.verify(
                    reply, signature, signing.parse_public_key(peer.public_key)
                )
            except ValueError:
                genuine = False
            if not genuine:
                return _Outcome(error="确认回执的签名无效（或缺失）：不视为已送达。")
        return _Outcome(acked=True)
    expected = reply.get("expected")
    if status == 409 and type(expected) is int and 1 <= expected < message.sequence:
        return _Outcome(resend_from=expected)
    detail = reply.get("detail") if isinstance(reply.get("detail"), str) else (response.text or "")[:200]
    if status == 200:
        return _Outcome(error=f"HTTP 200，但回执没有确认第 {message.sequence} 号消息：{detail}")
    return _Outcome(error=f"HTTP {status}：{detail}")


def deliver_all(*, force: bool = False, transport=None) -> list[Delivery]:
    return [deliver(peer, force=force, transport=transport) for peer in up_peers().exclude(base_url="")]
