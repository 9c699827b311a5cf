from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry, SittingVote


class DecisionsConfig(AppConfig):
    name = "renda.decisions"
    label = "decisions"
    verbose_name = "决议决定"
    manifest = Manifest(
        order=65,  # its demo votes at the sittings the supervision demo (60) creates
        nav=[NavEntry("决议决定", "decisions:index", roles=("admin", "staff", "director", "member"))],
        urls="renda.decisions.urls",
        url_prefix="decisions/",
        sitting_transitions=["resolution.open_vote"],
        sitting_votes={"resolution.open_vote": SittingVote(close="close_vote")},
        case_types=["renda.decisions.cases.RESOLUTION"],
        public_urls="renda.decisions.public_urls",
        public_prefix="decisions/",
        metrics=["renda.decisions.metrics"],
        demo="renda.decisions.demo.build",
    )

    def ready(self):
        from . import rules  # noqa: F401
