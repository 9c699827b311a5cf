"""Module manifests: what each Renda module brings to the platform, declared in one place.

Every Django app of Renda sets `manifest = Manifest(...)` on its AppConfig. The platform
reads them at start-up (navigation, case types, API routers, demo builders), so adding a
module means adding a manifest, not editing central lists.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    # Role keys that see the entry; None = every signed-in user.
    roles: tuple[str, ...] | None = None
    icon: str = ""


@dataclass(frozen=True)
class SittingVote:
    """How a vote opened at a sitting is closed (the hall console, meetings.hall): `close` the
    transition that closes it; `step` (optional) one that closes the current ballot and opens
    the case's next (逐人表决); `ballots` (optional) dotted path to a callable(case) -> Ballot
    queryset when the ballots are not about the case itself (default: ballots_about(case))."""

    close: str
    step: str = ""
    ballots: str = ""


@dataclass(frozen=True)
class Manifest:
    order: int = 100
    nav: list[NavEntry] = field(default_factory=list)
    # Dotted paths to workflow.CaseType objects declared by the module.
    case_types: list[str] = field(default_factory=list)
    # Dotted path to a ninja Router and the URL prefix it is mounted under in /api/.
    api_router: str | None = None
    api_prefix: str = ""
    # Further routers: (prefix, dotted path) pairs, for a module that serves several.
    api_routers: list[tuple[str, str]] = field(default_factory=list)
    # Dotted path to a callable(builder) that adds the module's part of the demo year.
    demo: str | None = None
    # Dotted paths to modules that register the module's metrics (reports.metrics).
    metrics: list[str] = field(default_factory=list)
    # The module's URLconfs: work pages mounted under /work/<url_prefix>, public pages under
    # /<public_prefix>. Adding a module edits no central URL list.
    urls: str | None = None
    url_prefix: str = ""
    public_urls: str | None = None
    public_prefix: str = ""
    # Dotted path to a callable(user) -> [(label, url)]: the module's shortcuts on the workbench.
    quick_actions: str | None = None
    # Dotted paths to callables() loading what the module's first requests would otherwise
    # load (a model, an index, a library and its fonts): run by `warm_up()` when a server starts.
    warm_up: list[str] = field(default_factory=list)
    # The acts of the module's cases that happen at a sitting of the standing committee, as
    # "case_type_key.transition_key" ("bill.read"): the meetings module offers a case for a
    # sitting's agenda when one of them is available in its state (meetings.services).
    sitting_transitions: list[str] = field(default_factory=list)
    # Of those, the ones that open a vote: "case_type_key.transition_key" -> SittingVote.
    sitting_votes: dict[str, SittingVote] = field(default_factory=dict)
    # The same for the plenary session (人民代表大会会议): the acts decided by the deputies in
    # session, offered for a session's agenda (/meetings/sessions/<pk>/). Empty for now; the
    # livelihood projects module (issue 16) will declare its ballot here.
    plenary_transitions: list[str] = field(default_factory=list)


@cache
def manifests() -> list[tuple[str, Manifest]]:
    found = [
        (cfg.label, cfg.manifest)
        for cfg in apps.get_app_configs()
        if isinstance(getattr(cfg, "manifest", None), Manifest)
    ]
    return sorted(found, key=lambda item: item[1].order)


def load(path: str):
    return import_string(path)


logger = logging.getLogger("renda.warm_up")


def warm_up() -> dict[str, float]:
    """Run every module's `warm_up` callables; returns the seconds each took. A failure is
    logged, never raised: warming only saves the first user's wait."""
    timings = {}
    for _, manifest in manifests():
        for path in manifest.warm_up:
            start = time.perf_counter()
            try:
                load(path)()
            except Exception:
                logger.exception("warm-up %s failed", path)
            timings[path] = round(time.perf_counter() - start, 3)
    logger.info("warmed up: %s", timings)
    return timings


def _warm_up_thread() -> None:
    from django.db import connections

    try:
        warm_up()
    finally:
        connections.close_all()  # the thread's own connections


def warm_up_in_background() -> threading.Thread | None:
    """Called where a server starts (config/wsgi.py, asgi.py; runserver imports wsgi.py), so
    that tests and management commands do not pay for it. RENDA_WARM_UP=0 turns it off."""
    from django.conf import settings

    if not getattr(settings, "RENDA_WARM_UP", True):
        return None
    thread = threading.Thread(target=_warm_up_thread, name="renda-warm-up", daemon=True)
    thread.start()
    return thread
