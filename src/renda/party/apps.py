from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry

READERS = ("admin", "staff", "director", "member")


class PartyConfig(AppConfig):
    name = "renda.party"
    label = "party"
    verbose_name = "党的领导与自身建设"
    manifest = Manifest(
        order=30,
        nav=[NavEntry("党建与自身建设", "party:index", roles=READERS)],
        metrics=["renda.party.metrics"],
        urls="renda.party.urls",
        url_prefix="party/",
        demo="renda.party.demo.build",
    )

    def ready(self):
        from . import rules  # noqa: F401
