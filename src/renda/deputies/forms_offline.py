"""The idempotency key of a form the offline queue may send (views_offline.py): one field for
every such form (the activity, the contact, the suggestion draft)."""

import uuid

from django import forms

FIELD = "idempotency_key"


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
