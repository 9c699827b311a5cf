"""renda token create USERNAME [--name NAME]: an API token for an integrator's account
(a 12345 hotline, a city system). The secret is printed once; only its SHA-256 is kept."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from renda.core.models import User
from renda.core.services import issue_api_token


class Command(BaseCommand):
    help = "接口令牌：为账号签发新的接口令牌（只显示一次）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为账号签发新令牌并显示")
        create.add_argument("username", help="账号的用户名")
        create.add_argument("--name", default="接口对接", help="用途，如：12345热线（默认：接口对接）")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action)(**options)

    def do_create(self, username, name, **_):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的账号。", returncode=2)
        if not user.is_active:
            raise CommandError(f"账号“{username}”已停用，不能签发令牌。", returncode=2)
        name = name.strip()[:60]
        if not name:
            raise CommandError("用途不能为空。", returncode=2)
        token, secret = issue_api_token(user, name)
        self.stderr.write(
            f"已为“{user}”签发令牌（前缀 {token.prefix}，用途：{token.name}）。令牌只显示这一次，请妥善保存："
        )
        self.stdout.write(secret)
