"""审议发言 live in meetings.Speech now (copied by meetings 0007): the old table goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_suptests_question_problem"),
        ("meetings", "0007_speeches_from_supervision"),
    ]

    operations = [migrations.DeleteModel(name="DeliberationSpeech")]
