"""The minutes (会议纪要) and the attendance sheet (出席情况表) of a sitting, as Word or PDF:
generated per request from the records (meetings/minutes.py), never stored. Who may read the
sitting's page may download them (`views._sitting`: the oversight roles of its congress; the
others get the same 404 as for a sitting that does not exist)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from renda.core.downloads import generated_response

from . import minutes
from .views import _sitting, sitting_url

RENDER = {
    ("minutes", "docx"): minutes.minutes_docx,
    ("minutes", "pdf"): minutes.minutes_pdf,
    ("attendance", "docx"): minutes.sheet_docx,
    ("attendance", "pdf"): minutes.sheet_pdf,
}


def _download(request, pk, what: str, fmt: str):
    s = _sitting(request, pk)
    try:
        doc = minutes.minutes(s, request.user) if what == "minutes" else minutes.attendance_sheet(s)
    except ValidationError as exc:  # the roll cannot be built (a member without an account)
        messages.error(request, "无法生成：" + "；".join(exc.messages))
        return redirect(sitting_url(s))
    return generated_response(RENDER[(what, fmt)](doc), f"{doc.title}.{fmt}")


@require_safe
@login_required
def minutes_docx(request, pk):
    return _download(request, pk, "minutes", "docx")


@require_safe
@login_required
def minutes_pdf(request, pk):
    return _download(request, pk, "minutes", "pdf")


@require_safe
@login_required
def attendance_docx(request, pk):
    return _download(request, pk, "attendance", "docx")


@require_safe
@login_required
def attendance_pdf(request, pk):
    return _download(request, pk, "attendance", "pdf")
