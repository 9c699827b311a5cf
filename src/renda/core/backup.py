"""Backup and restore of one Renda instance: the database and the uploaded files, in one
checksummed archive (`renda backup create|verify|restore`).

The archive is a tar file (optionally gzip, bzip2 or xz, by its suffix) holding
  db/renda.sqlite3   a consistent copy made with SQLite's online backup API, or
  db/renda.pgdump    `pg_dump --format=custom` taken in an exported snapshot,
  media/…            every file under MEDIA_ROOT,
  manifest.json      last: format, time, engine, migration state, sha256 and size of every
                     other member, row counts of every table, the audit chain head.
Personal data inside stays as stored: fields encrypted with RENDA_DATA_KEYS are still
encrypted in the dump, so the keys must be kept (and backed up) apart from the archives.

Restore extracts into a staging directory beside MEDIA_ROOT while hashing, and checks every
member against the manifest before it touches the database or the files.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "db/renda.sqlite3", "postgresql": "db/renda.pgdump"}
MEDIA = "media"
CHUNK = 1024 * 1024
# Tables that `migrate` fills by itself: rows there do not make a database "hold data".
SEEDED_TABLES = {"django_migrations", "django_content_type", "auth_permission", "renda_maintenance"}
COMPRESSION = {".gz": "gz", ".tgz": "gz", ".bz2": "bz2", ".xz": "xz"}


class BackupError(Exception):
    """A backup or restore refused or failed; the message is meant for the operator."""


@dataclass
class Report:
    manifest: dict
    path: Path
    notes: list[str] = field(default_factory=list)


# --- helpers -------------------------------------------------------------------------------


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"不支持的数据库：{vendor}（Unsupported database engine）")
    return vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_counts(cursor, vendor: str) -> dict[str, int]:
    """Rows per table, every table of the database (Django's and the few outside the ORM)."""
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    names = sorted(row[0] for row in cursor.fetchall())
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


def _migration_state(cursor) -> dict[str, str]:
    """The last applied migration of each app (names sort by their number prefix)."""
    cursor.execute("SELECT app, name FROM django_migrations")
    last: dict[str, str] = {}
    for app, name in cursor.fetchall():
        if name > last.get(app, ""):
            last[app] = name
    return dict(sorted(last.items()))


def _audit_head(cursor) -> dict | None:
    """The newest audit entry, with its chain hash when the model keeps a chain."""
    from renda.core.models import AuditEntry

    table = AuditEntry._meta.db_table
    columns = ["id"] + [f for f in ("hash",) if any(x.name == f for x in AuditEntry._meta.concrete_fields)]
    cursor.execute(f"SELECT {', '.join(columns)} FROM {_quote(table)} ORDER BY id DESC LIMIT 1")
    row = cursor.fetchone()
    return dict(zip(columns, row)) if row else None


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _HashingReader:
    """Hands a file to tarfile while hashing what tarfile reads of it."""

    def __init__(self, f):
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _write_mode(path: Path) -> str:
    """Compression by the name's suffix (reading detects it from the content)."""
    for suffix, kind in COMPRESSION.items():
        if path.name.endswith(suffix):
            return f"w|{kind}"
    if path.name.endswith((".zst", ".zstd")):
        raise BackupError("此Python版本不支持zstd压缩，请使用 .tar、.tar.gz 或 .tar.xz（zstd needs Python 3.14）")
    return "w|"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- PostgreSQL client binaries ------------------------------------------------------------


def _major(version_output: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_output)
    return int(match.group(1)) if match else 0


def pg_binary(name: str, server_major: int) -> str:
    """`pg_dump`/`pg_restore` of the server's major version or the nearest newer one (an
    older client refuses a newer server). RENDA_PG_BIN_DIR names the directory explicitly."""
    if os.environ.get("RENDA_PG_BIN_DIR"):
        candidates = [Path(os.environ["RENDA_PG_BIN_DIR"]) / name]
    else:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: _major(p.parts[-3]))
        if found := shutil.which(name):
            candidates.append(Path(found))
    for candidate in candidates:
        if not candidate.exists():
            continue
        out = subprocess.run([str(candidate), "--version"], capture_output=True, text=True).stdout
        if _major(out.rsplit(" ", 1)[-1]) >= server_major:
            return str(candidate)
    raise BackupError(
        f"找不到 {server_major} 版或更新的 {name}，请安装PostgreSQL客户端或设置 RENDA_PG_BIN_DIR"
        f"（no {name} of version {server_major} or newer found）"
    )


