"""Writing resolutions and decisions: drafting, the draft's versions, the matter decided.
Each checks the permission and refuses bad input in Chinese; the steps after drafting are the
case type's transitions (cases.py)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from renda.core.scoping import require, visible
from renda.core.services import audit
from renda.workflow import documents, registry
from renda.workflow.documents import DocumentVersion
from renda.workflow.links import set_link
from renda.workflow.models import Link

from .models import Resolution

# The case types a resolution may decide (关于…的决议/决定): the 'matter' chooser lists the
# congress's cases of these types that the user sees. A type whose module is not installed is skipped.
MATTER_TYPES = ("work_report", "bill", "supervision_plan", "law_inspection", "investigation", "appointment_batch")
MATTER_LIMIT = 200  # per type: a congress's matters of a few years


def _matter_types():
    for key in MATTER_TYPES:
        try:
            yield registry.get(key)
        except KeyError:
            continue


def matter_choices(user, congress) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices "content type id:pk" for a form's select: one query per case type."""
    groups = []
    for case_type in _matter_types():
        model = case_type.model
        ct = ContentType.objects.get_for_model(model)
        rows = visible(user, model).filter(congress=congress).order_by("-created_at", "-id")[:MATTER_LIMIT]
        options = [(f"{ct.pk}:{c.pk}", c.title) for c in rows.only("pk", "title")]
        if options:
            groups.append((case_type.label, options))
    return groups


def matter_from_choice(user, value: str, congress):
    """The case a chooser's value names, if `user` sees it and it is of `congress`; else a ValidationError."""
    if not value:
        return None
    try:
        type_id, pk = (int(x) for x in value.split(":"))
        model = ContentType.objects.get_for_id(type_id).model_class()
    except (ValueError, ContentType.DoesNotExist):
        model = None
    if model is None or model not in {t.model for t in _matter_types()}:
        raise ValidationError({"matter": "请从列表中选择所决定的事项。"})
    found = visible(user, model).filter(pk=pk, congress=congress).first()
    if found is None:
        raise ValidationError({"matter": "所选事项不存在，或不属于本级人大。"})
    return found


def matter_of(resolution, user=None):
    """The case the resolution decides (its 决定 link), seen by `user`; None when there is none."""
    from renda.workflow.links import links_of

    for view in links_of(resolution, user):
        if view.outgoing and view.link.kind == Link.Kind.DECIDES:
            return view.other
    return None


@transaction.atomic
def create_resolution(
    by, *, congress, title, kind, subject, proposer="", matter=None, draft: str | None = None
) -> Resolution:
    """A resolution or decision being drafted; `matter` (a case) is linked as what it decides,
    `draft` (text) becomes its first draft."""
    item = Resolution(
        congress=congress,
        title=(title or "").strip(),
        kind=kind,
        subject=subject,
        proposer=(proposer or "").strip(),
    )
    require(by, "add", item)
    errors = {}
    if not item.title:
        errors["title"] = "请填写决议决定的名称，如：关于批准2019年市本级财政决算的决议。"
    if kind not in Resolution.Kind.values:
        errors["kind"] = "请选择决议或决定。"
    if subject not in Resolution.Subject.values:
        errors["subject"] = "请选择事项类型。"
    if matter is not None and matter.congress_id != congress.pk:
        errors["matter"] = "所决定的事项应属于本级人大。"
    if errors:
        raise ValidationError(errors)
    item.save()
    if matter is not None:
        set_link(item, matter, Link.Kind.DECIDES, by)
    if draft and draft.strip():
        add_draft(item, draft, by, note="草案")
    audit(by, "create", item, {"title": item.title, "kind": kind, "subject": subject})
    return item


def set_matter(item: Resolution, matter, by):
    require(by, "change", item)
    return set_link(item, matter, Link.Kind.DECIDES, by)


def _as_upload(item, upload_or_text, what: str):
    if isinstance(upload_or_text, str):
        if not upload_or_text.strip():
            raise ValidationError(f"{what}不能为空。")
        return SimpleUploadedFile(f"{item.title[:40]}.txt", upload_or_text.encode("utf-8"), content_type="text/plain")
    return upload_or_text


def add_draft(item: Resolution, upload_or_text, by, note: str = "") -> DocumentVersion:
    """A new version of the draft (草案): a file, or the text itself."""
    require(by, "change", item)
    if item.state not in ("drafting", "scheduled"):
        raise ValidationError("交付表决后不能再修改草案。")
    upload = _as_upload(item, upload_or_text, "草案文本")
    return documents.add_version(item, "draft", upload, by, note=note, title=f"{item.title}（草案）")


def drafts(item: Resolution):
    return documents.versions(item).filter(document__kind="draft")
