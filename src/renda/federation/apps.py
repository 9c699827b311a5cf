from django.apps import AppConfig

from renda.manifest import Manifest


class FederationConfig(AppConfig):
    name = "renda.federation"
    label = "federation"
    verbose_name = "上下级联网"
    manifest = Manifest(order=35, api_router="renda.federation.api.router", api_prefix="/federation")

    def ready(self):
        from django.apps import apps

        from . import rules  # noqa: F401

        # The handlers of the modules that exchange messages: imported here, once every
        # app is loaded (the filing module itself imports its federation part lazily).
        if apps.is_installed("renda.filing"):
            from renda.filing import federation as _filing  # noqa: F401
