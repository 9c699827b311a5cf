from django.core.management.base import BaseCommand

from renda.core.orphans import orphans, remove_orphans


class Command(BaseCommand):
    help = "Stored files: list (or delete) uploads that no record references."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        found = sub.add_parser("orphans", help="files under MEDIA_ROOT no record references")
        found.add_argument("--delete", action="store_true", help="delete them")
        found.add_argument(
            "--older-than-hours",
            type=float,
            default=None,
            help="only files older than this (default RENDA_ORPHAN_GRACE_HOURS, 24)",
        )

    def handle(self, *args, action, **options):
        hours = options["older_than_hours"]
        listed = remove_orphans(hours) if options["delete"] else orphans(hours)
        for o in listed:
            self.stdout.write(f"{o.name}\t{o.size}\t{o.age_hours:.1f}h")
        verb = "已删除" if options["delete"] else "未被引用"
        self.stdout.write(f"{verb}的文件：{len(listed)}个，共{sum(o.size for o in listed)}字节")
