"""Personal data of review proposals: the contact and address encrypted at rest
(renda.core.fields.EncryptedCharField); when the contact was erased (core.personal)."""

from django.db import migrations, models

import renda.core.fields


def encrypt_existing(apps, schema_editor):
    # the values written in clear before this migration
    renda.core.fields.reencrypt(apps.get_model("filing", "ReviewProposal"), schema_editor.connection.alias)


def decrypt_existing(apps, schema_editor):
    renda.core.fields.store_clear(apps.get_model("filing", "ReviewProposal"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("filing", "0002_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewproposal",
            name="erased_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="联系方式删除时间"),
        ),
        migrations.AlterField(
            model_name="reviewproposal",
            name="address",
            field=renda.core.fields.EncryptedCharField(
                blank=True, mask="address", max_length=200, verbose_name="通信地址"
            ),
        ),
        migrations.AlterField(
            model_name="reviewproposal",
            name="contact",
            field=renda.core.fields.EncryptedCharField(max_length=80, verbose_name="联系方式"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
