"""`renda backup create|verify|restore`: the demo year survives a round trip record for record,
file for file and figure for figure; damaged or unsuitable archives are refused untouched.

Runs on the configured engine (SQLite by default; DATABASE_URL=postgres://… for PostgreSQL).
The database tests are transactional (`transaction=True`): a backup reads the database through a
connection of its own, and a restore replaces it, which a test wrapped in a transaction
would neither show nor survive.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import renda
from renda.core import backup
from renda.core.models import AuditEntry, Deputy, User
from renda.core.services import audit

transactional = pytest.mark.django_db(transaction=True)


def table_fingerprints() -> dict[str, str]:
    """sha256 of every model's rows, every concrete column, ordered by pk."""
    prints = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.attname for f in model._meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values_list(*columns))
        prints[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest() + f":{len(rows)}"
    return prints


def media_hashes() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def summary(fmt: str, tmp_path: Path) -> bytes:
    if fmt in ("md", "html"):
        out = StringIO()
        call_command("report", "summary", "--year", "2020", "--format", fmt, stdout=out)
        return out.getvalue().encode()
    target = tmp_path / f"summary.{fmt}"
    call_command("report", "summary", "--year", "2020", "--format", fmt, "--output", str(target), stderr=StringIO())
    # The .docx carries its creation time (core properties, zip timestamps): compare the body.
    with zipfile.ZipFile(target) as z:
        return z.read("word/document.xml")


def state(tmp_path) -> dict:
    return {
        "tables": table_fingerprints(),
        "media": media_hashes(),
        "summary_md": summary("md", tmp_path),
        "summary_html": summary("html", tmp_path),
        "summary_docx_body": summary("docx", tmp_path),
    }


def wipe_media() -> None:
    root = Path(settings.MEDIA_ROOT)
    for p in sorted(root.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()


@transactional
def test_demo_year_round_trip(tmp_path):
    call_command("load_demo", quiet=True)
    before = state(tmp_path)
    assert before["media"], "the demo year stores files"
    assert AuditEntry.objects.exists() and len(before["summary_md"]) > 1000
    archive = tmp_path / "renda.tar.gz"
    out = StringIO()
    call_command("backup", "create", str(archive), stdout=out)
    assert "已备份" in out.getvalue() and archive.exists()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file left"

    manifest = backup.verify(archive).manifest
    assert manifest["engine"] == connection.vendor
    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"]["core"] == max(name for app, name in applied if app == "core")
    assert manifest["tables"]["core_deputy"] == Deputy.objects.count() > 1000
    assert manifest["tables"]["core_auditentry"] == AuditEntry.objects.count()
    assert manifest["audit_head"]["id"] == AuditEntry.objects.order_by("-id").first().id
    assert {n.removeprefix("media/") for n in manifest["members"] if n.startswith("media/")} == set(before["media"])

    # onto a database with data, nothing happens without --force
    with pytest.raises(CommandError, match="已有数据"):
        call_command("backup", "restore", str(archive))
    assert table_fingerprints() == before["tables"]

    # lose everything: records and files (and a stray file that the restore must not keep)
    call_command("flush", interactive=False, verbosity=0)
    wipe_media()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("not in the backup")
    assert not User.objects.exists()

    out = StringIO()
    call_command("backup", "restore", str(archive), stdout=out)
    assert "已恢复" in out.getvalue()
    after = state(tmp_path)
    for key in before:
        assert after[key] == before[key], key

    # the restored audit trail is still append-only
    entry = AuditEntry.objects.order_by("id").first()
    with pytest.raises(Exception, match="append-only"):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry.id])


@pytest.fixture
def small(tmp_path):
    """A few records and files, backed up to a plain tar (member bytes at fixed offsets)."""
    admin = User.objects.create_user("keeper", password="x-Very-long-1", display_name="保管员")
    audit(admin, "create", admin, {"username": "keeper"})
    root = Path(settings.MEDIA_ROOT)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "意见.txt").write_text("审查意见" * 100)
    (root / "scan.bin").write_bytes(bytes(range(256)) * 40)
    archive = tmp_path / "small.tar"
    backup.create(archive)
    return archive


