"""meetings.Speech becomes the platform's one speech model: the case spoken on (generic key),
the congress, the day spoken; the sitting may be empty (supervision items deliberated outside
a sitting). Existing rows get their congress and day from their sitting, their case from
their agenda item."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    Speech = apps.get_model("meetings", "Speech")
    for s in Speech.objects.select_related("sitting__term", "item"):
        s.congress_id = s.sitting.term.congress_id
        s.spoken_on = s.sitting.start_date
        if s.item_id:
            s.content_type_id, s.object_id = s.item.content_type_id, s.item.object_id
        s.save(update_fields=["congress", "spoken_on", "content_type", "object_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0007_committee_meeting"),
        ("meetings", "0005_attendance_remote"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="speech",
            name="content_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="speech",
            name="object_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="speech",
            name="congress",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.congress"
            ),
        ),
        migrations.AddField(
            model_name="speech",
            name="spoken_on",
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name="发言日期"),
        ),
        migrations.AlterField(
            model_name="speech",
            name="sitting",
            field=models.ForeignKey(
                blank=True,
                help_text="在会外审议的监督事项可不指定会议",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="speeches",
                to="core.committeemeeting",
                verbose_name="会议",
            ),
        ),
        migrations.AlterField(
            model_name="speech",
            name="recorded_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["content_type", "object_id"], name="speech_case"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="speech",
            name="congress",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.congress"),
        ),
    ]
