from django.core.management.base import BaseCommand, CommandError

from renda.core.services import congress_for_command
from renda.filing import report


class Command(BaseCommand):
    help = "备案审查：`renda filing report --year 2020 --format md|docx [--output 文件]` 生成年度备案审查工作情况报告。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        r = sub.add_parser("report", help="the annual report on filing and review (备案审查工作情况报告)")
        r.add_argument("--year", type=int, required=True)
        r.add_argument("--format", choices=["md", "docx"], default="md")
        r.add_argument("--output", help="file to write (default: standard output for md)")
        r.add_argument("--congress", help="congress code (default: the deployment's root congress)")

    def handle(self, *args, action, **options):
        congress = congress_for_command(options["congress"])
        data, _, _ = report.render(report.build(congress, options["year"]), options["format"])
        if options["output"]:
            with open(options["output"], "wb") as f:
                f.write(data)
            self.stderr.write(f"已写入 {options['output']}")
        elif options["format"] == "md":
            self.stdout.write(data.decode())
        else:
            raise CommandError("Word 格式需要 --output 指定文件。")
