from django.core.management.base import BaseCommand, CommandError

from renda.core.services import congress_for_command
from renda.reports import summary
from renda.reports.views import render_bytes


class Command(BaseCommand):
    help = "Reports from the records: `renda report summary --year 2020 --format md|html|docx|pdf`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        s = sub.add_parser("summary", help="the year's work summary (工作综述)")
        s.add_argument("--year", type=int, required=True)
        s.add_argument("--format", choices=["md", "html", "docx", "pdf"], default="md")
        s.add_argument("--output", help="file to write (default: standard output for md/html)")
        s.add_argument("--congress", help="congress code (default: the deployment's root congress)")
        s.add_argument("--include-lower", action="store_true", help="count the congresses below it too")

    def handle(self, *args, report, **options):
        congress = congress_for_command(options["congress"])
        doc = summary.build(congress, options["year"], include_lower=options["include_lower"])
        data, _ = render_bytes(doc, options["format"])
        if options["output"]:
            with open(options["output"], "wb") as f:
                f.write(data)
            self.stderr.write(f"已写入 {options['output']}")
        elif options["format"] in ("md", "html"):
            self.stdout.write(data.decode())
        else:
            raise CommandError("Word 和 PDF 格式需要 --output 指定文件。")
