"""Django's flush, inside a maintenance window so that the append-only tables can be
emptied with everything else (a full wipe, never a single record)."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from renda.core.db import maintenance_window


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        with maintenance_window(connection):
            return super().handle(**options)
