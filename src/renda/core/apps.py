from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry


class CoreConfig(AppConfig):
    name = "renda.core"
    label = "core"
    verbose_name = "基础数据"

    manifest = Manifest(
        order=10,
        api_router="renda.core.api.router",
        urls="renda.core.urls",
        # downloads of stored files, each checked against its record (core.downloads)
        public_urls="renda.core.file_urls",
        public_prefix="files/",
        quick_actions="renda.core.views.quick_actions",
        demo="renda.demo.core.build",
        nav=[
            NavEntry("工作台", "workflow:workbench", roles=None, icon="home"),
            NavEntry("人大组织", "core:congress_list", roles=("admin", "staff", "director", "member")),
            NavEntry("机构", "core:body_list", roles=("admin", "staff", "director", "member")),
            NavEntry("常委会组成人员", "core:member_list", roles=("admin", "staff", "director", "member")),
            NavEntry("人大代表", "core:deputy_list", roles=("admin", "staff", "director", "member", "deputy")),
            NavEntry("承办单位", "core:unit_list", roles=("admin", "staff", "director", "member", "unit")),
            NavEntry("账号与角色", "core:account_list", roles=("admin", "staff", "unit")),
            NavEntry("操作记录", "core:audit_log", roles=("security", "auditor")),
            NavEntry("登录锁定", "core:lockouts", roles=("security",)),
        ],
    )

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import audit, rules  # noqa: F401  (registers the scoping rules)
        from .signin import start_session

        audit.connect()  # sign-ins, failures, lock-outs and sign-outs enter the audit log
        # the session's clocks (idle and absolute timeouts) start at sign-in
        user_logged_in.connect(lambda sender, request, user, **kw: start_session(request), weak=False)
