from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry

READERS = ("admin", "staff", "director", "member")


class DeputiesConfig(AppConfig):
    """Deputies' work (代表工作, issue 15): the roster over the term, the activities that make
    up each deputy's performance archive (履职档案), double contact, liaison stations."""

    name = "renda.deputies"
    label = "deputies"
    verbose_name = "代表工作"
    manifest = Manifest(
        # after meetings (67): its demo reads the observers the sittings recorded
        order=70,
        nav=[
            NavEntry("代表名册", "deputies:roster", roles=READERS),
            NavEntry("我的履职", "deputies:activities", roles=("deputy",)),
            NavEntry("履职活动确认", "deputies:queue", roles=("admin", "staff")),
            NavEntry("履职评价", "deputies:evaluation", roles=("admin", "staff", "director")),
            NavEntry("双联系", "deputies:contacts", roles=("deputy", "member", "director", "admin", "staff")),
            NavEntry("代表联络站", "deputies:stations", roles=READERS),
            NavEntry("群众留言", "deputies:messages", roles=("admin", "staff", "deputy", "unit")),
            NavEntry("代表述职", "deputies:reportbacks", roles=("admin", "staff", "director", "deputy")),
        ],
        metrics=["renda.deputies.metrics"],
        urls="renda.deputies.urls",
        url_prefix="deputies/",
        # the published archive summary, beside the portal's directory (/deputies/)
        public_urls="renda.deputies.public_urls",
        public_prefix="deputies/",
        demo="renda.deputies.demo.build",
    )

    def ready(self):
        from . import rules  # noqa: F401
