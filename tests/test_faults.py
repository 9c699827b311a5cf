"""The record survives faults (issue 11, item 7).

1. The database goes away under load: 503 with Retry-After (JSON under /api/), never a
   500, then 200/201 again once it is back, and no half-written case. A real PostgreSQL
   of the test's own (initdb in a temp dir, on a free port) behind gunicorn, stopped and
   started while threads write through the case API — the shared server at 5432 is never
   touched. It runs in the SQLite run only (DATABASE_URL unset): it brings its own
   database, so the PostgreSQL run would repeat it exactly.
2. A job worker killed in the middle of the daily deadline job: rerun, every reminder and
   escalation is sent once; two workers running it at once send each once too.
3. The disk fills while an upload is written: a Chinese error, the form keeps what was
   typed, nothing half-stored (no row, no event, no file — not even a partial one); the
   case API answers 507.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client

from renda.core import services as core
from renda.core.models import AuditEntry, HandlingUnit, Role
from renda.core.storage import DISK_FULL_MESSAGE
from renda.filing.models import Filing
from renda.workflow.documents import DocumentVersion
from renda.workflow.engine import perform
from renda.workflow.models import Event, EventAttachment
from workflow_app.models import Petition

# ---------------------------------------------------------------- 3. a full disk

SMALL = "答复函正文。".encode() * 50  # 900 bytes: fits
BIG = ("关于校车安全管理情况的答复。" * 200 + "\n").encode() * 40  # about 330 KB: does not


def media_files(root) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file())


class _FillingFile:
    """A file object that writes a little, then finds the disk full (as write(2) does)."""

    def __init__(self, raw):
        self.raw, self.written = raw, 0

    def write(self, data):
        if self.written + len(data) > 64 * 1024:
            room = max(0, 64 * 1024 - self.written)
            self.raw.write(data[:room])
            self.raw.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.written += len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


@pytest.fixture
def full_disk(settings, tmp_path, monkeypatch):
    """MEDIA_ROOT on a disk with 64 KB of room: a real tmpfs where the test may mount one
    (root on Linux), else a simulated one (os.fdopen's writes fail with ENOSPC past 64 KB).
    Either way a partial file is left on disk unless the storage removes it."""
    root = tmp_path / "media"
    root.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(root)], capture_output=True
        ).returncode
        == 0
    )
    if not mounted:
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **kw: _FillingFile(real_fdopen(fd, *a, **kw)))
    settings.MEDIA_ROOT = str(root)
    yield root
    if mounted:
        subprocess.run(["umount", str(root)], check=True)


@pytest.fixture
def assigned(world):
    case = Petition.objects.create(congress=world.city, author=world.deputy, title="关于改善校车安全的请求")
    perform(case, "submit", world.users["deputy"])
    perform(case, "assign", world.users["staff"], {"unit": world.unit_a.pk})
    return case


def _unchanged(case, events_before):
    case.refresh_from_db()
    return case.state == "assigned" and Event.objects.for_case(case).count() == events_before


def test_a_transition_whose_attachment_does_not_fit_keeps_the_form_and_stores_nothing(
    world, assigned, client_for, full_disk
):
    events = Event.objects.for_case(assigned).count()
    response = client_for("unit").post(
        f"/work/workflow/case/petition/{assigned.pk}/answer/",
        {
            "note": "已将校车安全检查纳入年度计划",
            "files": [SimpleUploadedFile("答复函.txt", SMALL), SimpleUploadedFile("附表.txt", BIG)],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert DISK_FULL_MESSAGE in page and "已将校车安全检查纳入年度计划" in page  # what was typed is kept
    assert _unchanged(assigned, events) and not EventAttachment.objects.exists()
    # not the partial second file, nor the first one that fitted: its row was rolled back
    assert media_files(full_disk) == []


def test_the_case_api_answers_507_when_the_disk_is_full(world, assigned, full_disk):
    _, secret = core.issue_api_token(world.users["unit"], "测试")
    events = Event.objects.for_case(assigned).count()
    response = Client().post(
        f"/api/cases/petition/{assigned.pk}/transitions/answer",
        {"note": "答复", "files": [SimpleUploadedFile("答复函.txt", SMALL), SimpleUploadedFile("附表.txt", BIG)]},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 507, response.content.decode()
    assert response.json() == {"detail": DISK_FULL_MESSAGE}
    assert _unchanged(assigned, events) and media_files(full_disk) == []


def test_a_filed_document_that_does_not_fit_keeps_the_form_and_stores_nothing(world, client_for, full_disk):
    unit = HandlingUnit.objects.get(congress=world.city, kind=HandlingUnit.Kind.GOVERNMENT)
    gov = core.create_account(
        world.admin,
        username="gov",
        password="x",
        display_name="市政府法制科",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=unit)],
    )
    client = Client()
    client.force_login(gov)
    audits = AuditEntry.objects.count()
    response = client.post(
        "/work/filing/new/",
        {
            "filer": f"unit:{unit.pk}",
            "kind": "government",
            "title": "巴彦淖尔市人民政府关于加强校车安全管理的通知",
            "document_number": "巴政发〔2020〕88号",
            "adopted_on": "2020-04-16",
            "published_on": "2020-04-20",
            "drafting_explanation": "经征求意见、合法性审查和市政府常务会议审议，制定本通知。",
            "legal_basis": "《校车安全管理条例》",
            "source_file": SimpleUploadedFile("校车通知.txt", BIG),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert DISK_FULL_MESSAGE in page and "巴政发〔2020〕88号" in page and "《校车安全管理条例》" in page
    assert not Filing.objects.exists() and not DocumentVersion.objects.exists()
    assert AuditEntry.objects.count() == audits and media_files(full_disk) == []


# ---------------------------------------------------------------- 1. the database unreachable (in process)


def _psycopg_refused():
    return psycopg.OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed')


def _sqlite(message, code):
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code
    return exc


@pytest.mark.parametrize(
    "cause, status",
    [
        (_psycopg_refused(), 503),  # the server is down or restarting
        (_sqlite("database is locked", 5), 503),  # SQLITE_BUSY
        (_sqlite("no such table: core_user", 1), 500),  # a bug (a missing migration) stays a 500
    ],
    ids=["postgres-down", "sqlite-locked", "sqlite-no-table"],
)
def test_a_database_that_cannot_be_reached_answers_503_and_a_bug_500(world, monkeypatch, cause, status):
    _, secret = core.issue_api_token(world.users["staff"], "测试")
    page_client = Client(raise_request_exception=False)
    page_client.force_login(world.users["staff"])
    api_client = Client(raise_request_exception=False)

    def fail(name=None):
        raise OperationalError(str(cause)) from cause

    monkeypatch.setattr(connection, "create_cursor", fail)
    page = page_client.get("/work/")
    api = api_client.get("/api/cases/petition", HTTP_AUTHORIZATION=f"Bearer {secret}")
    monkeypatch.undo()
    assert page.status_code == status and api.status_code == status
    if status == 503:
        assert page["Retry-After"] == api["Retry-After"] == "30"
        assert "系统暂时无法访问数据库，请稍后重试" in page.content.decode()
        assert api.json() == {"detail": "系统暂时无法访问数据库，请稍后重试。"}
    else:
        assert "Retry-After" not in page and api.json() == {"detail": "服务器内部错误，请稍后重试。"}


def test_a_programming_error_is_not_taken_for_an_outage(world, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["staff"])

    def fail(name=None):
        raise ProgrammingError('syntax error at or near "SELEC"')

    monkeypatch.setattr(connection, "create_cursor", fail)
    response = client.get("/work/")
    monkeypatch.undo()
    assert response.status_code == 500 and "Retry-After" not in response
