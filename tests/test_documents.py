"""Versioned documents of cases and records: numbering, text extracted once, append-only,
scoping through the record, the filing's text as versions, and the removal of orphaned
uploads."""

import hashlib
import io
import os
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.template import Context, Template

from renda.core.orphans import orphans, remove_orphans
from renda.core.scoping import allowed, visible
from renda.workflow import documents
from renda.workflow.documents import Document, DocumentVersion, document_kind
from renda.workflow.engine import perform
from test_filing import TEXT as FILING_TEXT
from test_filing import data, gov  # noqa: F401  (gov: the municipal government's fixture)
from workflow_app.models import Petition

# a kind of document for the engine's test case type: its drafts follow the case's process
document_kind(Petition, "reply", "答复稿")

TEXT = "关于道路修缮的答复\n\n经研究，已将该路段列入明年维修计划。\n"


def docx(*paragraphs) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def petition(world):
    case = Petition.objects.create(congress=world.city, title="道路修缮", author=world.deputy)
    perform(case, "submit", world.users["deputy"], today=date(2020, 9, 1))
    perform(case, "assign", world.users["staff"], {"unit": world.unit_a.pk}, today=date(2020, 9, 1))
    return case


def test_versions_are_numbered_hashed_and_their_text_read_once(world, petition, media):
    unit = world.users["unit"]
    first_bytes = TEXT.encode("gb18030")
    v1 = documents.add_version(petition, "reply", SimpleUploadedFile("答复稿.txt", first_bytes), unit, note="初稿")
    second = docx("关于道路修缮的答复（修改稿）", "已列入2021年维修计划，预计五月开工。")
    v2 = documents.add_version(petition, "reply", SimpleUploadedFile("答复稿（修改）.docx", second), unit)
    v3 = documents.add_version(petition, "reply", SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\nrest"), unit)

    assert [v.number for v in documents.versions(petition)] == [1, 2, 3]
    assert Document.objects.for_record(petition).get().title == "答复稿"  # created on first use, once
    assert (v1.name, v1.size, v1.sha256) == ("答复稿.txt", len(first_bytes), hashlib.sha256(first_bytes).hexdigest())
    assert v1.content_type == "text/plain" and v1.note == "初稿" and v1.uploaded_by == unit
    assert "列入明年维修计划" in v1.text  # read as GB18030
    assert "预计五月开工" in v2.text and v2.text_note == ""
    assert (v3.text, v3.text_note, v3.content_type) == ("", "", "image/png")  # an image has no text
    assert documents.current(petition, "reply") == v3
    assert documents.current(petition, "other") is None

    # the text is the one read at upload: changing the stored file does not change it
    with open(media / v2.file.name, "wb") as handle:
        handle.write(docx("完全不同的内容"))
    assert "预计五月开工" in DocumentVersion.objects.get(pk=v2.pk).text
    # stored under a random ASCII name; the original name is on the row
    assert v2.file.name.startswith("documents/") and "答复稿" not in v2.file.name


def test_a_file_whose_text_cannot_be_read_is_kept_with_the_reason(world, petition, media):
    v = documents.add_version(
        petition, "reply", SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4 not really"), world.users["unit"]
    )
    assert v.text == "" and "无法读取该PDF文件" in v.text_note


def test_an_upload_refused_by_the_shared_check_stores_nothing(world, petition, media):
    with pytest.raises(ValidationError) as caught:
        documents.add_version(
            petition, "reply", SimpleUploadedFile("答复.pdf", b"<html><script>x</script>"), world.users["unit"]
        )
    assert "“答复.pdf”的内容与扩展名（.pdf）不符" in caught.value.messages[0]
    assert not DocumentVersion.objects.exists() and not any(p.is_file() for p in media.rglob("*"))
    with pytest.raises(LookupError):  # a kind no module declared
        documents.add_version(petition, "undeclared", SimpleUploadedFile("a.txt", b"x"), world.users["unit"])


def test_versions_are_append_only(world, petition, media):
    v = documents.add_version(petition, "reply", SimpleUploadedFile("答复稿.txt", TEXT.encode()), world.users["unit"])
    v.note = "改过"
    with pytest.raises(PermissionError):
        v.save()
    with pytest.raises(PermissionError):
        v.delete()
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE workflow_documentversion SET text = %s WHERE id = %s", ["篡改", v.pk])
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            DocumentVersion.objects.filter(pk=v.pk).delete()
    stored = DocumentVersion.objects.get(pk=v.pk)
    assert stored.note == "" and "列入明年维修计划" in stored.text


def test_documents_are_seen_by_who_may_follow_the_record(world, petition, media, client_for):
    v = documents.add_version(petition, "reply", SimpleUploadedFile("答复稿.txt", TEXT.encode()), world.users["unit"])
    seeing = {"admin", "staff", "deputy", "unit", "director", "member"}
    for role in ("admin", "staff", "deputy", "unit", "director", "member", "other_unit", "other_deputy", "public"):
        user = world.users.get(role)
        expected = role in seeing
        assert (list(visible(user, DocumentVersion)) == [v]) is expected, role
        assert (list(visible(user, Document)) == [v.document]) is expected, role
        assert allowed(user, "view", v) is expected, role
        assert client_for(role).get(v.download_url).status_code == (200 if expected else 404), role
    assert not allowed(world.users["staff"], "change", v)

    html = Template("{% load documents %}{% record_documents case %}")
    shown = html.render(Context({"case": petition, "user": world.users["unit"]}))
    assert "答复稿.txt" in shown and v.download_url in shown and "第1版" in shown
    hidden = html.render(Context({"case": petition, "user": world.users["other_unit"]}))
    assert "答复稿.txt" not in hidden


def test_the_document_list_costs_the_same_for_one_version_or_many(world, petition, media):
    from django.test.utils import CaptureQueriesContext

    html = Template("{% load documents %}{% record_documents case %}")

    def count():
        user = type(world.users["unit"]).objects.get(pk=world.users["unit"].pk)  # no cached roles
        with CaptureQueriesContext(connection) as ctx:
            html.render(Context({"case": petition, "user": user}))
        return len(ctx.captured_queries)

    documents.add_version(petition, "reply", SimpleUploadedFile("a.txt", TEXT.encode()), world.users["unit"])
    one = count()
    for n in range(4):
        documents.add_version(petition, "reply", SimpleUploadedFile(f"{n}.txt", TEXT.encode()), world.users["unit"])
    assert count() == one


# ------------------------------------------------------------------ orphaned uploads


def _age(path, hours):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.mark.usefixtures("gov")
def test_the_orphan_job_removes_a_refused_filings_file_and_keeps_the_others(world, media, client_for):
    from renda.filing import services

    unit = world.gov

    kept = services.file_document(
        world.users["gov"],
        data(unit),
        SimpleUploadedFile("通知.txt", FILING_TEXT.encode()),
        today=date(2020, 5, 6),
    )
    with pytest.raises(ValidationError):  # refused after the file was written: no 起草说明
        services.file_document(
            world.users["gov"],
            data(unit, document_number="巴政发〔2020〕13号", drafting_explanation=""),
            SimpleUploadedFile("另一个通知.txt", FILING_TEXT.encode()),
            today=date(2020, 5, 6),
        )
    referenced = media / documents.current(kept, "text").file.name
    # the refusal rolled back the file's row and took the file with it (core.storage.atomic_with_files)
    assert sorted(p for p in media.rglob("*") if p.is_file()) == [referenced]
    # a file whose process died between writing it and committing its row is left behind
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("documents/2020/05/crashed.txt", ContentFile(FILING_TEXT.encode()))
    stored = sorted(p for p in media.rglob("*") if p.is_file())
    refused = next(p for p in stored if p != referenced)
    assert DocumentVersion.objects.count() == 1

    assert orphans() == []  # both are fresh: an upload whose transaction is open is never taken
    for path in stored:
        _age(path, 30)
    fresh = media / "documents" / "fresh.txt"
    fresh.write_bytes(b"written a moment ago")
    assert [o.name for o in orphans()] == [refused.relative_to(media).as_posix()]

    out = io.StringIO()
    call_command("files", "orphans", stdout=out)
    assert refused.name in out.getvalue() and refused.exists()  # listing deletes nothing
    assert [o.name for o in remove_orphans()] == [refused.relative_to(media).as_posix()]
    assert not refused.exists() and referenced.exists() and fresh.exists()
    call_command("files", "orphans", "--delete", "--older-than-hours", "0", stdout=io.StringIO())
    assert not fresh.exists() and referenced.exists()
    assert client_for("gov").get(documents.current(kept, "text").download_url).status_code == 200
