"""Background delivery (Huey): every minute, and once right after each enqueue.

The periodic job is what guarantees delivery (it retries whatever is pending, after
its backoff); the immediate job only makes the usual case fast."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import Peer
from .outbox import deliver, deliver_all


@db_periodic_task(crontab(minute="*"))
def federation_deliver_all():
    return [d.describe() for d in deliver_all()]


@db_task()
def deliver_peer(peer_id: int):
    peer = Peer.objects.filter(pk=peer_id, direction=Peer.Direction.UP, is_active=True).first()
    return deliver(peer).describe() if peer is not None else None
