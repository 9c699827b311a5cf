from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry, SittingVote

READERS = ("admin", "staff", "director", "member", "unit")


class SupervisionConfig(AppConfig):
    name = "renda.supervision"
    label = "supervision"
    verbose_name = "监督工作"
    manifest = Manifest(
        order=60,
        nav=[
            NavEntry("监督工作", "supervision:index", roles=("admin", "staff", "director", "member")),
            NavEntry("会前阅读", "supervision:reading", roles=("member", "director")),
            NavEntry("年度监督计划", "supervision:plans", roles=("admin", "staff", "director", "member")),
            NavEntry("监督事项待办", "supervision:dues", roles=("unit",)),
        ],
        urls="renda.supervision.urls",
        url_prefix="supervision/",
        sitting_transitions=[
            "work_report.deliberate",
            "work_report.deliberate_response",
            "work_report.open_vote",
            "law_inspection.open_vote",
            "investigation.open_vote",
            "inquiry.open_vote",
            "law_inspection.deliberate",
            "law_inspection.deliberate_response",
            "inquiry.hold",
        ],
        # the satisfaction vote (SUP-8) of the deliberation loop every kind of item shares
        sitting_votes={
            f"{kind}.open_vote": SittingVote(close="close_vote")
            for kind in ("work_report", "law_inspection", "investigation", "inquiry")
        },
        case_types=[
            "renda.supervision.cases.PLAN",
            "renda.supervision.cases.WORK_REPORT",
            "renda.supervision.cases.LAW_INSPECTION",
            "renda.supervision.cases.INVESTIGATION",
            "renda.supervision.cases.INQUIRY",
            "renda.supervision.cases.INTERPELLATION",
        ],
        public_urls="renda.supervision.public_urls",
        public_prefix="supervision/",
        metrics=["renda.supervision.metrics"],
        demo="renda.supervision.demo.build",
    )

    def ready(self):
        from . import rules  # noqa: F401
