"""Routing of suggestions: propose a category and a lead unit from the text, learned
from this congress's past suggestions (renda.assist.routing). Staff accept or correct
the proposal when they register and assign; what they finally chose is what the next
training learns from, so every correction feeds it.

Models are files under var/models/, retrained by a nightly job (and after the demo
year is built)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from renda.assist.routing import AssistError, Router, apply_corrections
from renda.core.models import Congress, HandlingUnit

from .models import RoutingCorrection, RoutingModelRecord, Suggestion

MIN_EXAMPLES = 20
_cache: dict = {}
_lock = threading.Lock()
logger = logging.getLogger(__name__)


def model_path(congress: Congress, kind: str) -> Path:
    return Path(settings.VAR_DIR) / "models" / f"suggestions-{congress.code}-{kind}.pkl"


def training_data(congress: Congress, kind: str) -> tuple[list[str], list[str]]:
    qs = Suggestion.objects.filter(congress=congress, registered_on__isnull=False)
    if kind == "unit":
        qs = qs.filter(lead_unit__isnull=False)
    rows = qs.values_list("title", "content", "category" if kind == "category" else "lead_unit_id")
    return [f"{t} {c}" for t, c, _ in rows], [str(label) for _, _, label in rows]


def corrections(congress: Congress, kind: str) -> list[tuple[str, str]]:
    """The congress's corrections of one kind, (text, chosen label), oldest first."""
    rows = RoutingCorrection.objects.filter(congress=congress, kind=kind).order_by("recorded_at", "id")
    return list(rows.values_list("text", "corrected"))


def record_correction(by, congress, kind: str, source: str, obj, text: str, proposed, chosen) -> None:
    """Keep "proposed X, chosen Y" when staff or a deputy change the model's proposal (nothing
    when there was no proposal or it was kept). Labels are categories, or unit ids for units."""
    proposed = "" if proposed is None else str(proposed)
    chosen = "" if chosen is None else str(chosen)
    if not proposed or not chosen or proposed == chosen or not text.strip():
        return
    RoutingCorrection.objects.create(
        congress_id=getattr(congress, "pk", congress),
        kind=kind,
        source=source,
        object_id=obj.pk,
        text=text,
        proposed=proposed,
        corrected=chosen,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )


def retrain(congress: Congress) -> dict:
    """Retrain both models of a congress from its registered suggestions plus the corrections,
    safely (renda.assist.retrain.safe_retrain: the candidate replaces the model file only when it
    scores no worse on the held-back slice); each decision is logged as a RoutingModelRecord.
    Returns how many examples (past cases and corrections) each kind had, 0 when too few."""
    from renda.assist.retrain import safe_retrain

    result = {}
    for kind in ("category", "unit"):
        texts, labels = training_data(congress, kind)
        fixes = corrections(congress, kind)
        merged, _ = apply_corrections(texts, labels, fixes)
        if len(merged) < MIN_EXAMPLES or len(set(labels) | {c for _, c in fixes}) < 2:
            result[kind] = 0
            continue
        path = model_path(congress, kind)
        try:
            current = Router.load(path) if path.exists() else None
        except AssistError:
            current = None  # a model of another version: replaced by the candidate
        try:
            outcome, _ = safe_retrain(current, texts, labels, fixes, path)
        except AssistError as exc:
            # e.g. the held-back slice took every case of one category: the training slice has
            # a single category. The model in use stays; the other kinds and congresses go on.
            logger.warning("routing %s %s: not retrained: %s", congress.code, kind, exc)
            result[kind] = 0
            continue
        RoutingModelRecord.objects.create(
            congress=congress,
            kind=kind,
            current_f1=outcome.current_f1,
            candidate_f1=outcome.candidate_f1,
            n_train=outcome.n_train,
            n_heldback=outcome.n_heldback,
            n_corrections=outcome.n_corrections,
            n_corrections_held=outcome.n_corrections_held,
            replaced=outcome.replaced,
            reason=outcome.reason,
            seconds=outcome.seconds,
        )
        logger.info("routing %s %s: %s", congress.code, kind, outcome.line())
        result[kind] = len(merged)
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
