"""Double contact (双联系): recording members' visits to deputies and deputies' contacts with
constituents, one at a time from a phone or a whole register at once, and turning a matter
raised into a suggestion draft.

    record_contact(by, *, kind, deputy, on, place, way, people_reached=1, matters="",
                   constituent="", member=None, idempotency_key=None) -> ContactRecord
                                                       # a repeated key gives back its record
    record_contacts(by, rows) -> list[ContactRecord]   # atomic; every bad row reported
    update_contact(by, record, **fields) -> ContactRecord
    suggest_from(by, record) -> Suggestion             # a draft, linked both ways

Each record writes one `workflow.Participation` for the deputy (联系群众 / 接受走访): the
performance archive and the scores read it like any other participation. Contacts count
without a confirmation step (unlike hand-recorded activities): a member's visit is recorded
by the member, a register by the staff, and a deputy's own contact is theirs to answer for.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from renda.core.models import CommitteeMember, Deputy
from renda.core.scoping import allowed
from renda.core.services import audit
from renda.workflow.models import Participation

from .models import ContactRecord

FIELDS = ("on", "place", "way", "people_reached", "matters", "constituent")
MAX_PEOPLE = 100000
Kind = ContactRecord.Kind
CAPACITY = {Kind.CONSTITUENTS: Participation.Capacity.CONTACT, Kind.MEMBER_VISIT: Participation.Capacity.VISITED}


def _text(value) -> str:
    return str(value or "").strip()


def member_seat(user, congress_id: int, on: date) -> CommitteeMember | None:
    """The user's seat on the standing committee of `congress_id` on `on`, if on file."""
    if not getattr(user, "person_id", None):
        return None
    return (
        CommitteeMember.objects.filter(person_id=user.person_id, congress_id=congress_id, start_date__lte=on)
        .exclude(end_date__lt=on)
        .first()
    )


def _errors(record: ContactRecord, deputy: Deputy | None) -> dict[str, str]:
    """Every problem of a record, by field (empty: it may be saved)."""
    errors = {}
    if record.kind not in Kind.values:
        errors["kind"] = "请选择联系类别（委员联系代表或代表联系群众）。"
    if deputy is None:
        errors["deputy"] = "请选择代表。"
    if record.way not in ContactRecord.Way.values:
        errors["way"] = "请选择联系方式（走访、座谈、电话、网络、接待）。"
    if not record.place:
        errors["place"] = "请填写联系地点。"
    elif len(record.place) > 100:
        errors["place"] = "地点不超过100个字。"
    if not isinstance(record.on, date):
        errors["on"] = "请填写联系日期。"
    elif record.on > timezone.localdate():
        errors["on"] = "联系日期不能晚于今天。"
    elif deputy is not None and (
        record.on < deputy.elected_date or (deputy.ended_date and record.on > deputy.ended_date)
    ):
        errors["on"] = "联系日期须在该代表的任期之内。"
    n = record.people_reached
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        errors["people_reached"] = "联系人数须为正整数（至少1人）。"
    elif n > MAX_PEOPLE:
        errors["people_reached"] = "联系人数过大，请核实。"
    elif record.kind == Kind.MEMBER_VISIT and n != 1:
        errors["people_reached"] = "委员联系代表每条记录为1名代表，人数应为1。"
    if len(record.matters) > 4000:
        errors["matters"] = "反映的问题和意见不超过4000个字。"
    if len(record.constituent) > 100:
        errors["constituent"] = "群众联系方式不超过100个字。"
    if record.kind == Kind.MEMBER_VISIT and record.constituent:
        errors["constituent"] = "委员联系代表无需填写群众联系方式。"
    return errors


