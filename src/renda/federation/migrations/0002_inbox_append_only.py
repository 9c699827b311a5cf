from django.db import migrations

from renda.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("federation", "0001_initial"), ("core", "0002_audit_append_only")]
    operations = [append_only("federation_inboundmessage")]
