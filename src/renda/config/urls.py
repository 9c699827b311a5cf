"""The site's URLs: each module's work pages, public pages and API come from its manifest.
Errors: Chinese pages, JSON under /api/ (core/views/errors.py)."""

from django.urls import include, path

from renda.api.api import api
from renda.manifest import manifests

urlpatterns = [path("accounts/", include("renda.core.auth_urls"))]
for _, manifest in manifests():
    if manifest.urls:
        urlpatterns.append(path(f"work/{manifest.url_prefix}", include(manifest.urls)))
    if manifest.public_urls:
        urlpatterns.append(path(manifest.public_prefix, include(manifest.public_urls)))
urlpatterns.append(path("api/", api.urls))

handler400 = "renda.core.views.errors.bad_request"
handler403 = "renda.core.views.errors.permission_denied"
handler404 = "renda.core.views.errors.page_not_found"
handler500 = "renda.core.views.errors.server_error"
