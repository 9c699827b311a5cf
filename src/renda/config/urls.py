"""The site's URLs: each module's work pages, public pages and API come from its manifest."""

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
