"""The think tank's writes and reads. Every write checks the permission and is audited.

save_expert(by, expert, fields, *, name="", gender="")    register or update an expert
add_field(by, congress, name)                               a field of expertise (once per congress)
assign(record, experts, by, on=None, task="")               experts on a record; each a Participation (专家)
record_opinion(assignment, text, by, on=None, file=None)    an expert's written opinion
experts_of(record, user)  opinions_of(record, user)         what `user` may read of a record's experts
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone

from renda.core import services as core_services
from renda.core.models import Person
from renda.core.scoping import allowed, require, visible
from renda.core.services import audit
from renda.core.storage import atomic_with_files
from renda.core.uploads import validate_upload
from renda.workflow.models import Participation
from renda.workflow.participation import describe, record_participants

from .models import Expert, ExpertAssignment, ExpertField, ExpertOpinion

EXPERT = Participation.Capacity.EXPERT


def _snapshot(expert: Expert) -> dict:
    data = model_to_dict(expert, exclude=["fields"])
    data["fields"] = sorted(expert.fields.values_list("name", flat=True)) if expert.pk else []
    return data


@transaction.atomic
def add_field(by, congress, name: str) -> ExpertField:
    """The congress's field of expertise `name`, created on first use (audited)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写专业领域名称。"})
    found = ExpertField.objects.filter(congress=congress, name=name).first()
    if found is not None:
        return found
    return core_services.save_record(by, ExpertField(congress=congress, name=name[:40]))


@transaction.atomic
def save_expert(by, expert: Expert, fields: Iterable[ExpertField] | None = None, *, name="", gender="") -> Expert:
    """Register (a new row) or update an expert, with their fields of expertise. A new expert
    without a person gets one (`name`, `gender`); an expert's name and gender are corrected
    here as long as the person holds no mandate or seat (those are kept on their own pages)."""
    creating = expert._state.adding
    if creating:
        require(by, "add", Expert)
        require(by, "add", expert)
    else:
        require(by, "change", expert)
    before = {} if creating else _snapshot(Expert.objects.get(pk=expert.pk))
    name = (name or "").strip()
    if expert.person_id is None:
        if not name:
            raise ValidationError({"name": "请填写专家姓名。"})
        expert.person = core_services.create_person(by, name=name, gender=gender or Person.Gender.MALE)
    elif name and (name, gender or expert.person.gender) != (expert.person.name, expert.person.gender):
        person = expert.person
        if person.mandates.exists() or person.committee_seats.exists():
            require(by, "change", person)
        person.name, person.gender = name, gender or person.gender
        core_services.save_record(by, person, check=False)
    fields = list(fields) if fields is not None else None
    if fields and any(f.congress_id != expert.congress_id for f in fields):
        raise ValidationError({"fields": "专业领域须为本级人大专家库的领域。"})
    if expert.pk is None and creating and by is not None and by.is_authenticated:
        expert.created_by = by
    expert.full_clean(exclude=["person", "congress"])
    if Expert.objects.filter(congress=expert.congress_id, person=expert.person_id).exclude(pk=expert.pk).exists():
        raise ValidationError({"name": "该人员已在本级人大专家库中。"})
    expert.save()
    if fields is not None:
        expert.fields.set(fields)
    after = _snapshot(expert)
    audit(by, "create" if creating else "update", expert, {k: v for k, v in after.items() if before.get(k) != v})
    return expert


def _check_record(record: Model) -> None:
    if not getattr(record, "congress_id", None) or not record.pk or isinstance(record, Expert):
        raise ValidationError("只能为已保存的、属于某一人大的事项邀请专家。")


