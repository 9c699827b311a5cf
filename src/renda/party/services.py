from django.db import transaction

from renda.core.models import Deputy
from renda.core.services import save_record
from renda.workflow.links import set_link
from renda.workflow.models import Link, Participation
from renda.workflow.participation import set_participants

from .models import PreStudy, Training

TRAINEE = Participation.Capacity.TRAINEE
CONCERNS = Link.Kind.CONCERNS


def save_register(by, record):
    if record._state.adding and by is not None and by.is_authenticated:
        record.created_by = by
    return save_record(by, record)


@transaction.atomic
def save_training(by, training: Training, participants) -> Training:
    """Save a training and set its participants (one row per person: 人次 are counted).
    In a deputies' training a deputy takes part as a deputy: the row names the mandate
    they held then, so the deputy's archive finds it."""
    save_register(by, training)
    people = list(participants)
    if training.audience == Training.Audience.DEPUTIES:
        mandates = {}
        for d in Deputy.objects.filter(
            person__in=people, congress=training.congress, elected_date__lte=training.start_date
        ).order_by("elected_date", "id"):
            mandates[d.person_id] = d  # the latest mandate before the training
        people = [mandates.get(p.pk, p) for p in people]
    set_participants(training, people, TRAINEE, on=training.start_date)
    return training


@transaction.atomic
def save_prestudy(by, study: PreStudy, case, *, relink: bool = True) -> PreStudy:
    """Save a pre-study and, with `relink`, make `case` (or None) the case it concerns
    (涉及): the link is replaced, not added to."""
    save_register(by, study)
    if relink:
        set_link(study, case, CONCERNS, by)
    return study


def trainees(training: Training):
    """The people recorded in a training."""
    from renda.core.models import Person

    return Person.objects.filter(participations__in=training.participations.filter(capacity=TRAINEE))
