from django.db import migrations, models
from django.db.models import Count


def refuse_duplicates(apps, schema_editor):
    """Numbers given twice by the old Max+1 numbering (two registrations at once) must be
    settled by staff before the constraint can hold: say which, rather than fail on SQL."""
    Suggestion = apps.get_model("suggestions", "Suggestion")
    twice = (
        Suggestion.objects.exclude(number="")
        .values("congress_id", "number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("congress_id", "number")
    )
    if twice:
        listed = "；".join(f"人大{d['congress_id']}：{d['number']}（{d['n']}件）" for d in twice[:20])
        raise RuntimeError(f"以下建议编号重复，请先在数据库中更正（保留一件的编号，其余重新编号）后再迁移：{listed}")


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number", ""), _negated=True),
                fields=("congress", "number"),
                name="suggestion_unique_number",
            ),
        ),
    ]
