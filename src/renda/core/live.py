"""Live updates: "something about <topic> changed" — no payload, the listener reads the state.

    publish(topic)                  after a commit (callers use transaction.on_commit)
    listen(topics, timeout) -> bool True when one of `topics` was published within `timeout`

Two layers, one interface:
- REDIS_URL set (production, CI): Redis pub/sub, so a vote taken by one gunicorn worker wakes
  the hall screens served by the others. A listener holds one Redis connection while it waits.
- otherwise (the embedded default, runserver's threads, tests): a threading.Condition in this
  process, with a counter per topic.

Why server-sent events (meetings.views_hall) and not Channels/websockets: production serves
Django over WSGI with gunicorn; SSE is plain HTTP a WSGI view can stream, it reconnects by
itself, and the hall only needs server → browser. It needs a threaded worker class
(`gunicorn --worker-class gthread --threads N`): a stream holds its thread for up to
RENDA_LIVE_STREAM_SECONDS, so with sync workers one screen would block a whole worker. Publishing
is one Redis PUBLISH (or a notify) per event: cheap enough for every vote cast."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from django.conf import settings

PREFIX = "renda:live:"

_cond = threading.Condition()
_versions: dict[str, int] = defaultdict(int)
_redis = None
_redis_lock = threading.Lock()


def _client():
    global _redis
    url = getattr(settings, "REDIS_URL", "") or ""
    if not url:
        return None
    with _redis_lock:
        if _redis is None:
            import redis

            _redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        return _redis


def publish(topic: str) -> None:
    client = _client()
    if client is not None:
        try:
            client.publish(PREFIX + topic, b"1")
            return
        except Exception:  # Redis away: the screens fall back to polling; a vote never fails for it
            return
    with _cond:
        _versions[topic] += 1
        _cond.notify_all()


def listen(topics, timeout: float) -> bool:
    """Block until one of `topics` is published or `timeout` seconds pass."""
    topics = list(topics)
    if not topics:
        time.sleep(max(0.0, timeout))
        return False
    client = _client()
    if client is not None:
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(*[PREFIX + t for t in topics])
            end = time.monotonic() + timeout
            while (left := end - time.monotonic()) > 0:
                if pubsub.get_message(timeout=min(left, 1.0)):
                    return True
            return False
        except Exception:
            time.sleep(max(0.0, min(timeout, 2.0)))
            return False
        finally:
            pubsub.close()
    with _cond:
        seen = [_versions[t] for t in topics]
        return _cond.wait_for(lambda: [_versions[t] for t in topics] != seen, timeout=timeout)
