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
        metrics=["renda.meetings.metrics"],
        # after every builder (ctx.later): the sittings, members and deputies come from the others;
        # the modules' demos take each sitting's roll when they first vote there (meetings.demo)
        demo="renda.meetings.demo.build",
    )

    def ready(self):
        from renda.ballots.signals import ballot_opening

        from . import hall, rules  # noqa: F401

        # quorum before any vote on a case on a sitting's agenda (ballots does not know meetings)
        ballot_opening.connect(hall.check_quorum, dispatch_uid="meetings.hall.check_quorum")
