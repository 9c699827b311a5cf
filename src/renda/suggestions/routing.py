"""Routing of suggestions: propose a category and a lead unit from the text, learned
from this congress's past suggestions (renda.assist.routing). Staff accept or correct
the proposal when they register and assign; what they finally chose is what the next
training learns from, so every correction feeds it.

Models are files under var/models/, retrained by a nightly job (and after the demo
year is built)."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from renda.assist.routing import AssistError, Router, train
from renda.core.models import Congress, HandlingUnit

from .models import Suggestion

MIN_EXAMPLES = 20
_cache: dict = {}
_lock = threading.Lock()


def model_path(congress: Congress, kind: str) -> Path:
    return Path(settings.VAR_DIR) / "models" / f"suggestions-{congress.code}-{kind}.pkl"


def training_data(congress: Congress, kind: str) -> tuple[list[str], list[str]]:
    qs = Suggestion.objects.filter(congress=congress, registered_on__isnull=False)
    if kind == "unit":
        qs = qs.filter(lead_unit__isnull=False)
    rows = qs.values_list("title", "content", "category" if kind == "category" else "lead_unit_id")
    return [f"{t} {c}" for t, c, _ in rows], [str(label) for _, _, label in rows]


def retrain(congress: Congress) -> dict:
    """Train and save both models of a congress; returns how many examples each used."""
    result = {}
    for kind in ("category", "unit"):
        texts, labels = training_data(congress, kind)
        if len(texts) < MIN_EXAMPLES or len(set(labels)) < 2:
            result[kind] = 0
            continue
        router = train(texts, labels)
        path = model_path(congress, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        router.save(path)
        result[kind] = len(texts)
    with _lock:
        _cache.clear()
    return result


def _router(congress: Congress, kind: str) -> Router | None:
    path = model_path(congress, kind)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    key = (str(path), mtime)
    with _lock:
        if key not in _cache:
            try:
                _cache[key] = Router.load(path)
            except AssistError:
                _cache[key] = None  # a model of another version: wait for the next training
        return _cache[key]


def propose(case: Suggestion, k: int = 3) -> dict:
    """{"category": [(label, p)], "unit": [(HandlingUnit, p)]}; empty lists without a model."""
    return propose_text(case.congress, f"{case.title} {case.content}", k)


def propose_category(congress: Congress, text: str, k: int = 3) -> list[tuple[str, float]]:
    """The categories proposed for a text still being written (no unit: the deputy does not
    choose it)."""
    router = _router(congress, "category")
    return router.top(text, k) if router is not None and text.strip() else []


def propose_text(congress: Congress, text: str, k: int = 3) -> dict:
    result = {"category": propose_category(congress, text, k), "unit": []}
    router = _router(congress, "unit")
    if router is not None:
        ranked = router.top(text, k)
        units = HandlingUnit.objects.in_bulk([int(u) for u, _ in ranked])
        # only the congress's own active units (a model trained before a unit moved or closed)
        result["unit"] = [
            (units[int(u)], p)
            for u, p in ranked
            if int(u) in units and units[int(u)].is_active and units[int(u)].congress_id == congress.pk
        ]
    return result


def warm_up() -> None:
    """jieba's dictionary, scikit-learn and each congress's models; the similarity index."""
    from renda.assist.routing import words

    from .similar import _index

    words("关于加快农村饮水工程改造的建议")
    for congress in Congress.objects.filter(pk__in=Suggestion.objects.values("congress").distinct()):
        for kind in ("category", "unit"):
            _router(congress, kind)
    _index()


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_retrain():
    return {
        c.code: retrain(c) for c in Congress.objects.filter(pk__in=Suggestion.objects.values("congress").distinct())
    }
