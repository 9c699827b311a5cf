from django.apps import AppConfig

from renda.manifest import Manifest


class BallotsConfig(AppConfig):
    name = "renda.ballots"
    label = "ballots"
    verbose_name = "表决"

    manifest = Manifest(
        order=25,
        api_router="renda.ballots.api.router",
        api_prefix="/ballots",
        urls="renda.ballots.urls",
        url_prefix="ballots/",
    )

    def ready(self):
        from . import rules  # noqa: F401
