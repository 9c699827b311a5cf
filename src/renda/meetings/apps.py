from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry


class MeetingsConfig(AppConfig):
    name = "renda.meetings"
    label = "meetings"
    verbose_name = "会议"
    manifest = Manifest(
        order=67,
        nav=[NavEntry("会议", "meetings:index", roles=("admin", "staff", "director", "member"))],
        urls="renda.meetings.urls",
        url_prefix="meetings/",
    )

    def ready(self):
        from . import rules  # noqa: F401
