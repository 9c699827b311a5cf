from django.apps import AppConfig

from renda.manifest import Manifest


class PortalConfig(AppConfig):
    name = "renda.portal"
    label = "portal"
    verbose_name = "门户网站"
    manifest = Manifest(order=90, public_urls="renda.portal.urls")
