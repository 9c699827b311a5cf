"""Filings across levels (三级联网): what goes up, and what arrives from below.

Lower instance: the filing module calls `forward(filing)` inside the transaction of
every change of a filing (creation, each transition, an edit of what is reported). If
the filing goes up (government rules, local regulations) and an upper peer is set up,
a `filing.upsert` message with a snapshot of the filing is queued in that transaction.

Upper instance: `apply_upsert` (registered for `filing.upsert`) keeps one `LowerFiling`
per (sender, remote id), as last reported: messages arrive in order, so the last one
applied is the latest state.
"""

from __future__ import annotations

from datetime import date

from renda.federation import handlers
from renda.federation.models import OutboundMessage, Peer
from renda.federation.outbox import enqueue, up_peers

from .models import Filing, LowerFiling
from .rules import never_filed

KIND = "filing.upsert"


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else (value or None)


def snapshot(filing: Filing) -> dict:
    return {
        "remote_id": filing.pk,
        "number": filing.number,
        "kind": filing.kind,
        "title": filing.title,
        "document_number": filing.document_number,
        "filer": filing.filer_name,
        "published_on": _iso(filing.published_on),
        "filed_on": _iso(filing.filed_on),
        "state": filing.state,
        "state_label": filing.state_label,
        "outcome": filing.get_outcome_display() if filing.outcome else "",
        "text": filing.text,
    }


def forward(filing: Filing) -> list[OutboundMessage]:
    """Queue the filing's current state for every active upper peer; call it inside the
    transaction that changed the filing. Does nothing (returns []) when the filing does
    not go up or is a draft, when no upper peer is set up, or when the snapshot is
    unchanged since the last message about this filing."""
    if not filing.goes_up or filing.pk is None:
        return []
    peers = list(up_peers())
    if not peers:
        return []
    # What the transaction wrote, not what the caller's object happens to hold.
    current = Filing.objects.select_related("filer_unit", "filer_congress").get(pk=filing.pk)
    if current.state in never_filed():  # a draft, or one thrown away
        return []
    body = snapshot(current)
    subject = f"filing:{current.pk}"
    queued = []
    for peer in peers:
        last = (
            OutboundMessage.objects.filter(peer=peer, subject=subject)
            .order_by("-sequence")
            .values_list("body", flat=True)
            .first()
        )
        if last == body:
            continue
        queued.append(enqueue(peer, KIND, subject, body))
    return queued


def forward_all() -> int:
    """Queue every filing that goes up (after an upper peer was set up). Unchanged
    snapshots are skipped, so running it twice queues nothing new."""
    from django.db import transaction

    count = 0
    kinds = [Filing.Kind.RULE, Filing.Kind.REGULATION]
    for filing in Filing.objects.filter(kind__in=kinds).exclude(state__in=never_filed()).order_by("created_at", "pk"):
        with transaction.atomic():
            count += len(forward(filing))
    return count


def _date(value, field: str):
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{field} 应为 YYYY-MM-DD 日期") from None


def apply_upsert(sender: str, body: dict, congress) -> LowerFiling:
    peer = Peer.objects.filter(code=sender, direction=Peer.Direction.DOWN).first()
    remote_id = body["remote_id"]
    if type(remote_id) is not int or remote_id < 1:
        raise ValueError("remote_id 应为正整数")
    record = LowerFiling.objects.filter(sender=sender, remote_id=remote_id).first() or LowerFiling(
        sender=sender, remote_id=remote_id
    )
    record.congress = congress
    record.sender_name = peer.name if peer else sender
    record.number = body.get("number") or ""
    record.kind = body["kind"]
    record.title = body["title"]
    record.document_number = body.get("document_number") or ""
    record.filer = body.get("filer") or ""
    record.published_on = _date(body["published_on"], "published_on")
    record.filed_on = _date(body.get("filed_on"), "filed_on")
    record.state = body["state"]
    record.state_label = body.get("state_label") or ""
    record.outcome = body.get("outcome") or ""
    record.text = body.get("text") or ""
    record.full_clean(exclude=["congress"])
    record.save()
    return record


handlers.register(KIND, apply_upsert)