def _build(by, *, kind, deputy, on, place, way, people_reached=1, matters="", constituent="", member=None):
    """An unsaved record and its problems (permission included), for one row or many."""
    record = ContactRecord(
        kind=kind,
        deputy=deputy,
        congress_id=getattr(deputy, "congress_id", None),
        member=member,
        on=on,
        place=_text(place),
        way=way or ContactRecord.Way.VISIT,
        people_reached=1 if people_reached in (None, "") and kind == Kind.MEMBER_VISIT else people_reached,
        matters=_text(matters),
        constituent=_text(constituent),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    if isinstance(record.people_reached, str) and record.people_reached.strip().isdecimal():
        record.people_reached = int(record.people_reached)
    errors = _errors(record, deputy if isinstance(deputy, Deputy) else None)
    if errors:
        return record, errors
    if kind == Kind.MEMBER_VISIT and member is None:
        record.member = member_seat(by, deputy.congress_id, on)
    if by is not None and not allowed(by, "add", record):
        who = "本人联系群众的情况" if kind == Kind.CONSTITUENTS else "本人联系代表的情况"
        errors["deputy"] = f"您只能登记{who}。"
    return record, errors


def _participations(records: list[ContactRecord]) -> None:
    content_type = ContentType.objects.get_for_model(ContactRecord)
    # one reverse() for a register of thousands (each costs a URL resolution)
    pattern = reverse("deputies:contact", args=[0])
    head, tail = pattern.rsplit("/0/", 1)
    Participation.objects.bulk_create(
        [
            Participation(
                person_id=r.deputy.person_id,
                deputy_id=r.deputy_id,
                capacity=CAPACITY[r.kind],
                content_type=content_type,
                object_id=r.pk,
                congress_id=r.congress_id,
                on=r.on,
                label=str(r)[:200],
                url=f"{head}/{r.pk}/{tail}",
            )
            for r in records
        ]
    )


def _already_recorded(by, idempotency_key) -> ContactRecord | None:
    if not idempotency_key or by is None or not by.is_authenticated:
        return None
    return ContactRecord.objects.filter(recorded_by=by, idempotency_key=idempotency_key).first()


def record_contact(by, *, idempotency_key=None, **fields) -> ContactRecord:
    """One contact (the phone form). Raises ValidationError by field, in Chinese. With
    `idempotency_key` (a UUID the form made when it was opened) the same entry sent again —
    the offline queue resending after a lost answer, a double tap — returns the record made
    the first time, unchanged (keys are per recorder)."""
    existing = _already_recorded(by, idempotency_key)
    if existing is not None:
        return existing
    record, errors = _build(by, **fields)
    if errors:
        if set(errors) == {"deputy"} and record.deputy_id and by is not None:
            raise PermissionDenied(errors["deputy"])
        raise ValidationError(errors)
    record.idempotency_key = idempotency_key if record.recorded_by_id else None
    try:
        with transaction.atomic():
            record.save()
            _participations([record])
            audit(by, "create", record, {f: getattr(record, f) for f in FIELDS} | {"kind": record.kind})
    except IntegrityError:
        # the same key sent twice at once: the other request made the record
        existing = _already_recorded(by, idempotency_key)
        if existing is None:
            raise
        return existing
    return record


def record_contacts(by, rows) -> list[ContactRecord]:
    """A register (a station's month, a member's visits): all rows or none. Every bad row is
    reported, as "第N行：…" messages (N from 1), in one ValidationError. Costs a constant
    number of queries plus one per distinct member seat looked up (not one per row)."""
    records, problems = [], []
    for i, row in enumerate(rows, start=1):
        try:
            record, errors = _build(by, **row)
        except (TypeError, ValueError):  # unknown columns, a deputy that is not a mandate
            problems.append(f"第{i}行：栏目不正确。")
            continue
        if errors:
            problems.append(f"第{i}行：" + "；".join(errors.values()))
        records.append(record)
    if problems:
        raise ValidationError(problems)
    if not records:
        raise ValidationError("没有可登记的联系记录。")
    with transaction.atomic():
        ContactRecord.objects.bulk_create(records, batch_size=500)
        _participations(records)
        # one entry for the register (its size), not one per row
        audit(by, "import", ContactRecord, {"rows": len(records), "people": sum(r.people_reached for r in records)})
    return records


def update_contact(by, record: ContactRecord, **fields) -> ContactRecord:
    """Correct a record (its owner or the staff); its participation follows the date."""
    if not allowed(by, "change", record):
        raise PermissionDenied("只能修改本人登记的联系记录。")
    # from the row: a ModelForm has already written what was typed onto `record`
    stored = ContactRecord.objects.get(pk=record.pk)
    before = {f: getattr(stored, f) for f in FIELDS}
    for name in FIELDS:
        if name in fields:
            value = fields[name]
            setattr(record, name, _text(value) if name in ("place", "matters", "constituent") else value)
    errors = _errors(record, record.deputy)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record.save()
        Participation.objects.filter(
            content_type=ContentType.objects.get_for_model(ContactRecord), object_id=record.pk
        ).update(on=record.on, label=str(record)[:200])
        audit(by, "update", record, {f: getattr(record, f) for f in FIELDS if before[f] != getattr(record, f)})
    return record


def suggest_from(by, record: ContactRecord):
    """A suggestion draft led by the record's deputy, pre-filled from the matters raised,
    linked to the record (the record 引出 the suggestion, the suggestion 源于 the record)."""
    from renda.suggestions.services import save_draft
    from renda.workflow.links import link
    from renda.workflow.models import Link

    if not allowed(by, "suggest", record):
        raise PermissionDenied("只有该代表本人可以据此提出建议。")
    if record.deputy.status != Deputy.Status.SERVING:
        raise ValidationError("该代表资格已终止，不能再提出建议。")
    matters = record.matters.strip()
    if not matters:
        raise ValidationError({"matters": "这次联系没有记录反映的问题，无法转为建议。"})
    first = matters.splitlines()[0].strip()
    title = first[:60] if len(first) <= 60 else first[:57] + "……"
    content = (
        f"{matters}\n\n（来源：{record.on:%Y年%m月%d日}在{record.place}{record.get_way_display()}"
        f"{record.get_kind_display()}，{record.people_reached}人反映。）"
    )
    with transaction.atomic():
        draft = save_draft(
            by, lead=record.deputy, title=title, content=content, category=_category(record, matters), cosigners=[]
        )
        # checked above (the deputy may suggest from it); a link is otherwise a keeper's act
        link(record, draft, Link.Kind.LEADS_TO, None, note="双联系中反映的问题")
    return draft


def _category(record: ContactRecord, text: str) -> str:
    """The category the routing model proposes (as the drafting page does), else 其他; the
    deputy can change it on the draft."""
    from renda.suggestions import routing
    from renda.suggestions.services import MIN_PROPOSAL

    proposed = routing.propose_category(record.deputy.congress, text, 1) if len(text) >= 10 else []
    return proposed[0][0] if proposed and proposed[0][1] >= MIN_PROPOSAL else "其他"
