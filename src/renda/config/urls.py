"""The site's URLs: each module's work pages, public pages and API come from its manifest.
Errors: Chinese pages, JSON under /api/ (core/views/errors.py)."""

from django.urls import include, path

from renda.api.api import api
from renda.manifest import manifests


def grouped(urls):
    """The API's patterns under one include per first path segment.

    Django tries URL patterns in order and ninja gives one pattern per path (about 150, in
    manifest order): a path late in the list — a vote — was matched against every one before it
    (0.8 ms a request, a sixth of a vote's CPU). Grouped, it meets a few dozen prefixes, then its
    group's paths. Patterns of different literal first segments never match the same path, so
    the order that matters (within a segment) is kept."""
    patterns, app_name, namespace = urls
    grouped_patterns, groups = [], {}
    for pattern in patterns:
        head, slash, rest = str(pattern.pattern).partition("/")
        if not slash or "<" in head:
            grouped_patterns.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            grouped_patterns.append(path(f"{head}/", include(groups[head])))
        groups[head].append(path(rest, pattern.callback, pattern.default_args, pattern.name))
    return grouped_patterns, app_name, namespace


# the API first: its prefix fails fast for every page, and an API request skips the pages' lists
urlpatterns = [path("api/", grouped(api.urls)), path("accounts/", include("renda.core.auth_urls"))]
for _, manifest in manifests():
    if manifest.urls:
        urlpatterns.append(path(f"work/{manifest.url_prefix}", include(manifest.urls)))
    if manifest.public_urls:
        urlpatterns.append(path(manifest.public_prefix, include(manifest.public_urls)))

handler400 = "renda.core.views.errors.bad_request"
handler403 = "renda.core.views.errors.permission_denied"
handler404 = "renda.core.views.errors.page_not_found"
handler500 = "renda.core.views.errors.server_error"
