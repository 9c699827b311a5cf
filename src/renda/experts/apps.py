from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry

READERS = ("admin", "staff", "director", "member")


class ExpertsConfig(AppConfig):
    name = "renda.experts"
    label = "experts"
    verbose_name = "专家智库"
    manifest = Manifest(
        # before supervision (60), whose demo assigns these experts
        order=50,
        nav=[NavEntry("专家智库", "experts:list", roles=READERS)],
        metrics=["renda.experts.metrics"],
        urls="renda.experts.urls",
        url_prefix="experts/",
        demo="renda.experts.demo.build",
    )

    def ready(self):
        from . import rules  # noqa: F401
