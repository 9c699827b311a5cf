"""What a received message does, by kind.

    register("filing.upsert", fn)      fn(sender_code: str, body: dict, congress) -> None

`congress` is this instance's root congress. A handler runs inside the transaction that
records the message: if it raises, nothing is applied, the sender is told why (4xx) and
retries later. A handler must be idempotent per message (an upsert, not an append),
although the inbox already refuses a message it has applied once.
"""

from __future__ import annotations

from collections.abc import Callable

_handlers: dict[str, Callable] = {}


def _name(fn) -> tuple:
    return getattr(fn, "__module__", None), getattr(fn, "__qualname__", repr(fn))


def register(kind: str, fn: Callable) -> Callable:
    current = _handlers.get(kind)
    if current is not None and _name(current) != _name(fn):
        raise ValueError(f"federation handler for {kind!r} registered twice")
    _handlers[kind] = fn
    return fn


def handler(kind: str):
    """Decorator form of `register`."""
    return lambda fn: register(kind, fn)


def get(kind: str) -> Callable | None:
    return _handlers.get(kind)


def kinds() -> list[str]:
    return sorted(_handlers)
