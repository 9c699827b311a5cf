"""Trainings' participants become workflow.Participation rows (capacity 参训), and a
pre-study's case becomes a workflow.Link (涉及); the old table and columns go."""

from django.db import migrations

TRAINEE, CONCERNS = "trainee", "concerns"


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def forward(apps, schema_editor):
    TrainingParticipant = apps.get_model("party", "TrainingParticipant")
    PreStudy = apps.get_model("party", "PreStudy")
    Deputy = apps.get_model("core", "Deputy")
    Participation = apps.get_model("workflow", "Participation")
    Link = apps.get_model("workflow", "Link")

    rows = list(TrainingParticipant.objects.select_related("training"))
    if rows:
        training_type = content_type(apps, "party", "training")
        mandates = {}  # (person, congress) -> the latest mandates, for deputies' trainings
        for d in Deputy.objects.filter(person__in={r.person_id for r in rows}).order_by("elected_date", "id"):
            mandates.setdefault((d.person_id, d.congress_id), []).append(d)
        new = []
        for r in rows:
            t = r.training
            deputy = None
            if t.audience == "deputies":
                held = [d for d in mandates.get((r.person_id, t.congress_id), []) if d.elected_date <= t.start_date]
                deputy = held[-1].pk if held else None
            new.append(
                Participation(
                    person_id=r.person_id,
                    deputy_id=deputy,
                    capacity=TRAINEE,
                    content_type=training_type,
                    object_id=t.pk,
                    congress_id=t.congress_id,
                    on=t.start_date,
                    label=t.title[:200],
                    url=f"/work/party/training/{t.pk}/",
                )
            )
        Participation.objects.bulk_create(new, batch_size=500)

    studies = list(PreStudy.objects.filter(case_type__isnull=False, case_id__isnull=False))
    if studies:
        study_type = content_type(apps, "party", "prestudy")
        Link.objects.bulk_create(
            [
                Link(
                    from_type=study_type,
                    from_id=s.pk,
                    to_type_id=s.case_type_id,
                    to_id=s.case_id,
                    kind=CONCERNS,
                    congress_id=s.congress_id,
                    created_by_id=s.created_by_id,
                    created_at=s.created_at,
                )
                for s in studies
            ],
            ignore_conflicts=True,
        )


def backward(apps, schema_editor):
    TrainingParticipant = apps.get_model("party", "TrainingParticipant")
    PreStudy = apps.get_model("party", "PreStudy")
    Participation = apps.get_model("workflow", "Participation")
    Link = apps.get_model("workflow", "Link")
    ContentType = apps.get_model("contenttypes", "ContentType")

    training_type = ContentType.objects.filter(app_label="party", model="training").first()
    if training_type:
        rows = Participation.objects.filter(content_type=training_type, capacity=TRAINEE)
        TrainingParticipant.objects.bulk_create(
            [TrainingParticipant(training_id=r.object_id, person_id=r.person_id) for r in rows],
            ignore_conflicts=True,
        )
        rows.delete()
    study_type = ContentType.objects.filter(app_label="party", model="prestudy").first()
    if study_type:
        links = Link.objects.filter(from_type=study_type, kind=CONCERNS).order_by("id")
        for ln in links:  # a pre-study named one case
            PreStudy.objects.filter(pk=ln.from_id, case_id__isnull=True).update(
                case_type_id=ln.to_type_id, case_id=ln.to_id
            )
        links.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_append_only"),
        ("party", "0001_initial"),
        ("workflow", "0003_participants_links"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="training", name="participants"),
        migrations.RemoveField(model_name="prestudy", name="case_id"),
        migrations.RemoveField(model_name="prestudy", name="case_type"),
        migrations.DeleteModel(name="TrainingParticipant"),
    ]
