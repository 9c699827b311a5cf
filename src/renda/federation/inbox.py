"""Receiving: check a message, apply it once, in order.

`receive(raw_bytes)` returns (HTTP status, JSON reply). The checks, in this order:

    400  not JSON / not an envelope            (nothing learned about peers)
    403  unknown or inactive sender, no key, bad signature (forged or altered)
    400  addressed to another instance
    200  {"status": "duplicate", "acked": n, "message_id": …}
                                               message id already received: not applied again
    409  {"expected": last+1}                  a gap (sequence > last+1), or another message
                                               with a number already used (a conflict)
    422  the handler refused the content       (nothing recorded; the sender retries)
    200  {"status": "applied", "acked": n, "message_id": …}
                                               applied and recorded in one transaction
    200  {"status": "stored", …}               a kind this instance does not know: kept,
                                               not applied, so that later messages still flow

An acknowledgement (200) carries the header X-Renda-Signature: this instance's
signature of the reply's canonical JSON, so that a sender that knows our public key
cannot be made to drop a message by a forged "acked".
"""

from __future__ import annotations

import json
import logging
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from . import handlers, signing
from .models import InboundMessage, Peer

log = logging.getLogger("renda.federation")

CODE = re.compile(r"[0-9]{12}")
MAX_SKEW_DAYS = 1  # a sent_at further in the future than this is refused (a wrong clock)


class Refused(Exception):
    def __init__(self, status: int, detail: str, **extra):
        super().__init__(detail)
        self.status, self.reply = status, {"detail": detail, **extra}


def _parse(raw: bytes) -> tuple[dict, str]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused(400, "请求体不是有效的 JSON。") from None
    if not isinstance(data, dict):
        raise Refused(400, "请求体应为 JSON 对象。")
    expected = set(signing.ENVELOPE_FIELDS) | {"signature"}
    missing = sorted(expected - set(data))
    if missing:
        raise Refused(400, f"消息缺少字段：{'、'.join(missing)}。")
    extra = sorted(set(data) - expected)
    if extra:
        raise Refused(400, f"消息含有未定义的字段：{'、'.join(extra)}。")
    if data["version"] != signing.VERSION:
        raise Refused(400, f"不支持的协议版本：{str(data['version'])[:20]}（本实例支持第 {signing.VERSION} 版）。")
    checks = [
        ("sender", isinstance(data["sender"], str) and CODE.fullmatch(data["sender"]) is not None, "应为12位区划代码"),
        ("recipient", isinstance(data["recipient"], str), "应为12位区划代码"),
        ("sequence", type(data["sequence"]) is int and data["sequence"] >= 1, "应为正整数"),
        ("kind", isinstance(data["kind"], str) and 0 < len(data["kind"]) <= 40, "应为消息类型"),
        ("sent_at", isinstance(data["sent_at"], str) and len(data["sent_at"]) <= 40, "应为时间"),
        ("body", isinstance(data["body"], dict), "应为 JSON 对象"),
        ("signature", isinstance(data["signature"], str) and len(data["signature"]) <= 100, "应为 base64 签名"),
    ]
    for name, ok, hint in checks:
        if not ok:
            raise Refused(400, f"字段 {name} 不正确：{hint}。")
    try:
        canonical_id = str(uuid.UUID(data["message_id"]))
    except (ValueError, TypeError, AttributeError):
        canonical_id = None
    if canonical_id != data["message_id"]:  # one spelling only: the id is compared as text
        raise Refused(400, "字段 message_id 不正确：应为小写带连字符的 UUID。")
    signature = data.pop("signature")
    return data, signature


def _sent_at_ok(text: str) -> bool:
    from datetime import datetime, timedelta

    from django.utils import timezone

    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return False
    if timezone.is_naive(when):
        return False
    return when <= timezone.now() + timedelta(days=MAX_SKEW_DAYS)


REFUSED = "消息未通过验证：发送方未登记、未启用，或签名无效（消息被伪造或改动）。"


def receive(raw: bytes) -> tuple[int, dict]:
    try:
        return 200, _receive(raw)
    except Refused as refused:
        if refused.status == 403:
            # the reason stays in the log: a caller must not learn which codes are peers
            log.warning("federation: refused a message: %s", refused.reply["detail"])
            return 403, {"detail": REFUSED}
        return refused.status, refused.reply


