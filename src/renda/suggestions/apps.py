from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry


class SuggestionsConfig(AppConfig):
    name = "renda.suggestions"
    label = "suggestions"
    verbose_name = "代表建议"
    manifest = Manifest(
        order=40,
        nav=[
            NavEntry("代表建议", "suggestions:index", roles=None),
        ],
        case_types=["renda.suggestions.cases.SUGGESTION"],
        metrics=["renda.suggestions.metrics"],
        urls="renda.suggestions.urls",
        url_prefix="suggestions/",
        demo="renda.suggestions.demo.build",
        quick_actions="renda.suggestions.views.quick_actions",
        warm_up=["renda.suggestions.routing.warm_up"],
    )

    def ready(self):
        from . import rules  # noqa: F401
