"""The audit log becomes a hash chain (core/audit.py): seq, prev_hash, hash and the address
of security events on each entry, and the one-row chain head. The rows already there are
chained in their order of writing (personal values a Person's entries held are replaced by
a marker first); the append-only triggers are dropped around that (and
around the table rebuild SQLite does to add columns) and created again at the end."""

from django.db import migrations, models

from renda.core.db import append_only, without_append_only

TABLE = "core_auditentry"


def chain_existing(apps, schema_editor):
    from renda.core.audit import HASHED, REDACTED, entry_hash, head_mac
    from renda.core.models import Person

    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    prev, seq = "", 0
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        seq += 1
        entry.seq, entry.prev_hash = seq, prev
        if entry.model == "core.Person":  # personal data written before the log left it out
            entry.changes = {k: REDACTED if k in Person.personal_fields else v for k, v in entry.changes.items()}
        entry.hash = entry_hash({name: getattr(entry, name) for name in HASHED}, prev)
        AuditEntry.objects.filter(pk=entry.pk).update(seq=seq, prev_hash=prev, hash=entry.hash, changes=entry.changes)
        prev = entry.hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev, "mac": head_mac(seq, prev)})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_numbering")]

    operations = [
        without_append_only(TABLE),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(blank=True, max_length=64)),
                ("mac", models.CharField(blank=True, max_length=64)),
            ],
            options={"verbose_name": "操作记录链尾", "verbose_name_plural": "操作记录链尾"},
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["-seq"], "verbose_name": "操作记录", "verbose_name_plural": "操作记录"},
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="ip",
            field=models.CharField(blank=True, max_length=45, verbose_name="地址"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, unique=True, verbose_name="序号"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(db_index=True, max_length=40),
        ),
        migrations.AlterField(
            model_name="roleassignment",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "系统管理员"),
                    ("staff", "机关工作人员"),
                    ("director", "主任会议成员"),
                    ("member", "常委会组成人员"),
                    ("deputy", "人大代表"),
                    ("unit", "承办单位工作人员"),
                    ("security", "安全管理员"),
                    ("auditor", "审计管理员"),
                ],
                max_length=12,
                verbose_name="角色",
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["model", "object_id"], name="audit_object"),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        append_only(TABLE),
    ]