def _receive(raw: bytes) -> dict:
    envelope, signature = _parse(raw)
    sender = envelope["sender"]
    peer = Peer.objects.filter(code=sender, direction=Peer.Direction.DOWN).first()
    if peer is None or not peer.is_active:
        raise Refused(403, f"发送方 {sender} 不是本实例已登记并启用的下级节点。")
    if not peer.public_key:
        raise Refused(403, f"尚未登记发送方 {sender} 的公钥。")
    try:
        public_key = signing.parse_public_key(peer.public_key)
    except ValueError:
        raise Refused(403, f"发送方 {sender} 的公钥登记有误，请管理员核对。") from None
    if not signing.verify(envelope, signature, public_key):
        raise Refused(403, "签名验证失败：消息不是由发送方的密钥签发，或签名后被改动。")
    own = signing.own_code()
    if not own:
        raise Refused(400, "本实例尚未配置区划代码，不能接收联网消息。")
    if envelope["recipient"] != own:
        raise Refused(400, f"消息的接收方是 {envelope['recipient']}，不是本实例（{own}）。")
    if not _sent_at_ok(envelope["sent_at"]):
        raise Refused(400, "字段 sent_at 不正确：应为带时区的 ISO 8601 时间，且不晚于本实例时钟一天以上。")
    try:
        return _record(peer, envelope, signature)
    except IntegrityError:
        # A concurrent delivery of the same message won the race: answer as for a retry.
        existing = InboundMessage.objects.filter(message_id=envelope["message_id"], sender=sender).first()
        if existing is not None:
            return {"status": "duplicate", "acked": existing.sequence, "message_id": envelope["message_id"]}
        raise Refused(409, "消息序号冲突，请稍后重试。", expected=_last(sender) + 1) from None


def _last(sender: str) -> int:
    return InboundMessage.objects.filter(sender=sender).aggregate(m=Max("sequence"))["m"] or 0


@transaction.atomic
def _record(peer: Peer, envelope: dict, signature: str) -> dict:
    sender, sequence, message_id = envelope["sender"], envelope["sequence"], envelope["message_id"]
    Peer.objects.select_for_update().filter(pk=peer.pk).first()  # one sender's messages one at a time
    # message ids are the sender's: another peer cannot block this stream by reusing one
    existing = InboundMessage.objects.filter(sender=sender, message_id=message_id).first()
    if existing is not None:
        if existing.sequence == sequence:
            return {"status": "duplicate", "acked": sequence, "message_id": message_id}
        raise Refused(409, "消息标识已被另一条消息使用。", expected=_last(sender) + 1)
    last = _last(sender)
    if sequence > last + 1:
        raise Refused(409, f"消息不连续：本实例已收到第 {last} 号，应先发送第 {last + 1} 号。", expected=last + 1)
    if sequence <= last:
        raise Refused(409, f"序号冲突：第 {sequence} 号消息已收到，且与本条不是同一消息。", expected=last + 1)
    from renda.core.services import root_congress

    handler = handlers.get(envelope["kind"])
    applied = False
    if handler is not None:
        congress = root_congress()
        if congress is None:
            raise Refused(422, "本实例尚未建立本级人大，无法处理联网消息。")
        try:
            with transaction.atomic():
                handler(sender, envelope["body"], congress)
        except ValidationError as exc:
            raise Refused(422, "消息内容未通过校验：" + "；".join(exc.messages)) from None
        except (KeyError, TypeError, ValueError) as exc:
            raise Refused(422, f"消息内容不完整或格式不正确：{type(exc).__name__} {exc}") from None
        applied = True
    else:
        log.warning("federation: %s #%s has unknown kind %r: stored, not applied", sender, sequence, envelope["kind"])
    InboundMessage.objects.create(
        sender=sender,
        recipient=envelope["recipient"],
        sequence=sequence,
        message_id=message_id,
        kind=envelope["kind"],
        body=envelope["body"],
        sent_at=envelope["sent_at"],
        signature=signature,
        applied=applied,
    )
    return {"status": "applied" if applied else "stored", "acked": sequence, "message_id": message_id}
