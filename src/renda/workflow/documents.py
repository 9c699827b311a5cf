"""Versioned documents of a case or record: a report's drafts, a bill's texts, a budget.

A `Document` is one document of one kind (a short key a module declares, with its
Chinese label) belonging to any case or record; its `DocumentVersion`s are numbered
1..n and append-only (the model and database triggers refuse updates and deletes). A
version keeps the file, its original name, size, SHA-256, type and the text extracted
once at upload (assist.extract), which search and checks read instead of the file.

    document_kind(Filing, "text", "备案文件文本", action="view")   # a module declares its kinds
    add_version(record, "text", upload, by, note="")  # creates the document on first use
    current(record, "text") -> DocumentVersion | None
    versions(record) -> QuerySet of DocumentVersion, by document and number

Who sees a document is who may do the kind's `action` ("view_process" unless declared)
on the record it belongs to (workflow.rules); files are downloaded through core.downloads.
Callers check that the user may add a version (a transition's guard, a module's service):
adding one is part of an act on the record, not an act of its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max
from django.utils import timezone

from renda.core import clock
from renda.core.storage import atomic_with_files

# ---------------------------------------------------------------- kinds


@dataclass(frozen=True)
class DocumentKind:
    model: type[models.Model]
    key: str
    label: str
    action: str = "view_process"  # asked of the record's rule to see the document


_kinds: dict[tuple[str, str], DocumentKind] = {}


def document_kind(model: type[models.Model], key: str, label: str, action: str = "view_process") -> DocumentKind:
    """Declare a kind of document that records of `model` may have."""
    kind = DocumentKind(model, key, label, action)
    _kinds[(model._meta.label_lower, key)] = kind
    return kind


def kinds() -> list[DocumentKind]:
    return list(_kinds.values())


def kind_of(model_label: str, key: str) -> DocumentKind | None:
    return _kinds.get((model_label, key))


# ---------------------------------------------------------------- models


class DocumentQuerySet(models.QuerySet):
    def for_record(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


class Document(models.Model):
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField("类别", max_length=40)
    title = models.CharField("标题", max_length=200)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "文档"
        verbose_name_plural = "文档"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"], name="document_one_per_kind")
        ]

    def __str__(self):
        return self.title

    @property
    def declared(self) -> DocumentKind | None:
        return kind_of(f"{self.content_type.app_label}.{self.content_type.model}", self.kind)

    @property
    def kind_label(self) -> str:
        return self.declared.label if self.declared else self.kind

    @property
    def action(self) -> str:
        """What one must be allowed on the record to see this document."""
        return self.declared.action if self.declared else "view_process"


def version_path(instance, filename):
    from renda.core.uploads import stored_name

    return f"documents/{instance.uploaded_at:%Y/%m}/{instance.document_id}/{stored_name(filename)}"


class DocumentVersion(models.Model):
    """One version of a document. Append-only: the model and database triggers refuse
    updates and deletes (migration 0003)."""

    document = models.ForeignKey(Document, verbose_name="文档", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本")
    file = models.FileField("文件", upload_to=version_path, max_length=255)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("文件类型", max_length=100)
    text = models.TextField("提取的正文", blank=True)
    text_note = models.CharField("未提取正文的原因", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "文档版本"
        verbose_name_plural = "文档版本"
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique_number")]

    def __str__(self):
        return f"{self.document}（第{self.number}版）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("文档版本不可修改，请上传新版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("文档版本不可删除。")

    @property
    def download_url(self) -> str:
        from renda.core.downloads import download_url

        return download_url(self)


# ---------------------------------------------------------------- services


@dataclass
class Prepared:
    """An upload checked, hashed and read once, before anything is stored."""

    upload: object
    name: str
    size: int
    sha256: str
    content_type: str
    text: str
    text_note: str  # why there is no text, in Chinese ("" when there is, or the format has none)

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()


# A vertical tab or form feed (Word's manual line and page breaks, kept by copy and paste)
# is a line break in the stored text; the other C0 controls (besides \t \n \r) carry
# nothing a reader sees, and PostgreSQL refuses \x00 in a text column.
_CONTROLS = {c: None for c in range(0x20) if chr(c) not in "\t\n\r"} | {0x0B: "\n", 0x0C: "\n"}


def clean_text(text: str) -> str:
    """Extracted text as it is stored: \x0b/\x0c → \n, other C0 controls but \t\n\r dropped."""
    return text.translate(_CONTROLS)


def prepare(upload) -> Prepared:
    """Check the upload (core.uploads), hash it and extract its text once. Raises
    ValidationError for a file that may not be uploaded; a file whose text cannot be
    read is kept, with the reason in `text_note`."""
    from renda.assist.extract import SUPPORTED, ExtractError, extract_text
    from renda.core.downloads import content_type_for
    from renda.core.uploads import validate_upload

    validate_upload(upload)
    name = PurePath(upload.name or "").name[:200]
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    text, note = "", ""
    if PurePath(name).suffix.lower() in SUPPORTED:
        upload.seek(0)
        try:
            text = clean_text(extract_text(upload.read(), name))
        except ExtractError as exc:
            note = str(exc)[:200]
    upload.seek(0)
    return Prepared(upload, name, upload.size, digest.hexdigest(), content_type_for(name), text, note)


def add_version(record, kind: str, upload, by, note: str = "", title: str | None = None, *, at=None) -> DocumentVersion:
    """Append a version of `record`'s document of `kind` (created on first use).
    `upload` is an uploaded file, or what `prepare` made of it; `at`: when it was
    received, for records entered afterwards (the demo year), else the moment being entered
    (`clock.now()`: a transition dated in the past dates the files its effect adds)."""
    declared = kind_of(record._meta.label_lower, kind)
    if declared is None:
        raise LookupError(f"No document kind {kind!r} is declared for {record._meta.label} (document_kind).")
    prepared = upload if isinstance(upload, Prepared) else prepare(upload)
    content_type = ContentType.objects.get_for_model(record)
    with atomic_with_files():
        document, _ = Document.objects.get_or_create(
            content_type=content_type,
            object_id=record.pk,
            kind=kind,
            defaults={
                "congress_id": record.congress_id,
                "title": (title or declared.label)[:200],
                "created_by": by,
                "created_at": at or clock.now(),
            },
        )
        # one version at a time per document: numbers stay 1..n without gaps
        Document.objects.select_for_update().filter(pk=document.pk).first()
        last = document.versions.aggregate(m=Max("number"))["m"] or 0
        version = DocumentVersion(
            document=document,
            number=last + 1,
            name=prepared.name,
            size=prepared.size,
            sha256=prepared.sha256,
            content_type=prepared.content_type,
            text=prepared.text,
            text_note=prepared.text_note,
            note=note,
            uploaded_by=by,
            uploaded_at=at or clock.now(),
        )
        version.file.save(prepared.name, prepared.upload, save=False)
        version.save()
    return version


def current(record, kind: str) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.filter(document__in=Document.objects.for_record(record).filter(kind=kind))
        .order_by("-number")
        .first()
    )


def versions(record):
    """Every version of every document of `record`, by document and number."""
    return (
        DocumentVersion.objects.filter(document__in=Document.objects.for_record(record))
        .select_related("document", "uploaded_by")
        .order_by("document_id", "number")
    )
