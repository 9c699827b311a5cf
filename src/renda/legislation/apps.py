from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry


class LegislationConfig(AppConfig):
    name = "renda.legislation"
    label = "legislation"
    verbose_name = "地方立法"
    manifest = Manifest(
        order=55,
        nav=[NavEntry("地方立法", "legislation:index", roles=("admin", "staff", "director", "member"))],
        urls="renda.legislation.urls",
        url_prefix="legislation/",
        case_types=["renda.legislation.cases.BILL"],
        public_urls="renda.legislation.public_urls",
        public_prefix="legislation/",
        metrics=["renda.legislation.metrics"],
        demo="renda.legislation.demo.build",
    )

    def ready(self):
        from . import rules  # noqa: F401
