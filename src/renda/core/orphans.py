"""Uploaded files that no record references any more, found and removed.

A file is written before its row is committed; when the transaction is rolled back (a
refused filing, a transition whose effect refused), the file stays on disk with nothing
pointing at it. `orphans()` lists the files under MEDIA_ROOT that no FileField of any
model references and that are older than a grace period (an upload whose transaction is
still open must not be taken); `remove_orphans()` deletes them. A daily job runs it
(core.tasks); `renda files orphans [--delete] [--older-than-hours N]` runs it now.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Orphan:
    name: str  # relative to MEDIA_ROOT, as a FileField stores it
    size: int
    age_hours: float


def referenced() -> set[str]:
    """Every file name any FileField of any model stores (one query per field)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(
                    model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True).distinct()
                )
    names.discard(None)
    return names


def orphans(older_than_hours: float | None = None) -> list[Orphan]:
    grace = settings.RENDA_ORPHAN_GRACE_HOURS if older_than_hours is None else older_than_hours
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    now = time.time()
    # files first, then the references: a file written in between is young, so never taken
    candidates = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            age = (now - stat.st_mtime) / 3600
            if age >= grace:
                candidates.append(Orphan(path.relative_to(root).as_posix(), stat.st_size, age))
    used = referenced()
    return sorted((o for o in candidates if o.name not in used), key=lambda o: o.name)


def remove_orphans(older_than_hours: float | None = None) -> list[Orphan]:
    root = Path(settings.MEDIA_ROOT)
    removed = []
    for orphan in orphans(older_than_hours):
        (root / orphan.name).unlink(missing_ok=True)
        removed.append(orphan)
    return removed
