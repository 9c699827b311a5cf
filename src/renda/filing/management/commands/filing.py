from django.core.management.base import BaseCommand, CommandError

from renda.core.models import Congress
from renda.core.services import root_congress
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
        code = options["congress"]
        congress = Congress.objects.filter(code=code).first() if code else root_congress()
        if congress is None:
            raise CommandError(f"没有区划代码为 {code} 的人大。" if code else "尚未设立人大：请先运行 renda load_demo 或创建本级人大。")
        data, _, _ = report.render(report.build(congress, options["year"]), options["format"])
        if options["output"]:
            with open(options["output"], "wb") as f:
                f.write(data)
            self.stderr.write(f"已写入 {options['output']}")
        elif options["format"] == "md":
            self.stdout.write(data.decode())
        else:
            raise CommandError("Word 格式需要 --output 指定文件。")
