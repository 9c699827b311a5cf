from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from renda.core.models import User
from renda.demo.context import DEMO_PASSWORD, DemoContext
from renda.manifest import load, manifests


class Command(BaseCommand):
    help = "Rebuild the demo year (Bayannur, 2020) from scratch, through Renda's services."

    def add_arguments(self, parser):
        parser.add_argument("--keep", action="store_true", help="do not empty the database first")
        parser.add_argument("--quiet", action="store_true", help="do not print the demo accounts")
        parser.add_argument("--only", default="", help="comma-separated app labels whose part to build (default: all)")

    def handle(self, *args, keep=False, quiet=False, only="", **options):
        wanted = {label.strip() for label in only.split(",") if label.strip()}
        if not keep:
            call_command("flush", interactive=False, verbosity=0)
        with transaction.atomic():
            admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, display_name="系统管理员")
            ctx = DemoContext(admin=admin)
            ctx.account("admin", "系统管理员（全部权限）")
            for label, manifest in manifests():
                if manifest.demo and (not wanted or label in wanted):
                    load(manifest.demo)(ctx)
            for step in ctx.later:
                step()
        if not quiet:
            self.stdout.write("演示数据已生成（巴彦淖尔市，2020年）。演示账号：")
            for username, password, description in ctx.accounts:
                self.stdout.write(f"  {username:<16} {password:<12} {description}")