@transaction.atomic
def assign(record: Model, experts: Iterable[Expert], by, on: date | None = None, task: str = "") -> list:
    """Assign `experts` to `record` (any case or record with a congress): one row per expert
    (an expert already assigned is left as they were) and a Participation (专家) each. `by`
    must see the record and keep its congress's think tank; an expert must be active and of
    the record's congress or a congress above it. Returns the assignments created."""
    _check_record(record)
    experts = list(experts)
    if not experts:
        raise ValidationError({"experts": "请选择专家。"})
    if by is not None:
        if not allowed(by, "view", record):
            raise PermissionDenied("您无权查看该事项。")
        require(by, "add", ExpertAssignment(congress_id=record.congress_id))
    path = record.congress.path
    for expert in experts:
        if by is not None and not allowed(by, "view", expert):
            raise PermissionDenied("您无权邀请该专家。")
        if not expert.is_active:
            raise ValidationError({"experts": f"{expert}已不在专家库中，不能邀请。"})
        if not path.startswith(expert.congress.path):
            raise ValidationError({"experts": f"{expert}不是{record.congress}或其上级人大的专家。"})
    on = on or timezone.localdate()
    content_type = ContentType.objects.get_for_model(record)
    have = set(
        ExpertAssignment.objects.filter(content_type=content_type, object_id=record.pk).values_list(
            "expert_id", flat=True
        )
    )
    label, url = describe(record)
    created = []
    for expert in experts:
        if expert.pk in have:
            continue
        have.add(expert.pk)
        row = ExpertAssignment.objects.create(
            expert=expert,
            congress_id=record.congress_id,
            content_type=content_type,
            object_id=record.pk,
            assigned_on=on,
            assigned_by=by if by is not None and by.is_authenticated else None,
            task=(task or "").strip()[:200],
            label=label,
            url=url,
        )
        audit(
            by,
            "create",
            row,
            {"expert": expert.pk, "record": f"{content_type.app_label}.{content_type.model}:{record.pk}"},
        )
        created.append(row)
    record_participants(record, [e.person for e in experts], EXPERT, on=on)
    return created


def record_opinion(assignment: ExpertAssignment, text: str, by, on: date | None = None, file=None) -> ExpertOpinion:
    """Record an expert's written opinion on the record they were assigned to: the text is
    required, a file (checked by core.uploads) may come with it."""
    require(by, "add", assignment)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写专家的书面意见。"})
    on = on or timezone.localdate()
    if on < assignment.assigned_on:
        raise ValidationError({"submitted_on": "提交日期不能早于邀请日期。"})
    if file is not None:
        validate_upload(file)  # before anything is stored
    opinion = ExpertOpinion(
        assignment=assignment,
        submitted_on=on,
        text=text,
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    with atomic_with_files():
        if file is not None:
            opinion.file_name = (file.name or "")[:200]
            opinion.file.save(file.name, file, save=False)
        opinion.save()
        audit(by, "create", opinion, {"assignment": assignment.pk, "submitted_on": on, "file": opinion.file_name})
    return opinion


def _for_record(qs: QuerySet, record: Model, prefix: str = "") -> QuerySet:
    content_type = ContentType.objects.get_for_model(record)
    return qs.filter(**{f"{prefix}content_type": content_type, f"{prefix}object_id": record.pk})


def experts_of(record: Model, user) -> list[ExpertAssignment]:
    """The record's assignments `user` may read, each with its expert, their fields and the
    opinions: three queries whatever their number."""
    qs = _for_record(visible(user, ExpertAssignment), record)
    return list(
        qs.select_related("expert__person")
        .prefetch_related(
            "expert__fields",
            Prefetch("opinions", queryset=ExpertOpinion.objects.order_by("submitted_on", "id")),
        )
        .order_by("assigned_on", "id")
    )


def opinions_of(record: Model, user) -> QuerySet:
    """The written opinions on `record` that `user` may read, oldest first."""
    return (
        _for_record(visible(user, ExpertOpinion), record, "assignment__")
        .select_related("assignment__expert__person")
        .order_by("submitted_on", "id")
    )


def candidates(record: Model, user) -> QuerySet:
    """The active experts `user` may assign to `record`: of its congress or one above it,
    not yet assigned."""
    path = record.congress.path
    above = [p for p in _ancestor_paths(path)]
    assigned = _for_record(ExpertAssignment.objects.all(), record).values("expert_id")
    return (
        visible(user, Expert)
        .filter(is_active=True, congress__path__in=above)
        .exclude(pk__in=assigned)
        .select_related("person")
        .order_by("person__name", "id")
    )


def _ancestor_paths(path: str) -> list[str]:
    """'a/b/c/' -> ['a/', 'a/b/', 'a/b/c/'] (materialized paths of the congress and those above)."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
