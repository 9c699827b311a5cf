"""The filed document's file moves onto versioned documents: each `Filing.source_file`
becomes version 1 of the filing's Document of kind "text" (备案文件文本), then the field
goes. The file stays where it is on disk (the version points at the same name).

Reversible: going back puts each filing's latest version's file name into the restored
field. The Document rows stay (document versions are append-only, the database refuses
to delete them); migrating forward again reuses them.
"""

import hashlib
import mimetypes
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import migrations

ACTIVE = {"text/html", "application/xhtml+xml", "image/svg+xml"}


def _digest(name: str) -> tuple[int, str]:
    try:
        with default_storage.open(name, "rb") as handle:
            digest, size = hashlib.sha256(), 0
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()
    except FileNotFoundError:  # recorded but lost on disk: the row still says what it was
        return 0, ""


def forward(apps, schema_editor):
    Filing = apps.get_model("filing", "Filing")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Document = apps.get_model("workflow", "Document")
    DocumentVersion = apps.get_model("workflow", "DocumentVersion")
    filings = Filing.objects.exclude(source_file="").exclude(source_file__isnull=True)
    if not filings.exists():
        return
    ct, _ = ContentType.objects.get_or_create(app_label="filing", model="filing")
    for filing in filings.iterator():
        name = filing.source_file.name
        document, _ = Document.objects.get_or_create(
            content_type=ct,
            object_id=filing.pk,
            kind="text",
            defaults={"congress_id": filing.congress_id, "title": "备案文件文本", "created_at": filing.created_at},
        )
        if DocumentVersion.objects.filter(document=document).exists():
            continue
        size, sha256 = _digest(name)
        guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
        DocumentVersion.objects.create(
            document=document,
            number=1,
            file=name,
            name=f"{filing.document_number or filing.title}{PurePath(name).suffix}"[:200],
            size=size,
            sha256=sha256,
            content_type="application/octet-stream" if guessed in ACTIVE else guessed,
            text=filing.text,  # what was extracted from this file when it was filed
            note="报送备案时上传的正式文本",
            uploaded_at=filing.created_at,
        )


def backward(apps, schema_editor):
    Filing = apps.get_model("filing", "Filing")
    ContentType = apps.get_model("contenttypes", "ContentType")
    DocumentVersion = apps.get_model("workflow", "DocumentVersion")
    ct = ContentType.objects.filter(app_label="filing", model="filing").first()
    if ct is None:
        return
    latest = {}
    for version in DocumentVersion.objects.filter(document__content_type=ct, document__kind="text").order_by("number"):
        latest[version.document.object_id] = version.file.name
    for pk, name in latest.items():
        Filing.objects.filter(pk=pk).update(source_file=name)


class Migration(migrations.Migration):
    dependencies = [
        ("filing", "0001_initial"),
        ("workflow", "0003_documents"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="filing", name="source_file"),
    ]
