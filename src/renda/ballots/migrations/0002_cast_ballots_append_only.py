from django.db import migrations

from renda.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("ballots", "0001_initial"), ("core", "0002_audit_append_only")]
    operations = [
        append_only("ballots_cast"),
        append_only("ballots_secretchoice"),
        append_only("ballots_namedchoice"),
    ]