def _pg_env(settings_dict: dict) -> dict:
    """libpq environment for the configured database: the password never goes on a command line."""
    env = dict(os.environ)
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            pairs[f"PG{key.upper()}"] = str(options[key])
    env.update({k: str(v) for k, v in pairs.items() if v})
    return env


def _pg_server_major(connection) -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _run(args: list[str], env: dict, what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what}失败（{what} failed）：{result.stderr.strip()[-2000:]}")


# --- create --------------------------------------------------------------------------------


def _dump_sqlite(using: str, target: Path) -> dict:
    """A consistent copy through the online backup API (a file copy of a live WAL database
    may miss committed pages), then the figures read from that copy."""
    source = connections.create_connection(using)
    try:
        source.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            source.connection.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    copy = sqlite3.connect(target)
    try:
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        cursor = copy.cursor()
        return {
            "tables": _table_counts(cursor, "sqlite"),
            "migrations": _migration_state(cursor),
            "audit_head": _audit_head(cursor),
        }
    finally:
        copy.close()


def _dump_postgresql(using: str, target: Path) -> dict:
    """pg_dump in a snapshot exported by a read-only repeatable-read transaction, which also
    reads the figures: dump and manifest describe the same instant."""
    conn = connections.create_connection(using)
    try:
        binary = pg_binary("pg_dump", _pg_server_major(conn))
        with conn.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                figures = {
                    "tables": _table_counts(cursor, "postgresql"),
                    "migrations": _migration_state(cursor),
                    "audit_head": _audit_head(cursor),
                }
                _run(
                    [binary, "--format=custom", f"--snapshot={snapshot}", "--no-password", f"--file={target}"],
                    _pg_env(conn.settings_dict),
                    "pg_dump",
                )
            finally:
                cursor.execute("ROLLBACK")
        figures["server_version"] = conn.pg_version
        return figures
    finally:
        conn.close()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def default_path(directory: Path | None = None) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return (directory or Path(settings.VAR_DIR) / "backups") / f"renda-{stamp}.tar.gz"


def create(path: Path | None = None, *, using: str = "default") -> Report:
    """Write the archive to `path` (default var/backups/renda-<time>.tar.gz; a directory gets
    that name inside it), atomically:
    it is built under a temporary name in the same directory and renamed when complete."""
    vendor = _vendor(using)
    path = Path(path) if path else default_path()
    if path.is_dir():
        path = default_path(path)
    mode = _write_mode(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix=".renda-backup-", dir=path.parent) as staging:
        dump = Path(staging) / "db"
        figures = _dump_sqlite(using, dump) if vendor == "sqlite" else _dump_postgresql(using, dump)
        fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode=mode, format=tarfile.PAX_FORMAT) as tar:
                    members[DB_MEMBER[vendor]] = _add(tar, DB_MEMBER[vendor], dump)
                    for file in _media_files(media_root):
                        name = f"{MEDIA}/{file.relative_to(media_root).as_posix()}"
                        members[name] = _add(tar, name, file)
                    manifest = {
                        "format": FORMAT,
                        "created_at": timezone.now().isoformat(),
                        "engine": vendor,
                        **figures,
                        "members": members,
                    }
                    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                    info = _tarinfo(MANIFEST, len(data))
                    tar.addfile(info, io.BytesIO(data))
                raw.flush()
                os.fsync(raw.fileno())
            os.chmod(partial, 0o600)  # personal data, however encrypted
            os.replace(partial, path)
            _fsync_dir(path.parent)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return Report(manifest=manifest, path=path)


