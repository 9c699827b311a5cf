"""Personal data encrypted at rest: Person.mobile (renda.core.fields.EncryptedCharField)."""

from django.db import migrations

import renda.core.fields


def encrypt_existing(apps, schema_editor):
    # the values written in clear before this migration
    renda.core.fields.reencrypt(apps.get_model("core", "Person"), schema_editor.connection.alias)


def decrypt_existing(apps, schema_editor):
    renda.core.fields.store_clear(apps.get_model("core", "Person"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_signin"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="mobile",
            field=renda.core.fields.EncryptedCharField(
                blank=True, mask="mobile", max_length=20, verbose_name="手机号码"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
