from django.db import migrations

from renda.core.db import append_only, maintenance_table


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [maintenance_table(), append_only("core_auditentry")]
