"""Every stored file is downloaded through one view, which asks the scoping layer first.

A module declares each FileField that may be downloaded, with the record whose rule
decides and the action to ask:

    downloadable(EventAttachment, "file", owner=lambda a: a.event.case, action="view_process",
                 filename=lambda a: a.name, select_related=("event",))

`/files/<key>/<pk>/` (URL name "download"; key = "app.model.field") loads the row, finds
its owner and serves the file only if `allowed(user, action, owner)`; otherwise it answers
the same 404 as for a row that does not exist, so that a URL reveals nothing. Nothing
under MEDIA_ROOT has a URL of its own: no route serves /media/, and behind a web server
the media directory is an internal location reached only through this view
(RENDA_FILE_SERVING = "x-accel" or "x-sendfile"; see docs/deployment notes).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from .scoping import allowed

# Types a browser would render or run if it were ever asked to show the file inline.
ACTIVE_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
    "application/x-javascript",
    "text/css",
}
NOT_FOUND = "未找到该文件，或您无权下载。"


@dataclass(frozen=True)
class Downloadable:
    key: str
    model: type[Model]
    field: str
    owner: Callable[[Model], Model | None]
    # The action asked of the owner's rule; a callable picks it per row (a document's kind).
    action: str | Callable[[Model], str]
    filename: Callable[[Model], str] | None
    select_related: tuple[str, ...] = ()

    def action_for(self, obj) -> str:
        return self.action(obj) if callable(self.action) else self.action

    def filename_for(self, obj) -> str:
        stored = getattr(obj, self.field).name
        name = self.filename(obj) if self.filename else ""
        return name or PurePath(stored).name


_registry: dict[str, Downloadable] = {}


def key_of(model: type[Model], field: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{field}"


def downloadable(
    model: type[Model],
    field: str,
    *,
    owner: Callable[[Model], Model | None],
    action: str | Callable[[Model], str] = "view",
    filename: Callable[[Model], str] | None = None,
    select_related: tuple[str, ...] = (),
) -> Downloadable:
    """Declare `model.field` downloadable by whoever may `action` its `owner(row)`."""
    model._meta.get_field(field)  # a typo fails at start-up, not at the first download
    entry = Downloadable(key_of(model, field), model, field, owner, action, filename, tuple(select_related))
    _registry[entry.key] = entry
    return entry


def registered() -> list[Downloadable]:
    return list(_registry.values())


def download_url(obj: Model, field: str | None = None) -> str:
    """The URL of a stored file of `obj` (its only declared file field when `field` is None)."""
    entries = [e for e in _registry.values() if e.model is type(obj) and (field is None or e.field == field)]
    if len(entries) != 1:
        raise LookupError(f"{type(obj).__name__}.{field or '?'} is not declared downloadable (core.downloads).")
    return reverse("download", args=[entries[0].key, obj.pk])


def content_type_for(name: str) -> str:
    guessed, encoding = mimetypes.guess_type(name)
    if not guessed or encoding or guessed in ACTIVE_TYPES:
        return "application/octet-stream"
    return guessed


def file_response(fieldfile, filename: str) -> HttpResponse:
    """The response serving `fieldfile` as an attachment named `filename`, in the way
    settings.RENDA_FILE_SERVING says: Django streams it, or the web server does."""
    mode = getattr(settings, "RENDA_FILE_SERVING", "django")
    content_type = content_type_for(fieldfile.name)
    if mode == "django":
        try:
            handle = fieldfile.open("rb")
        except FileNotFoundError:
            raise Http404(NOT_FOUND) from None
        response = FileResponse(handle, content_type=content_type)
    elif mode == "x-accel":
        # nginx: an `internal` location aliasing MEDIA_ROOT (URL-encoded, nginx decodes it)
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.RENDA_X_ACCEL_PREFIX + quote(fieldfile.name)
    elif mode == "x-sendfile":
        # Apache mod_xsendfile / lighttpd: the absolute path, its bytes as they are on disk
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = str(fieldfile.path).encode("utf-8").decode("latin-1")
    else:
        raise ValueError(f"RENDA_FILE_SERVING must be django, x-accel or x-sendfile, not {mode!r}")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def generated_response(data: bytes, filename: str) -> HttpResponse:
    """A file generated for this request (an export: never stored), with the same headers as
    a stored file's download: attachment with the Chinese name, the type from the name (never
    an active one), nosniff, not cached."""
    response = HttpResponse(data, content_type=content_type_for(filename))
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def serve(request, key: str, pk: int):
    """The one download view: the row, its owner, the owner's rule, then the file."""
    entry = _registry.get(key)
    if entry is None:
        raise Http404(NOT_FOUND)
    obj = entry.model._default_manager.select_related(*entry.select_related).filter(pk=pk).first()
    fieldfile = getattr(obj, entry.field) if obj is not None else None
    if not fieldfile:
        raise Http404(NOT_FOUND)
    owner = entry.owner(obj)
    if owner is None or not allowed(request.user, entry.action_for(obj), owner):
        raise Http404(NOT_FOUND)
    return file_response(fieldfile, entry.filename_for(obj))
