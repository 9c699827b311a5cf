from django.apps import AppConfig

from renda.manifest import Manifest


class WorkflowAppConfig(AppConfig):
    name = "workflow_app"
    label = "workflow_app"
    manifest = Manifest(order=900, case_types=["workflow_app.cases.PETITION"])

    def ready(self):
        from . import rules  # noqa: F401
