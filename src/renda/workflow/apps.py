from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry


class WorkflowConfig(AppConfig):
    name = "renda.workflow"
    label = "workflow"
    verbose_name = "流程"

    manifest = Manifest(
        order=20,
        api_router="renda.workflow.api.router",
        api_routers=[("/cases", "renda.workflow.caseapi.router")],
        urls="renda.workflow.urls",
        nav=[
            NavEntry("流程图", "workflow:case_types", roles=("admin", "staff", "director")),
            NavEntry("工作日历", "workflow:calendar", roles=("admin", "staff")),
        ],
    )

    def ready(self):
        from . import rules  # noqa: F401
        from .registry import load_case_types

        load_case_types()
