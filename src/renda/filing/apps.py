from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry


class FilingConfig(AppConfig):
    name = "renda.filing"
    label = "filing"
    verbose_name = "备案审查"
    manifest = Manifest(
        order=30,
        nav=[
            NavEntry("备案审查", "filing:index", roles=("admin", "staff", "director", "member", "unit")),
        ],
        case_types=["renda.filing.cases.FILING", "renda.filing.cases.REVIEW_PROPOSAL"],
        metrics=["renda.filing.metrics"],
        urls="renda.filing.urls",
        url_prefix="filing/",
        public_urls="renda.filing.public_urls",
        public_prefix="filing/",
        api_router="renda.filing.api.router",
        api_prefix="/filing",
        demo="renda.filing.demo.build",
        warm_up=["renda.assist.lawindex.load_index"],  # the formal check and citations
    )

    def ready(self):
        from . import rules  # noqa: F401
