"""renda unlock [--username NAME] [--ip ADDRESS]: lifts a sign-in lock-out (django-axes) of an
account, of an address, or both, before the 15 minutes are up (core.signin.unlock)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from renda.core.signin import unlock


class Command(BaseCommand):
    help = "解除登录锁定：按账号、按地址或两者。"

    def add_arguments(self, parser):
        parser.add_argument("--username", help="被锁定的用户名")
        parser.add_argument("--ip", help="被锁定的IP地址")

    def handle(self, *args, username=None, ip=None, **options):
        if not username and not ip:
            raise CommandError("请指定 --username 或 --ip（或两者）。", returncode=2)
        removed = unlock(username=username, ip=ip)
        self.stdout.write(f"已解除锁定，清除失败记录{removed}条。")
