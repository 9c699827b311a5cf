from django.core.management.base import BaseCommand, CommandError

from renda.core.audit import verify


class Command(BaseCommand):
    help = "The audit log: verify its hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="walk the chain; exit 1 at the first broken entry")
        check.add_argument("--chunk", type=int, default=2000, help="entries read per query (default 2000)")

    def handle(self, *args, action, **options):
        finding = verify(chunk=max(1, options["chunk"]))
        if not finding.ok:
            raise CommandError(str(finding), returncode=1)
        self.stdout.write(str(finding))