def flip_byte(archive: Path, member: str) -> None:
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
    data = bytearray(archive.read_bytes())
    data[info.offset_data + info.size // 2] ^= 0x01
    archive.write_bytes(bytes(data))


def current() -> tuple:
    return table_fingerprints(), media_hashes()


@transactional
@pytest.mark.parametrize("member", ["db", "media/docs/意见.txt"])
def test_tampered_archive_is_refused_untouched(small, member):
    name = backup.DB_MEMBER[connection.vendor] if member == "db" else member
    flip_byte(small, name)
    User.objects.create_user("latecomer", password="x-Very-long-2")
    (Path(settings.MEDIA_ROOT) / "scan.bin").write_bytes(b"changed since")
    untouched = current()
    with pytest.raises(CommandError, match=f"校验失败.*{name}"):
        call_command("backup", "verify", str(small))
    with pytest.raises(CommandError, match=f"checksum mismatch.*{name}"):
        call_command("backup", "restore", str(small), "--force")
    assert current() == untouched
    media_root = Path(settings.MEDIA_ROOT)
    assert not [p for p in media_root.parent.iterdir() if p.name.startswith(f".{media_root.name}.restore-")]


@transactional
def test_truncated_or_foreign_archives_are_refused(small, tmp_path):
    data = small.read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(data[: len(data) // 2])
    untouched = current()
    with pytest.raises(CommandError, match="损坏|缺少清单"):
        call_command("backup", "restore", str(cut), "--force")
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(__file__, arcname="../etc/passwd")
    with pytest.raises(CommandError, match="不允许的成员"):
        call_command("backup", "restore", str(other), "--force")
    with pytest.raises(CommandError, match="不存在"):
        call_command("backup", "verify", str(tmp_path / "none.tar"))
    assert current() == untouched


def rewrite_manifest(archive: Path, change) -> None:
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            if info.name == backup.MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@transactional
def test_archive_from_newer_code_is_refused(small):
    rewrite_manifest(small, lambda m: m["migrations"].update(core="9999_from_the_future"))
    backup.verify(small)  # the checksums are fine; the schema is not known
    untouched = current()
    with pytest.raises(CommandError, match="更新.*core.9999_from_the_future"):
        call_command("backup", "restore", str(small), "--force")
    assert current() == untouched


@transactional
def test_restore_with_force_replaces_records_and_files(small):
    before = current()
    User.objects.create_user("latecomer", password="x-Very-long-2")
    (Path(settings.MEDIA_ROOT) / "late.txt").write_text("uploaded after the backup")
    call_command("backup", "restore", str(small), "--force", stdout=StringIO())
    assert current() == before
    assert not User.objects.filter(username="latecomer").exists()


@transactional
def test_tables_the_archive_lacks(small):
    """SQLite's restore replaces the whole file; pg_restore --clean would leave a table of newer
    code behind, so PostgreSQL refuses and asks for an empty database."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE extra_from_newer_code (id integer)")
    try:
        if connection.vendor == "postgresql":
            untouched = current()
            with pytest.raises(CommandError, match="备份中没有的表.*extra_from_newer_code"):
                call_command("backup", "restore", str(small), "--force")
            assert current() == untouched
        else:
            call_command("backup", "restore", str(small), "--force", stdout=StringIO())
            assert "extra_from_newer_code" not in connection.introspection.table_names()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS extra_from_newer_code")


@transactional
def test_create_is_atomic(small, tmp_path, monkeypatch):
    target = tmp_path / "crash.tar.gz"
    real_add = backup._add

    def crash(tar, name, file):
        if name.startswith("media/"):
            raise OSError("disk full")
        return real_add(tar, name, file)

    monkeypatch.setattr(backup, "_add", crash)
    with pytest.raises(OSError):
        backup.create(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.tar"]


def test_unsupported_compression_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="zstd"):
        call_command("backup", "create", str(tmp_path / "x.tar.zst"))


def test_a_refused_archive_exits_non_zero(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"\x1f\x8b" + b"not a backup" * 50)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renda.config.settings",
        "RENDA_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(Path(renda.__file__).parents[1]),
    }
    run = subprocess.run(
        [sys.executable, "-m", "renda", "backup", "verify", str(junk)], env=env, capture_output=True, text=True
    )
    assert run.returncode == 1, run.stderr
    assert "备份文件已损坏" in run.stderr and "Traceback" not in run.stderr


def test_pg_client_older_than_the_server_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("RENDA_PG_BIN_DIR", str(tmp_path))
    with pytest.raises(backup.BackupError, match="找不到 15 版或更新的 pg_dump"):
        backup.pg_binary("pg_dump", 15)
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 16.4'\n")
    assert backup.pg_binary("pg_dump", 15) == str(fake)
