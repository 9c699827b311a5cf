"""Forms the offline queue may send: a platform mechanism, used by any module whose form a
deputy may fill in without a network (the activity and the contact in deputies, the new
suggestion draft in suggestions) and by the start page (workflow's workbench).

The queue itself — the worker, the installable app, offline.js keeping entries in IndexedDB —
is the deputy's app and lives in deputies (deputies/views_offline.py, static/deputies/). It
posts each entry to the ordinary form with `X-Renda-Queue: 1`; the form's view then answers
in JSON with one answer code for every such form:

- `is_queued(request)`: the post came from the queue;
- `stored(saved)`: 201 with the record (also for a resend found under its key), and the queue
  drops the entry;
- `form_errors(form)`: 400 with the messages by field label, for the queue to show.

The idempotency key (`add_key_field`, `move_key_error`) makes a resend store nothing new: the
module's model keeps the key, unique per its author. `keep_offline(response)` marks a page as
the signed-in deputy's own, the only pages the worker keeps.

Here in core, not in deputies: suggestions and workflow use it, and deputies imports
suggestions, so a copy inside deputies made a cycle."""

import uuid

from django import forms
from django.http import JsonResponse

FIELD = "idempotency_key"
QUEUE_HEADER = "X-Renda-Queue"
# set by a view on a page that is the signed-in deputy's own (their entries, their archive):
# the worker keeps only those. Without it a keeper's pages under /work/deputies/ (群众留言 with
# names and phone numbers, the roster, another deputy's archive) stayed in the browser's cache
# storage after sign-out, readable offline by whoever used the browser next.
KEEP_HEADER = "X-Renda-Offline"


def add_key_field(form) -> None:
    """A hidden UUID made when the form is opened (offline.js makes a fresh one for each
    entry): the same entry sent twice is stored once. For a create form only."""
    form.fields[FIELD] = forms.UUIDField(
        required=False,
        initial=uuid.uuid4,
        widget=forms.HiddenInput,
        error_messages={"invalid": "表单标识无效，请刷新页面后重新填写。"},
    )


def move_key_error(form) -> None:
    """From `clean()`: a hidden field's error would not be shown beside it."""
    if FIELD in form._errors:
        form.add_error(None, list(form._errors.pop(FIELD)))


def keep_offline(response):
    """Let the worker keep this page for offline use: only for a page of the signed-in
    deputy's own (see KEEP_HEADER)."""
    response[KEEP_HEADER] = "keep"
    return response


def is_queued(request) -> bool:
    return request.headers.get(QUEUE_HEADER) == "1"


def stored(saved) -> JsonResponse:
    """A queued entry stored (or found stored under its idempotency key: a resend): 201 with
    the record, for the queue to drop the entry. One answer for every queued form."""
    return JsonResponse(
        {"id": saved.pk, "title": str(saved), "url": saved.get_absolute_url()},
        status=201,
        json_dumps_params={"ensure_ascii": False},
    )


def form_errors(form) -> JsonResponse:
    """A refused queued entry: the messages by field label, for the queue to show."""
    errors = {}
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors[str(label or "")] = [str(m) for m in messages]
    return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
