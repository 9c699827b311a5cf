from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry, SittingVote


class LegislationConfig(AppConfig):
    name = "renda.legislation"
    label = "legislation"
    verbose_name = "地方立法"
    manifest = Manifest(
        order=55,
        nav=[
            NavEntry("地方立法", "legislation:index", roles=("admin", "staff", "director", "member")),
            NavEntry("立法计划", "legislation:plans", roles=("admin", "staff", "director", "member")),
            NavEntry("立法项目建议", "legislation:needs", roles=("unit",)),
        ],
        urls="renda.legislation.urls",
        url_prefix="legislation/",
        sitting_transitions=["bill.read", "bill.open_vote"],
        sitting_votes={"bill.open_vote": SittingVote(close="close_vote")},
        case_types=[
            "renda.legislation.cases.BILL",
            "renda.legislation.plan_cases.LEGISLATIVE_PLAN",
            "renda.legislation.plan_cases.LEGISLATIVE_NEED",
        ],
        public_urls="renda.legislation.public_urls",
        public_prefix="legislation/",
        metrics=["renda.legislation.metrics", "renda.legislation.plan_metrics"],
        demo="renda.legislation.demo.build",
    )

    def ready(self):
        from . import plan_rules, rules  # noqa: F401
