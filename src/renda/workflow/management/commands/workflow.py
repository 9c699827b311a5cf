from django.core.management.base import BaseCommand, CommandError

from renda.workflow import registry
from renda.workflow.tasks import escalate_overdue, send_reminders


class Command(BaseCommand):
    help = "Case types: list them, draw a state diagram, or run the deadline jobs now."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="list the registered case types")
        diagram = sub.add_parser("diagram", help="print a case type's state diagram")
        diagram.add_argument("case_type")
        diagram.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
        sub.add_parser("deadlines", help="send reminders and escalate overdue cases now")

    def handle(self, *args, action, **options):
        if action == "list":
            for ct in registry.case_types():
                self.stdout.write(f"{ct.key}\t{ct.label}\t{len(ct.states)} states, {len(ct.transitions)} transitions")
        elif action == "diagram":
            try:
                ct = registry.get(options["case_type"])
            except KeyError:
                raise CommandError(f"未知的案件类型：{options['case_type']}") from None
            self.stdout.write(ct.mermaid() if options["format"] == "mermaid" else ct.dot())
        else:
            self.stdout.write(f"reminded={send_reminders()} escalated={escalate_overdue()}")
