"""Personal data: masking, the audited full view, exports, and erasure.

- A model names its personal data in `personal_fields` (the audit log keeps no values of
  them); those stored as `fields.EncryptedCharField` are encrypted at rest and carry their
  mask kind.
- Pages and lists show `mask(value, kind)`; whoever `allowed(user, "view_contact", obj)` may
  ask for one full value (`reveal`), and each such view is audited ("view_personal": which
  field, never the value). A list's personal column (`listing.Column.personal`) is masked on
  the page; its export is audited ("export_personal": counts only) and masked for whom may
  not see the values in full.
- A public submission's contact is erased (`erase`) on request by the staff who answer it
  ("erase_contact"), with a reason, or `RENDA_CONTACT_RETENTION_DAYS` after its case closes
  (`erase_expired`, a daily job): the `erasable_fields` emptied, `erased_at` set, the case kept.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateTimeField, Max, OuterRef, Subquery
from django.utils import timezone

from .fields import EncryptedCharField
from .scoping import require
from .services import audit

HIDDEN = "****"
ADDRESS_KEPT = 6  # characters of an address shown before ***


def mask(value, kind: str = "contact") -> str:
    """A value as lists show it: 138****1234, a***@example.com, 巴彦淖尔市临河***."""
    value = (value or "").strip()
    if not value:
        return ""
    if kind == "address":
        return value[:ADDRESS_KEPT] + "***" if len(value) > ADDRESS_KEPT else value[:1] + "***"
    if "@" in value and kind in ("contact", "email"):
        local, domain = value.rsplit("@", 1)
        return f"{local[:1]}***@{domain}"
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) >= 7:  # a mobile (138****1234) or a fixed line with its area code
        return f"{digits[:3]}{HIDDEN}{digits[-4:]}"
    return HIDDEN


def field_of(model, name: str) -> EncryptedCharField | None:
    """The personal, encrypted field `name` of `model` (what may be revealed), else None."""
    if name not in getattr(model, "personal_fields", ()):
        return None
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    return field if isinstance(field, EncryptedCharField) else None


def model_of(label: str):
    """The model named "app.model" if it keeps personal data, else None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if getattr(model, "personal_fields", None) else None


def reveal(by, obj, name: str) -> str:
    """One personal value in full, for whom may see it; the view is audited (not the value)."""
    require(by, "view_contact", obj)
    field = field_of(type(obj), name)
    if field is None:
        raise PermissionDenied("该字段不能查看。")
    audit(by, "view_personal", obj, {"field": name})
    return getattr(obj, name)


@transaction.atomic
def erase(by, obj, reason: str, *, check: bool = True) -> bool:
    """Erase a public submission's contact (its `erasable_fields`), keeping the case:
    True if erased now, False if it already was. `by` None: the retention job."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写删除联系方式的原因。"})
    if check:
        require(by, "erase_contact", obj)
    model = type(obj)
    erased = model._base_manager.filter(pk=obj.pk, erased_at__isnull=True).update(
        erased_at=timezone.now(), **{f: "" for f in model.erasable_fields}
    )
    if not erased:
        return False
    obj.refresh_from_db(fields=["erased_at", *model.erasable_fields])
    audit(by, "erase_personal", obj, {"fields": list(model.erasable_fields), "reason": reason[:200]})
    return True


def erasable_models() -> list:
    """The concrete models whose records carry an erasable contact (every public intake)."""
    from .intake import PublicSubmission

    return [m for m in apps.get_models() if issubclass(m, PublicSubmission)]


def expired(model, now=None):
    """Records of `model` whose case closed (a terminal state, entered by its last event; or,
    for an intake that is no workflow case, its `closed_at_field`) more than
    RENDA_CONTACT_RETENTION_DAYS ago, with a contact not yet erased."""
    from django.contrib.contenttypes.models import ContentType

    from renda.workflow.models import Event
    from renda.workflow.registry import case_type_of

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RENDA_CONTACT_RETENTION_DAYS)
    # nothing to erase (a legislative need recorded at work has no contact): neither erased nor audited
    open_contacts = model._base_manager.filter(erased_at__isnull=True).exclude(**{f: "" for f in model.erasable_fields})
    if model.closed_at_field:  # an intake that is not a workflow case says when it closed
        return open_contacts.filter(**{f"{model.closed_at_field}__lt": cutoff})
    terminal = [s.key for s in case_type_of(model).states if s.terminal]
    closed_at = (
        Event.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(last=Max("at"))
        .values("last")
    )
    return (
        open_contacts.filter(state__in=terminal)
        .annotate(closed_at=Subquery(closed_at, output_field=DateTimeField()))
        .filter(closed_at__lt=cutoff)
    )


def erase_expired(now=None) -> int:
    """The retention job: erase every contact kept past its period. Idempotent: an erased
    contact is not erased (nor audited) again."""
    count = 0
    for model in erasable_models():
        for obj in expired(model, now):
            days = settings.RENDA_CONTACT_RETENTION_DAYS
            count += erase(None, obj, f"办结后保存期限（{days}天）届满", check=False)
    return count
