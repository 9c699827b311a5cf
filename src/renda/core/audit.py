"""The audit log's one writer and its verifier.

Every entry (`AuditEntry`) carries `seq` (1, 2, 3 … without gaps), `prev_hash` (the hash of
entry seq-1) and `hash` = HMAC-SHA256(key, canonical JSON of its own fields + prev_hash).
`append` takes the chain head's row lock inside the caller's transaction (PostgreSQL: SELECT …
FOR UPDATE; SQLite: writes are serialised by its IMMEDIATE transactions), so two writers can
never give two entries the same predecessor; if the caller's transaction rolls back, its entry
and the head's advance roll back together.

The key is RENDA_AUDIT_KEY (else SECRET_KEY): whoever can write to the database but does not
hold the key cannot recompute the chain after editing it. Rotation: RENDA_AUDIT_KEY_FALLBACKS
lists the former keys; verify accepts an entry under any of them, new entries use the current
one (see docs/security.md).

Personal data never enters the log: `clean_changes` replaces the value of every field a model
declares in `personal_fields` by a marker ("changed: mobile" without the number).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEntry, User

# the events a user is shown of their own account (the sign-in history)
SIGNIN_ACTIONS = ("login", "login_failed", "locked_out", "logout")
GENESIS = ""  # prev_hash of the first entry
REDACTED = "（个人信息，已略去）"
# the fields an entry's hash covers, in the canonical serialisation
HASHED = ("seq", "at", "actor_id", "actor_label", "action", "model", "object_id", "object_label", "changes", "ip")


def keys() -> list[bytes]:
    """The current key first, then the former ones (accepted by verify only)."""
    current = settings.RENDA_AUDIT_KEY or settings.SECRET_KEY
    fallbacks = settings.RENDA_AUDIT_KEY_FALLBACKS
    return [k.encode() for k in [current, *fallbacks] if k]


def _at(value) -> str:
    # one text for a time whatever the database returns it as (UTC, microseconds)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: dict, prev_hash: str) -> bytes:
    data = {name: fields[name] for name in HASHED}
    data["at"] = _at(data["at"])
    data["prev_hash"] = prev_hash
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(fields: dict, prev_hash: str, key: bytes | None = None) -> str:
    return hmac.new(key or keys()[0], canonical(fields, prev_hash), hashlib.sha256).hexdigest()


def head_mac(seq: int, last_hash: str, key: bytes | None = None) -> str:
    return hmac.new(key or keys()[0], f"head:{seq}:{last_hash}".encode(), hashlib.sha256).hexdigest()


def _fields(entry) -> dict:
    return {name: getattr(entry, name) for name in HASHED}


def clean_changes(model, changes: dict | None) -> dict:
    """JSON-safe changes with personal data left out (declared per model: `personal_fields`)."""
    personal = getattr(model, "personal_fields", ()) if model is not None else ()
    out = {}
    for name, value in (changes or {}).items():
        if name in personal:
            out[name] = REDACTED
        else:
            out[name] = _jsonable(value)
    return out


def _normal(changes: dict | None) -> dict:
    # exactly what the database will give back (dates as text, tuples as lists …): the hash
    # is computed over it
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


def _jsonable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, set)) and any(hasattr(v, "pk") for v in value):
        return [getattr(v, "pk", v) for v in value]
    return value


def _head(lock: bool = True) -> AuditChainHead:
    qs = AuditChainHead.objects.select_for_update() if lock else AuditChainHead.objects
    head = qs.filter(pk=1).first()
    if head is None:  # a database migrated before the head row existed (or flushed)
        AuditChainHead.objects.get_or_create(pk=1)
        head = qs.get(pk=1)
    return head


@transaction.atomic(savepoint=False)  # no savepoint queries: the caller's transaction is enough
def append(
    *,
    actor=None,
    actor_label: str,
    action: str,
    model: str = "",
    object_id: str = "",
    object_label: str = "",
    changes: dict | None = None,
    ip: str = "",
    at=None,
) -> AuditEntry:
    """Write one entry at the end of the chain (the only writer of AuditEntry)."""
    head = _head()
    entry = AuditEntry(
        seq=head.seq + 1,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label[:80],
        action=action[:40],
        model=model[:60],
        object_id=str(object_id)[:40],
        object_label=str(object_label)[:200],
        changes=_normal(changes),
        ip=(ip or "")[:45],
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(_fields(entry), entry.prev_hash)
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.mac = head_mac(head.seq, head.hash)
    head.save(update_fields=["seq", "hash", "mac"])
    return entry


# --- security events -------------------------------------------------------------------


def username_reference(username: str) -> tuple[User | None, str]:
    """The account a typed username names, or (None, a hash of it): a mistyped password in the
    username box must not land in the log in clear."""
    username = (username or "")[:150]
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        return user, user.username
    return None, hashed_username(username)


def hashed_username(username: str) -> str:
    """How a typed name that is no account is shown and logged: a keyed hash, never the text."""
    if not username:
        return "未填写账号"
    digest = hmac.new(keys()[0], username[:150].encode(), hashlib.sha256).hexdigest()[:16]
    return f"未知账号#{digest}"


def security_event(action: str, *, request=None, user=None, username: str = "", detail: dict | None = None):
    """A sign-in, a failure, a lock-out, a sign-out, a refusal …: who (a reference), from where."""
    from .http import client_ip

    if user is None and username:
        user, label = username_reference(username)
    else:
        label = str(user) if user is not None and user.is_authenticated else (username or "匿名访问者")
    target = user if user is not None and user.is_authenticated else None
    return append(
        actor=target,
        actor_label=label,
        action=action,
        model=User._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=target.username if target is not None else label,
        changes=clean_changes(None, detail),
        ip=client_ip(request) if request is not None else "",
    )


# --- verification ----------------------------------------------------------------------


@dataclass
class Finding:
    ok: bool
    count: int
    entry_id: int | None = None
    seq: int | None = None
    at: object = None
    problem: str = ""

    def __str__(self):
        if self.ok:
            return f"操作记录链完整：共 {self.count} 条。"
        where = f"第 {self.seq} 条（id {self.entry_id}，{self.at:%Y-%m-%d %H:%M:%S}）" if self.entry_id else ""
        return f"操作记录链已损坏：{where}{self.problem}"


def _walk(chunk: int) -> Iterator[AuditEntry]:
    """Every entry in chain order, `chunk` at a time (keyset pagination: constant memory)."""
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:chunk])
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1].seq


def verify(chunk: int = 2000) -> Finding:
    """Walk the chain from its first entry; the first break found is reported."""
    candidates = keys()
    prev_hash, expected_seq, count = GENESIS, 1, 0
    unsequenced = AuditEntry.objects.filter(seq__isnull=True).order_by("pk").first()
    if unsequenced is not None:
        return Finding(False, 0, unsequenced.pk, None, unsequenced.at, "记录没有序号（不是经由记录链写入的）。")
    for entry in _walk(chunk):
        bad = None
        if entry.seq != expected_seq:
            bad = f"序号应为 {expected_seq}，实为 {entry.seq}：其前有记录被删除。"
        elif entry.prev_hash != prev_hash:
            bad = "前序哈希与上一条记录不符：其前有记录被删除或插入。"
        elif not any(hmac.compare_digest(entry_hash(_fields(entry), prev_hash, k), entry.hash) for k in candidates):
            bad = "哈希不符：该记录的内容被修改，或该记录是插入的。"
        if bad:
            return Finding(False, count, entry.pk, entry.seq, entry.at, bad)
        prev_hash, expected_seq, count = entry.hash, expected_seq + 1, count + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash, mac = (head.seq, head.hash, head.mac) if head else (0, GENESIS, "")
    if head_seq != count or head_hash != prev_hash:
        return Finding(
            False, count, None, None, None, f"链尾应为第 {head_seq} 条，实为第 {count} 条：末尾的记录被删除或追加。"
        )
    if count and not any(hmac.compare_digest(head_mac(head_seq, head_hash, k), mac) for k in candidates):
        return Finding(False, count, None, None, None, "链尾的校验码不符：链尾被改写。")
    return Finding(True, count)


# --- the platform's security events ----------------------------------------------------
# Connected in CoreConfig.ready. Each is a reference entry: who (an account, or a hash of an
# unknown username), what, from which address — never a password or a form's content.


def on_logged_in(sender, request, user, **kwargs):
    security_event("login", request=request, user=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:  # logging out without a session is nothing to record
        security_event("logout", request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django's failure signal (the password step; the 2FA step sends it too): the username
    # may name no account at all
    security_event("login_failed", request=request, username=str((credentials or {}).get("username") or ""))


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    security_event("locked_out", request=request, username=str(username or ""))


# Refusals logged per client and minute at most: a scanner must not grow the chain without end
# (every append waits on the chain head's lock).
DENIED_PER_MINUTE = 20


def denied(request) -> None:
    """A refused request (403): who asked for which path (without its query string)."""
    from .http import client_key, throttled

    if throttled(f"audit:denied:{client_key(request)}", DENIED_PER_MINUTE, seconds=60):
        return
    user = getattr(request, "user", None)
    security_event(
        "denied",
        request=request,
        user=user if user is not None and user.is_authenticated else None,
        detail={"method": request.method, "path": request.path[:200]},
    )


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth import signals

    signals.user_logged_in.connect(on_logged_in, dispatch_uid="renda.audit.login")
    signals.user_logged_out.connect(on_logged_out, dispatch_uid="renda.audit.logout")
    signals.user_login_failed.connect(on_login_failed, dispatch_uid="renda.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="renda.audit.locked_out")