def _tarinfo(name: str, size: int, mtime: float | None = None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(mtime if mtime is not None else timezone.now().timestamp())
    return info


def _add(tar: tarfile.TarFile, name: str, file: Path) -> dict:
    with open(file, "rb") as f:
        stat = os.fstat(f.fileno())
        reader = _HashingReader(f)
        # tarfile copies exactly info.size bytes and fails if the file shrank meanwhile.
        tar.addfile(_tarinfo(name, stat.st_size, stat.st_mtime), reader)
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


# --- verify --------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def _read(path: Path, extract_to: Path | None) -> dict:
    """One pass over the archive: hash every member (writing it under `extract_to` if given),
    then check the set and each checksum against the manifest. Raises BackupError."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}（backup file not found）")
    seen: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, mode="r|*") as tar:
            for info in tar:
                name = info.name
                if not info.isfile() or not _safe_name(name):
                    raise BackupError(f"备份文件含有不允许的成员：{name}（unexpected member）")
                if name in seen or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"备份文件中成员重复：{name}（duplicate member）")
                f = tar.extractfile(info)
                if name == MANIFEST:
                    manifest_bytes = f.read(16 * CHUNK)
                    continue
                digest, size, out = hashlib.sha256(), 0, None
                if extract_to is not None:
                    target = extract_to / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    out = open(target, "wb")
                try:
                    while chunk := f.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        if out:
                            out.write(chunk)
                finally:
                    if out:
                        out.close()
                        os.utime(target, (info.mtime, info.mtime))  # the orphan sweep reads ages
                seen[name] = {"sha256": digest.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(f"备份文件已损坏或格式不对（corrupt archive）：{exc}") from exc
    if manifest_bytes is None:
        raise BackupError("备份文件缺少清单 manifest.json（no manifest: incomplete or not a Renda backup）")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError(f"备份清单无法读取（manifest unreadable）：{exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式版本不受支持（unsupported format {manifest.get('format')!r}）")
    if manifest.get("engine") not in DB_MEMBER or not all(
        isinstance(manifest.get(key), dict) for key in ("members", "tables", "migrations")
    ):
        raise BackupError("备份清单内容不完整（manifest incomplete）")
    expected = manifest["members"]
    problems = [f"缺少（missing）{n}" for n in sorted(set(expected) - set(seen))]
    problems += [f"多出（unexpected）{n}" for n in sorted(set(seen) - set(expected))]
    problems += [
        f"校验值不符（checksum mismatch）{n}" for n in sorted(set(seen) & set(expected)) if seen[n] != expected[n]
    ]
    if DB_MEMBER[manifest["engine"]] not in expected:
        problems.append(f"缺少数据库（no database dump）{DB_MEMBER[manifest['engine']]}")
    if problems:
        shown = "；".join(problems[:10]) + (f"……共{len(problems)}处" if len(problems) > 10 else "")
        raise BackupError(f"备份文件校验失败（verification failed）：{shown}")
    return manifest


def verify(path: Path) -> Report:
    """Check every member's checksum against the manifest; nothing is written."""
    return Report(manifest=_read(path, None), path=Path(path))


# --- restore -------------------------------------------------------------------------------


def _check_migrations(manifest: dict, using: str) -> list[str]:
    """Refuse an archive whose schema the code does not know; name the apps it is behind in."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True, load=True)
    unknown = [
        f"{app}.{name}" for app, name in manifest.get("migrations", {}).items() if (app, name) not in loader.graph.nodes
    ]
    if unknown:
        raise BackupError(
            "备份来自更新（或另一分支）的程序版本，当前程序不认识其迁移："
            + "、".join(unknown)
            + "。请先升级程序再恢复（archive newer than the code）"
        )
    behind = []
    for app, name in manifest.get("migrations", {}).items():
        leaves = loader.graph.leaf_nodes(app)
        if leaves and (app, name) not in leaves:
            behind.append(app)
    return behind


def _live_tables(using: str) -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return _table_counts(cursor, connection.vendor)


def _restore_sqlite(using: str, dump: Path) -> None:
    copy = sqlite3.connect(dump)
    try:
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("备份中的数据库文件已损坏（database copy fails quick_check）")
        target = connections.create_connection(using)
        try:
            target.ensure_connection()
            # The backup API replaces the live database page by page in one transaction,
            # under SQLite's locks: other connections see the old or the new database.
            copy.backup(target.connection)
        finally:
            target.close()
    finally:
        copy.close()


def _restore_postgresql(using: str, dump: Path) -> None:
    connection = connections[using]
    binary = pg_binary("pg_restore", _pg_server_major(connection))
    env = _pg_env(connection.settings_dict)
    connection.close()  # our own session must not hold locks on the tables being replaced
    # Triggers need no --disable-triggers (superuser only): the append-only triggers fire on
    # UPDATE/DELETE, never on the COPY that loads rows, and pg_restore creates them after the data.
    _run(
        [
            binary,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env,
        "pg_restore",
    )


def _swap_media(staged: Path, media_root: Path) -> None:
    """Put the restored files in place of MEDIA_ROOT: two renames on the same filesystem."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged.mkdir(parents=True, exist_ok=True)
    old = media_root.with_name(f".{media_root.name}.replaced")
    shutil.rmtree(old, ignore_errors=True)
    if media_root.exists():
        shutil.copymode(media_root, staged)
    if media_root.exists() and os.path.ismount(media_root):
        # A mount point cannot be renamed: set its entries aside inside it, then move
        # (copy, across filesystems) the restored entries in.
        old = media_root / ".renda-replaced"
        shutil.rmtree(old, ignore_errors=True)
        old.mkdir()
        for entry in list(media_root.iterdir()):
            if entry != old:
                os.rename(entry, old / entry.name)
        for entry in list(staged.iterdir()):
            shutil.move(entry, media_root / entry.name)
    else:
        if media_root.exists():
            os.rename(media_root, old)
        os.rename(staged, media_root)
    shutil.rmtree(old, ignore_errors=True)


def restore(path: Path, *, force: bool = False, using: str = "default") -> Report:
    """Verify the archive completely, then replace the database and MEDIA_ROOT with its
    contents, then compare the row counts with the manifest."""
    vendor = _vendor(using)
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    # Staged beside MEDIA_ROOT so that swapping the files in is a rename, not a copy.
    with tempfile.TemporaryDirectory(prefix=f".{media_root.name}.restore-", dir=media_root.parent) as staging:
        staging = Path(staging)
        manifest = _read(path, staging)
        if manifest["engine"] != vendor:
            raise BackupError(
                f"备份来自 {manifest['engine']} 数据库，当前配置为 {vendor}，不能直接恢复（engine mismatch）"
            )
        behind = _check_migrations(manifest, using)
        live = _live_tables(using)
        filled = [t for t, n in live.items() if n and t not in SEEDED_TABLES]
        if filled and not force:
            raise BackupError(
                f"当前数据库已有数据（{'、'.join(filled[:5])}等），未作任何改动；确认覆盖请加 --force"
                "（database not empty: use --force to overwrite）"
            )
        # pg_restore --clean drops only what the dump holds: a table of newer code would stay
        # behind and break the next `migrate` (SQLite's restore replaces the whole file).
        if vendor == "postgresql" and (extra := sorted(set(live) - set(manifest["tables"]))):
            raise BackupError(
                f"当前数据库有备份中没有的表（{'、'.join(extra[:5])}），未作任何改动；请恢复到新建的空数据库，"
                "再运行 renda migrate（tables not in the archive: restore into an empty database）"
            )
        dump = staging / DB_MEMBER[vendor]
        if vendor == "sqlite":
            _restore_sqlite(using, dump)
        else:
            _restore_postgresql(using, dump)
        _swap_media(staging / MEDIA, media_root)
    connection = connections[using]
    with connection.cursor() as cursor:
        counts = _table_counts(cursor, vendor)
        head = _audit_head(cursor)
    differ = [f"{t}：应为{n}，实为{counts.get(t)}" for t, n in manifest["tables"].items() if counts.get(t) != n]
    if differ:
        raise BackupError("恢复后行数与备份清单不符（row counts differ）：" + "；".join(differ[:10]))
    if head != manifest.get("audit_head"):
        raise BackupError(f"恢复后操作记录链头与清单不符（audit head differs）：{head} ≠ {manifest.get('audit_head')}")
    if behind:
        notes.append(f"备份的数据库结构早于当前程序（{'、'.join(behind)}），请运行 renda migrate")
    return Report(manifest=manifest, path=Path(path), notes=notes)
