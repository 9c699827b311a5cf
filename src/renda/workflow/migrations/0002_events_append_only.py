from django.db import migrations

from renda.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial"), ("core", "0002_audit_append_only")]
    operations = [append_only("workflow_event"), append_only("workflow_eventattachment")]
