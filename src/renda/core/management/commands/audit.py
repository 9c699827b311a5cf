from django.core.management.base import BaseCommand, CommandError

from renda.core.audit import verify
from renda.core.models import AuditEntry


class Command(BaseCommand):
    help = "The audit log: verify its hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="walk the chain; exit 1 at the first broken entry")
        check.add_argument("--chunk", type=int, default=2000, help="entries read per query (default 2000)")
        check.add_argument(
            "--anchor",
            metavar="SEQ:HASH",
            help="the last line of an earlier run, kept off this host: the chain must still hold that entry "
            "(a log cut back to an older head verifies on its own)",
        )

    def handle(self, *args, action, **options):
        finding = verify(chunk=max(1, options["chunk"]))
        if not finding.ok:
            raise CommandError(str(finding), returncode=1)
        if options["anchor"]:
            seq, _, digest = options["anchor"].partition(":")
            if not seq.isdigit() or not digest:
                raise CommandError("--anchor 应为 序号:哈希（上次核验输出的末行）。", returncode=2)
            stored = AuditEntry.objects.filter(seq=int(seq)).values_list("hash", flat=True).first()
            if stored != digest:
                raise CommandError(
                    f"操作记录链与上次核验的记录不符：第 {seq} 条"
                    + ("已不存在（记录链被截短）。" if stored is None else "的哈希已改变。"),
                    returncode=1,
                )
        self.stdout.write(str(finding))
        head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        if head:  # kept off the host (syslog, the monitoring system) and given back as --anchor
            self.stdout.write(f"{head[0]}:{head[1]}")
