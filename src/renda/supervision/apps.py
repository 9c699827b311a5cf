from django.apps import AppConfig

from renda.manifest import Manifest

READERS = ("admin", "staff", "director", "member", "unit")


class SupervisionConfig(AppConfig):
    name = "renda.supervision"
    label = "supervision"
    verbose_name = "监督工作"
    manifest = Manifest(
        order=60,
        case_types=[
            "renda.supervision.cases.PLAN",
            "renda.supervision.cases.WORK_REPORT",
            "renda.supervision.cases.LAW_INSPECTION",
            "renda.supervision.cases.INVESTIGATION",
            "renda.supervision.cases.INQUIRY",
            "renda.supervision.cases.INTERPELLATION",
        ],
        metrics=["renda.supervision.metrics"],
        demo="renda.supervision.demo.build",
    )

    def ready(self):
        from . import rules  # noqa: F401
