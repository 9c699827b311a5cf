"""`renda backup create [PATH]`, `renda backup verify PATH`, `renda backup restore PATH [--force]`:
the database and the uploaded files in one checksummed archive (logic in renda.core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from renda.core import backup


class Command(BaseCommand):
    help = "备份与恢复：数据库和上传文件，打包为一个带校验值的归档文件。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="write a backup archive (default var/backups/renda-<time>.tar.gz)")
        create.add_argument("path", nargs="?", help="archive path; .tar, .tar.gz/.tgz, .tar.bz2 or .tar.xz")
        verify = sub.add_parser("verify", help="check every checksum of an archive; changes nothing")
        verify.add_argument("path")
        restore = sub.add_parser("restore", help="verify, then replace the database and MEDIA_ROOT")
        restore.add_argument("path")
        restore.add_argument("--force", action="store_true", help="overwrite a database that holds data")
        for p in (create, verify, restore):
            p.add_argument("--database", default="default")

    def handle(self, *args, action, path=None, database="default", force=False, **options):
        try:
            if action == "create":
                report = backup.create(path, using=database)
            elif action == "verify":
                report = backup.verify(path)
            else:
                report = backup.restore(path, force=force, using=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        m = report.manifest
        files = sum(1 for name in m["members"] if name.startswith(f"{backup.MEDIA}/"))
        rows = sum(m["tables"].values())
        verb = {"create": "已备份", "verify": "校验通过", "restore": "已恢复"}[action]
        self.stdout.write(
            f"{verb}：{report.path}（{m['engine']}，{m['created_at']}，{len(m['tables'])}张表{rows}行，{files}个文件）"
        )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
