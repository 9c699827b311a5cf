"""The deputy's pages as an installable web app that works offline (issue 15 item 7).

- `service_worker`: /work/deputies/sw.js, rendered (not a static file) so that it names the
  assets by their hashed static URLs; served with `Service-Worker-Allowed: /work/` so its scope
  can be /work/ — the start page (the workbench), the deputy's pages under /work/deputies/ and
  the login redirect target. It caches the assets and the pages a view marks as the signed-in
  deputy's own (core.offline.keep_offline), and answers from the cache when the network is
  gone; its code is the static file deputies/sw.js, after a CONFIG line.
- `manifest`: the web app manifest (代表履职, start_url the workbench, local PNG icons).
- `token`: a fresh CSRF token as JSON, fetched by the offline queue right before it sends
  entries: a page opened from the cache may carry a token that no longer matches the cookie
  (rotated at sign-in), and the call also tells whether the session is still alive.

The queue itself (static/deputies/offline.js) keeps entries in IndexedDB and posts them to the
ordinary form — the activity, the contact with constituents, the new suggestion draft — with
`X-Renda-Queue: 1`; the form's view then answers in JSON, and the idempotency key makes a
resend store nothing new: that part (`is_queued`, `stored`, `form_errors`, the key field, the
keep marker `keep_offline`) is the platform's, in core/offline.py."""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from renda.core.offline import KEEP_HEADER
from renda.core.scoping import actor_of

# the scope the worker may claim: the start page /work/ and everything below it; the worker
# itself only answers for the deputy's pages (PAGES) and the static files, the rest goes to
# the network untouched
SCOPE = "/work/"
ASSETS = (
    "renda/renda.css",
    "renda/renda.js",
    "renda/icon.svg",
    "deputies/offline.js",
    "deputies/icon-192.png",
    "deputies/icon-512.png",
)


def _pages() -> list[str]:
    """The pages cached when the worker is installed (others — the archive, an entry — are
    cached as they are visited), each only if its view marks it (`keep_offline`). The start
    page (the workbench) is marked only for a user who is a deputy and nothing else: a
    keeper's shows others' cases."""
    return [
        reverse("workflow:workbench"),
        reverse("deputies:activities"),
        reverse("deputies:activity_create"),
        reverse("deputies:contact_create"),
        reverse("suggestions:create"),
    ]


@lru_cache(maxsize=1)
def _worker_code() -> str:
    path = finders.find("deputies/sw.js")
    return Path(path).read_text(encoding="utf-8")


@require_GET
def service_worker(request):
    config = {
        "assets": [static(a) for a in ASSETS],
        "pages": _pages(),
        "start": reverse("workflow:workbench"),
        # the pages the worker answers for besides the start page (kept only when marked)
        "prefixes": ["/work/deputies/", reverse("suggestions:create")],
        "skip": [reverse("deputies:sw"), reverse("deputies:webmanifest"), reverse("deputies:token")],
        "static": static(""),
        "form": reverse("deputies:activity_create"),
        "keep": KEEP_HEADER,
    }
    code = _worker_code()
    # a new version (new asset hashes, new code) makes the browser install the worker again
    # and drop the old cache
    config["version"] = hashlib.sha256((json.dumps(config) + code).encode()).hexdigest()[:12]
    body = f"var CONFIG = {json.dumps(config, ensure_ascii=False)};\n{code}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = SCOPE
    # the browser checks for a new worker on every navigation; never serve a stale one
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": "代表履职",
        "short_name": "代表履职",
        "description": "人大代表登记履职活动、查看履职档案；离线时先保存，联网后自动发送。",
        "lang": "zh-CN",
        # the deputy's own list: a page the worker keeps, so the app opens offline
        "start_url": reverse("deputies:activities"),
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [
            {"src": static("deputies/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("deputies/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("renda/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@login_required
@require_GET
def token(request):
    """A fresh CSRF token for the offline queue (see the module's docstring), and who is
    signed in: a page opened from the cache may be another account's (a shared phone), whose
    entries must not be sent under this one."""
    response = JsonResponse(
        {"token": get_token(request), "deputy": bool(actor_of(request.user).deputy_ids), "user": request.user.pk}
    )
    response["Cache-Control"] = "no-store"
    return response
