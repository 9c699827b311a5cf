from django.apps import AppConfig

from renda.manifest import Manifest, NavEntry, SittingVote


class AppointmentsConfig(AppConfig):
    name = "renda.appointments"
    label = "appointments"
    verbose_name = "人事任免"
    manifest = Manifest(
        order=57,
        nav=[
            NavEntry("人事任免", "appointments:index", roles=("admin", "staff", "director", "member", "unit")),
            NavEntry("任前法律考试", "appointments:my_exams"),
        ],
        urls="renda.appointments.urls",
        url_prefix="appointments/",
        sitting_transitions=["appointment_batch.open_votes"],
        sitting_votes={
            "appointment_batch.open_votes": SittingVote(
                close="decide", step="next_vote", ballots="renda.appointments.services.batch_ballots"
            )
        },
        case_types=["renda.appointments.cases.BATCH"],
        public_urls="renda.appointments.public_urls",
        public_prefix="appointments/",
        metrics=["renda.appointments.metrics"],
        demo="renda.appointments.demo.build",
    )

    def ready(self):
        from . import rules  # noqa: F401
