from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry


class ReportsConfig(AppConfig):
    name = "renda.reports"
    label = "reports"
    verbose_name = "统计与综述"
    manifest = Manifest(
        order=80,
        nav=[
            NavEntry("数据看板", "reports:dashboard", roles=("admin", "staff", "director", "member")),
            NavEntry("工作综述", "reports:summary", roles=("admin", "staff", "director", "member")),
            NavEntry("指标定义", "reports:metric_list", roles=("admin", "staff", "director", "member")),
        ],
        api_router="renda.reports.api.router",
        api_prefix="",
        urls="renda.reports.urls",
        url_prefix="reports/",
        warm_up=["renda.reports.documents.warm_up"],  # the summary's PDF
    )
