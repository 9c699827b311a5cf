from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry


class ProblemsConfig(AppConfig):
    name = "renda.problems"
    label = "problems"
    verbose_name = "问题清单台账"
    manifest = Manifest(
        order=35,
        # units see their own items (what they owe and by when)
        nav=[NavEntry("问题清单台账", "problems:index", roles=("admin", "staff", "director", "member", "unit"))],
        case_types=["renda.problems.cases.PROBLEM"],
        metrics=["renda.problems.metrics"],
        urls="renda.problems.urls",
        url_prefix="problems/",
    )

    def ready(self):
        from . import rules  # noqa: F401
