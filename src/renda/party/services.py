from django.db import transaction

from renda.core.services import save_record

from .models import Training, TrainingParticipant


def save_register(by, record):
    if record._state.adding and by is not None and by.is_authenticated:
        record.created_by = by
    return save_record(by, record)


@transaction.atomic
def save_training(by, training: Training, participants) -> Training:
    """Save a training and set its participants (one row per person: 人次 are counted)."""
    save_register(by, training)
    wanted = {p.pk for p in participants}
    TrainingParticipant.objects.filter(training=training).exclude(person__in=wanted).delete()
    have = set(TrainingParticipant.objects.filter(training=training).values_list("person_id", flat=True))
    TrainingParticipant.objects.bulk_create(
        [TrainingParticipant(training=training, person_id=pk) for pk in wanted - have]
    )
    return training
