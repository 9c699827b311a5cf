"""`Idempotency-Key`: a retried write acts once.

The first successful answer to (account, key) is stored with the request's method, path
and a fingerprint of its content, in the same transaction as the write itself: a crash
leaves neither. A retry with the same key and the same request gets that answer again
(header `Idempotent-Replayed: true`); the same key with another request is refused
(422). Failed attempts are not stored, so a client may correct and retry. Keys expire
after 24 hours (deleted lazily by the next keyed request).
"""

from __future__ import annotations

import hashlib
import json
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # printable ASCII, as clients generate them (UUIDs)


def fingerprint(request) -> str:
    """The request's content, independent of how a client encodes it (JSON key order,
    multipart boundaries)."""
    digest = hashlib.sha256()
    if (request.content_type or "").startswith(("multipart/", "application/x-www-form-urlencoded")):
        try:
            fields, files = sorted(request.POST.lists()), sorted(request.FILES.lists())
        except MultiPartParserError:  # refused when served (422), and then not stored
            return "unreadable"
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
        for name, uploads in files:
            for upload in uploads:
                digest.update(f"\0{name}\0{upload.name}\0{upload.size}\0".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
        return digest.hexdigest()
    try:
        digest.update(json.dumps(json.loads(request.body or b"{}"), sort_keys=True).encode())
    except ValueError:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(stored: IdempotencyKey, target: str, print_: str) -> HttpResponse:
    if stored.request != target or stored.fingerprint != print_:
        raise ValidationError(
            {HEADER: ["该 Idempotency-Key 已用于另一个请求；重试时请求内容必须相同，新的请求请使用新的键。"]}
        )
    response = JsonResponse(
        stored.response, status=stored.status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Idempotent-Replayed"] = "true"
    return response


def once(request, handler, check=None) -> HttpResponse:
    """Serve a write through `handler() -> HttpResponse`, at most once per key. `check()`
    (may raise 403/404) runs before the request's content is read, unless the key was
    already served: a retry gets its answer even if the write changed what the caller
    may see (a unit that returned a case)."""
    key = request.headers.get(HEADER)
    if key is None or not request.user.is_authenticated:
        if check:
            check()
        return handler()
    if not KEY.match(key):
        raise ValidationError({HEADER: ["Idempotency-Key 应为 1 至 100 个可打印 ASCII 字符（建议使用 UUID）。"]})
    IdempotencyKey.objects.expired().delete()
    stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if stored is None and check:
        check()
    target, print_ = f"{request.method} {request.path}"[:300], fingerprint(request)
    if stored is not None:
        return _replay(stored, target, print_)
    try:
        with transaction.atomic():
            response = handler()
            if 200 <= response.status_code < 300:
                IdempotencyKey.objects.create(
                    user=request.user,
                    key=key,
                    request=target,
                    fingerprint=print_,
                    status=response.status_code,
                    response=json.loads(response.content),
                )
    except IntegrityError:
        # the same key served at the same moment by another process: its write stands, ours is undone
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored is None:
            raise
        return _replay(stored, target, print_)
    if response.status_code >= 300:
        # refused because a concurrent twin changed the case first: answer as the twin did
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored is not None:
            return _replay(stored, target, print_)
    return response
