"""Every supervision.DeliberationSpeech becomes a meetings.Speech (the one speech model); the
next supervision migration drops the old table. A speech at a sitting on a case that is on
the sitting's agenda gets that agenda item (the first by order). 通报 on a day becomes
circulated at that day's office hours. Reverse: nothing to undo (the old rows are still
there until supervision 0003; reversing that recreates an empty table)."""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))  # clock.OFFICE_HOURS


def copy(apps, schema_editor):
    Old = apps.get_model("supervision", "DeliberationSpeech")
    Speech = apps.get_model("meetings", "Speech")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    for old in Old.objects.order_by("pk").iterator():
        item = None
        if old.sitting_id:
            item = (
                AgendaItem.objects.filter(
                    sitting_id=old.sitting_id, content_type_id=old.content_type_id, object_id=old.object_id
                )
                .order_by("order", "id")
                .first()
            )
        Speech.objects.create(
            sitting_id=old.sitting_id,
            item=item,
            content_type_id=old.content_type_id,
            object_id=old.object_id,
            congress_id=old.congress_id,
            speaker_id=old.speaker_id,
            deputy_id=old.deputy_id,
            spoken_on=old.spoken_on,
            text=old.text,
            recorded_by_id=old.recorded_by_id,
            recorded_at=_at(old.spoken_on),
            circulated_at=_at(old.circulated_on) if old.circulated_on else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_speech_case_congress_spoken_on"),
        ("supervision", "0002_suptests_question_problem"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
