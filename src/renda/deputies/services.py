"""Hand-recorded activities: a deputy records one (with evidence files), edits it while it is
待确认 or 退回, and the congress's staff confirm it (then it counts) or return it with a reason.

    record_activity(by, deputy, *, kind, on, place, people_reached=0, note="", files=(),
                    idempotency_key=None)  # a repeated key gives back the entry it made
    update_activity(by, activity, *, files=(), **fields)    # back to 待确认 after a return
    confirm_activity(by, activity)
    return_activity(by, activity, reason)
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from renda.core.scoping import allowed, require
from renda.core.services import audit
from renda.core.storage import atomic_with_files
from renda.core.uploads import validate_upload

from .models import Activity, ActivityEvidence

FIELDS = ("kind", "on", "place", "people_reached", "note")
MAX_FILES = 9


def _check(activity: Activity, files) -> None:
    errors = {}
    if activity.kind not in Activity.Kind.values:
        errors["kind"] = "请选择活动类别。"
    if not (activity.place or "").strip():
        errors["place"] = "请填写活动地点。"
    if activity.on is None:
        errors["on"] = "请填写活动日期。"
    elif activity.on > timezone.localdate():
        errors["on"] = "活动日期不能晚于今天。"
    else:
        deputy = activity.deputy
        if activity.on < deputy.elected_date or (deputy.ended_date and activity.on > deputy.ended_date):
            errors["on"] = "活动日期须在代表任期之内。"
    if activity.people_reached is None or activity.people_reached < 0:
        errors["people_reached"] = "联系群众人数须为0或正整数。"
    elif activity.people_reached > 100000:
        errors["people_reached"] = "联系群众人数过大，请核实。"
    if len(files) + (activity.evidence.count() if activity.pk else 0) > MAX_FILES:
        errors["files"] = f"佐证材料最多{MAX_FILES}个文件。"
    if errors:
        raise ValidationError(errors)
    for f in files:
        try:
            validate_upload(f)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None


def _store(activity: Activity, files) -> None:
    for f in files:
        evidence = ActivityEvidence(activity=activity, name=(f.name or "")[:200], size=f.size or 0)
        evidence.file.save(f.name, f, save=False)
        evidence.save()


def _already_recorded(deputy, idempotency_key) -> Activity | None:
    if not idempotency_key:
        return None
    return Activity.objects.filter(deputy=deputy, idempotency_key=idempotency_key).first()


def record_activity(
    by, deputy, *, kind, on: date, place, people_reached=0, note="", files=(), idempotency_key=None
) -> Activity:
    """Record an entry; with `idempotency_key` (a UUID the form made when it was opened) the
    same entry sent again — an offline queue resending after a lost answer, a double click —
    returns the entry it made the first time, unchanged (keys are per deputy)."""
    files = list(files)
    existing = _already_recorded(deputy, idempotency_key)
    if existing is not None:
        require(by, "add", existing)
        return existing
    activity = Activity(
        deputy=deputy,
        congress_id=deputy.congress_id,
        kind=kind,
        on=on,
        place=(place or "").strip(),
        people_reached=people_reached or 0,
        note=(note or "").strip(),
        recorded_by=by if by is not None and by.is_authenticated else None,
        idempotency_key=idempotency_key or None,
    )
    require(by, "add", activity)
    _check(activity, files)
    try:
        with atomic_with_files():
            activity.save()
            _store(activity, files)
            audit(by, "create", activity, {f: getattr(activity, f) for f in FIELDS} | {"files": len(files)})
    except IntegrityError:
        # the same key sent twice at once: the other request made the entry
        existing = _already_recorded(deputy, idempotency_key)
        if existing is None:
            raise
        return existing
    return activity


def update_activity(by, activity: Activity, *, files=(), **fields) -> Activity:
    """Change an own entry that has not been confirmed; a returned one goes back to 待确认."""
    require(by, "change", activity)
    files = list(files)
    # from the row: a ModelForm has already written what was typed onto `activity`
    before = Activity.objects.filter(pk=activity.pk).values(*FIELDS).get()
    for name in FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if isinstance(value, str):
            value = value.strip()
        elif name == "people_reached":
            value = value or 0  # left blank on the form
        setattr(activity, name, value)
    _check(activity, files)
    with atomic_with_files():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if not locked.editable:  # confirmed meanwhile
            raise ValidationError("该活动已确认，不能再修改。")
        activity.state = Activity.State.PENDING
        # only what the deputy changes: a return that landed meanwhile keeps its reviewer and reason
        activity.save(update_fields=[*FIELDS, "state"])
        _store(activity, files)
        changes = {f: getattr(activity, f) for f in FIELDS if before[f] != getattr(activity, f)}
        audit(by, "update", activity, changes | ({"files": len(files)} if files else {}))
    return activity


@transaction.atomic
def _review(by, activity: Activity, state: str, reason: str = "") -> Activity:
    if not allowed(by, "confirm", activity):
        raise PermissionDenied("只有本级人大机关工作人员可以确认履职活动。")
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.state != Activity.State.PENDING:
        raise ValidationError(f"该活动{locked.get_state_display()}，不在待确认状态。")
    activity.state = state
    activity.return_reason = reason
    activity.reviewed_by = by
    activity.reviewed_at = timezone.now()
    activity.save(update_fields=["state", "return_reason", "reviewed_by", "reviewed_at"])
    audit(by, "update", activity, {"state": state, "return_reason": reason})
    return activity


def confirm_activity(by, activity: Activity) -> Activity:
    return _review(by, activity, Activity.State.CONFIRMED)


def return_activity(by, activity: Activity, reason: str) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回理由。"})
    if len(reason) > 200:
        raise ValidationError({"reason": "退回理由不超过200个字。"})
    return _review(by, activity, Activity.State.RETURNED, reason)
