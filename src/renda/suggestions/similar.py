"""Similar suggestions for a text, among those the user may see (when a deputy drafts,
to point to earlier replies; when staff register, to merge duplicates).

One index over every submitted suggestion is kept per process and brought up to date
incrementally (a submitted suggestion's text no longer changes). Items are keyed by
(id, creation time), so a reused id never matches an old text. Hits are filtered
through scoping: the index never decides who sees what."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from renda.assist.similarity import SimilarityIndex
from renda.core.scoping import visible

from .models import Suggestion

MIN_SCORE = 0.15
_lock = threading.Lock()
_state: dict = {"index": None, "stamp": None}


def _key(s) -> tuple:
    return (s.pk, s.created_at.timestamp())


def _index() -> SimilarityIndex:
    submitted = Suggestion.objects.exclude(state="draft")
    stamp = submitted.aggregate(u=Max("updated_at"), n=Count("pk"))
    with _lock:
        index, last = _state["index"], _state["stamp"]
        if index is None or last is None or stamp["n"] < last["n"]:
            index, new = SimilarityIndex(), submitted
        elif stamp != last:
            new = submitted.filter(updated_at__gte=last["u"]) if last["u"] else submitted
        else:
            return index
        index.add(
            (_key(s), f"{s.title} {s.content}")
            for s in new.only("pk", "created_at", "title", "content")
            if _key(s) not in index
        )
        _state.update(index=index, stamp=stamp)
        return index


def most_similar(user, text: str, exclude=None, k: int = 5) -> list[tuple[Suggestion, float]]:
    if not text.strip():
        return []
    hits = _index().search(text, k=k * 4, min_score=MIN_SCORE)
    hits = [h for h in hits if h.id[0] != exclude]
    if not hits:
        return []
    seen = {_key(s): s for s in visible(user, Suggestion).filter(pk__in=[h.id[0] for h in hits])}
    return [(seen[h.id], h.score) for h in hits if h.id in seen][:k]
