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
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
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


# ---------------------------------------------------------------- subprocesses of a deployment's own

TESTS_DIR = Path(__file__).resolve().parent
SRC_DIR = TESTS_DIR.parent / "src"
OWN_DATABASE = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="brings its own database (a SQLite file, a private PostgreSQL): run once, in the SQLite run",
)


def renda_env(var: Path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RENDA_", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="renda.config.settings",
        PYTHONPATH=os.pathsep.join([str(SRC_DIR), str(TESTS_DIR)]),
        RENDA_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
        RENDA_EXTRA_APPS="workflow_app,fault_hooks",
        RENDA_JOBS_IMMEDIATE="0",
        RENDA_WARM_UP="0",
        RENDA_LOG_LEVEL="ERROR",
        # production settings need their keys; plain HTTP on loopback; force_login'd sessions
        # pass no second factor
        RENDA_SECRET_KEY=uuid.uuid4().hex * 2,
        RENDA_DATA_KEYS=os.environ["RENDA_DATA_KEYS"],
        RENDA_HTTPS="0",
        RENDA_2FA_ENFORCE="0",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def renda(env: dict, *args, timeout: float = 240) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "renda", *args],
        env=env,
        cwd=env["RENDA_VAR_DIR"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        pytest.fail(
            f"renda {' '.join(args)[:80]}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    return done.stdout


def json_line(output: str) -> dict:
    for line in output.splitlines():
        if line.startswith("JSON:"):
            return json.loads(line[5:])
    pytest.fail(f"no JSON line in:\n{output}")


def wait_for(condition, timeout: float, what: str, interval: float = 0.05, explain=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out waiting for {what}\n{explain()}")


# ---------------------------------------------------------------- 2. a job worker killed mid-job

DEADLINES = 16  # half due within the reminder window, half overdue
JOB_SETUP = f"""
import json
from datetime import timedelta
from django.utils import timezone
from factories import build_world
from renda.core.models import Role, User
from renda.workflow.engine import perform
from renda.workflow.models import Deadline
from workflow_app.models import Petition
w = build_world()
for i in range({DEADLINES}):
    case = Petition.objects.create(congress=w.city, author=w.deputy, title=f"关于校车安全的请求{{i}}")
    perform(case, "submit", w.users["deputy"])
    perform(case, "assign", w.users["staff"], {{"unit": w.unit_a.pk}})
today = timezone.localdate()
pks = list(Deadline.objects.order_by("pk").values_list("pk", flat=True))
soon, overdue = pks[: {DEADLINES} // 2], pks[{DEADLINES} // 2 :]
Deadline.objects.filter(pk__in=soon).update(due_on=today + timedelta(days=2))
Deadline.objects.filter(pk__in=overdue).update(due_on=today - timedelta(days=3))
responsible = set(User.objects.filter(roles__handling_unit=w.unit_a, roles__role=Role.UNIT).values_list("pk", flat=True))
supervisors = set(User.objects.filter(roles__congress=w.city, roles__role=Role.STAFF).values_list("pk", flat=True))
print("JSON:" + json.dumps({{"soon": soon, "overdue": overdue, "reminded": len(responsible),
                             "alerted": len(responsible | supervisors)}}))
"""
ENQUEUE = "from renda.workflow.tasks import daily_deadline_jobs as job\nfor _ in range({n}): job()"


@pytest.fixture(scope="module")
def job_database(tmp_path_factory):
    """A migrated SQLite file with the world and 16 running deadlines, made once and copied."""
    var = tmp_path_factory.mktemp("jobs-template")
    env = renda_env(var)
    renda(env, "migrate", "--verbosity", "0")
    plan = json_line(renda(env, "shell", "-c", JOB_SETUP))
    return var / "db.sqlite3", plan


class Jobs:
    """A deployment's var/ with its own database and job queue, and its job consumers."""

    def __init__(self, template: Path, var: Path, delay: float):
        shutil.copy(template, var / "db.sqlite3")
        self.var, self.db = var, var / "db.sqlite3"
        self.env = renda_env(var, RENDA_TEST_NOTIFY_DELAY=str(delay))
        self.consumers: list[subprocess.Popen] = []

    def consumer(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "renda", "run_huey", "--workers", "1", "--no-periodic", "--delay", "0.1",
             "--max-delay", "0.5", "--quiet"],
            env=self.env, cwd=self.var, stdout=subprocess.DEVNULL, stderr=open(self.var / "huey.log", "ab"),
        )  # fmt: skip
        self.consumers.append(process)
        return process

    def enqueue(self, n: int = 1) -> None:
        renda(self.env, "shell", "-c", ENQUEUE.format(n=n))

    def query(self, sql: str, db: Path | None = None):
        with sqlite3.connect(db or self.db, timeout=30) as conn:
            return conn.execute(sql).fetchall()

    def marked(self, column: str) -> int:
        return self.query(f"SELECT count(*) FROM workflow_deadline WHERE {column} IS NOT NULL")[0][0]

    def results(self) -> int:  # jobs that ran to their end (tests/fault_hooks writes them down)
        done = self.var / "jobs-completed"
        return len(done.read_text().splitlines()) if done.exists() else 0

    def stop(self) -> None:
        for process in self.consumers:
            if process.poll() is None:
                process.kill()
            process.wait(10)

    def assert_each_sent_once(self, plan: dict) -> None:
        twice = self.query(
            "SELECT url, user_id, kind, count(*) FROM core_notification GROUP BY 1, 2, 3 HAVING count(*) > 1"
        )
        assert twice == [], f"sent more than once: {twice}"
        for kind, pks, users in (
            ("reminder", plan["soon"], plan["reminded"]),
            ("overdue", plan["overdue"], plan["alerted"]),
        ):
            column = "reminded_at" if kind == "reminder" else "escalated_at"
            for pk in pks:
                ((object_id, marked),) = self.query(
                    f"SELECT object_id, {column} FROM workflow_deadline WHERE id = {pk}"
                )
                sent = self.query(
                    f"SELECT count(*) FROM core_notification WHERE kind = '{kind}' AND url = '/petitions/{object_id}/'"
                )[0][0]
                assert marked is not None and sent == users, (kind, pk, sent, users)


@pytest.fixture
def jobs(job_database, tmp_path):
    deployment = Jobs(job_database[0], tmp_path, delay=0.3)
    yield deployment
    deployment.stop()


@OWN_DATABASE
def test_a_worker_killed_in_the_middle_of_the_job_reminds_and_escalates_once(jobs, job_database):
    plan = job_database[1]
    half = DEADLINES // 2
    # killed while reminding: what it did stands, whole; what it was doing is undone
    worker = jobs.consumer()
    jobs.enqueue()
    wait_for(lambda: jobs.marked("reminded_at") >= 2, 120, "the first reminders")
    worker.kill()
    worker.wait(10)
    assert 2 <= jobs.marked("reminded_at") < half and jobs.marked("escalated_at") == 0
    # Huey lost the task with its worker; the next run (the schedule's) is killed while escalating
    worker = jobs.consumer()
    jobs.enqueue()
    wait_for(lambda: jobs.marked("escalated_at") >= 2, 120, "the first escalations")
    worker.kill()
    worker.wait(10)
    assert jobs.marked("reminded_at") == half and 2 <= jobs.marked("escalated_at") < half
    # and the run after it completes the job
    jobs.consumer()
    jobs.enqueue()
    wait_for(lambda: jobs.results() >= 1, 120, "the job to run to its end")
    jobs.assert_each_sent_once(plan)


@OWN_DATABASE
def test_two_workers_running_the_job_at_once_send_each_notice_once(jobs, job_database):
    jobs.consumer(), jobs.consumer()
    time.sleep(1)
    jobs.enqueue(2)  # one job for each worker, as a second scheduler or a re-run would give
    wait_for(lambda: jobs.results() >= 2, 180, "both jobs to run to their end")
    jobs.assert_each_sent_once(job_database[1])


# ---------------------------------------------------------------- 1. PostgreSQL restarted under load


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivatePostgres:
    """A PostgreSQL server of this test's own, in a temp dir on a free port (run as the
    `postgres` OS user when the test runs as root: initdb refuses root)."""

    def __init__(self, bin_dir: Path, root: Path):
        self.bin, self.root = bin_dir, root
        self.data, self.port = root / "data", free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/renda"
        root.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")

    def _run(self, *args, check=True):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *map(str, args)], capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            pytest.fail(f"{args[0]}: exit {done.returncode}\n{done.stdout}\n{done.stderr}\n{self.log()}")
        return done

    def log(self) -> str:
        path = self.root / "postgres.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def init(self):
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "postgres.log", "-w", "start")

    def stop(self, check=True):
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=check)

    def create_database(self):
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE renda")

    def query(self, sql: str):
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=renda") as c:
            return c.execute(sql).fetchall()


@pytest.fixture
def private_postgres():
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    root = Path(tempfile.mkdtemp(prefix="renda-faults-pg-"))  # not under pytest's 0700 tmp: postgres must enter
    server = PrivatePostgres(bin_dir, root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop(check=False)
        shutil.rmtree(root, ignore_errors=True)


SERVER_SETUP = """
import json
from django.test import Client
from factories import build_world
from renda.core.services import issue_api_token
w = build_world()
browser = Client()
browser.force_login(w.users["staff"])
print("JSON:" + json.dumps({"deputy": issue_api_token(w.users["deputy"], "负载")[1],
                            "staff": issue_api_token(w.users["staff"], "负载")[1],
                            "session": browser.cookies["sessionid"].value}))
"""
CONTENT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)
OUTAGE_DETAIL = "系统暂时无法访问数据库，请稍后重试。"


class Load:
    """Threads writing cases through the case API and reading list pages, each answer kept
    with when its request started and ended."""

    def __init__(self, base: str, secrets: dict):
        self.base, self.secrets = base, secrets
        self.answers: list[tuple[float, float, str, int, dict]] = []  # start, end, what, status, extra
        self.created: list[int] = []  # cases answered 201
        self.submitted: list[int] = []  # … then answered 200 to 提交
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def _keep(self, started, what, response, extra=None):
        with self.lock:
            self.answers.append((started, time.monotonic(), what, response.status_code, extra or {}))

    def _call(self, session, method, url, what, **kw):
        started = time.monotonic()
        try:
            response = session.request(method, self.base + url, timeout=20, **kw)
        except requests.RequestException as exc:  # the server itself must stay up
            with self.lock:
                self.answers.append((started, time.monotonic(), what, 0, {"error": str(exc)}))
            return None
        extra = {"retry_after": response.headers.get("Retry-After"), "body": response.text[:3000]}
        self._keep(started, what, response, extra)
        return response

    def writer(self):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.secrets['deputy']}"
        n = 0
        while not self.stopping.is_set():
            n += 1
            payload = {"title": f"关于农村饮水工程改造的建议（{threading.get_ident() % 1000}-{n}）", "content": CONTENT,
                       "category": "农牧水利", "cosigners": ""}  # fmt: skip
            created = self._call(session, "POST", "/api/cases/suggestion", "api-create", json=payload)
            if created is not None and created.status_code == 201:
                pk = created.json()["id"]
                with self.lock:
                    self.created.append(pk)
                done = self._call(session, "POST", f"/api/cases/suggestion/{pk}/transitions/submit", "api-submit")
                if done is not None and done.status_code == 200:
                    with self.lock:
                        self.submitted.append(pk)

    def reader(self):
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {self.secrets['staff']}"
        page = requests.Session()
        page.cookies.set("sessionid", self.secrets["session"])
        while not self.stopping.is_set():
            self._call(api, "GET", "/api/cases/suggestion", "api-list")
            self._call(page, "GET", "/work/suggestions/", "page-list")

    def summary(self) -> str:
        """What was answered so far, for a failure's message."""
        with self.lock:
            seen = {}
            for _, _, what, status, extra in self.answers:
                seen.setdefault((what, status), [0, extra.get("body") or extra.get("error", "")])[0] += 1
        return "\n".join(f"{what} {status} ×{n}: {body[:200]}" for (what, status), (n, body) in sorted(seen.items()))

    def between(self, start: float, end: float):
        return [a for a in self.answers if a[0] >= start and a[1] <= end]


@OWN_DATABASE
def test_postgres_restarted_under_load_answers_503_then_recovers_with_nothing_half_written(private_postgres, tmp_path):
    pg = private_postgres
    pg.create_database()
    var = tmp_path / "var"
    var.mkdir()
    env = renda_env(
        var,
        DJANGO_SETTINGS_MODULE="fault_settings",
        DATABASE_URL=pg.url,
        RENDA_EXTRA_APPS="",
        RENDA_DEBUG="0",
        RENDA_SECRET_KEY=uuid.uuid4().hex * 2,
    )
    renda(env, "migrate", "--verbosity", "0")
    secrets = json_line(renda(env, "shell", "-c", SERVER_SETUP))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(var / "gunicorn.log", "ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "renda.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "2", "--timeout", "60"],
        env=env, cwd=var, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()
    load = Load(base, secrets)
    threads = [threading.Thread(target=f, daemon=True) for f in (load.writer, load.writer, load.reader)]
    try:

        def up():
            assert server.poll() is None, (var / "gunicorn.log").read_text()[-3000:]
            try:
                return requests.get(base + "/api/cases/suggestion", timeout=10).status_code == 200
            except requests.RequestException:
                return False

        wait_for(up, 90, "gunicorn to answer", interval=0.2)
        for thread in threads:
            thread.start()
        wait_for(lambda: len(load.submitted) >= 3, 60, "cases written before the outage", 0.1, load.summary)
        pg.stop()  # -m fast: every connection is cut, in the middle of whatever it was doing
        stopped = time.monotonic()
        wait_for(
            lambda: len([a for a in load.between(stopped, 1e12) if a[3] == 503]) >= 6, 60, "503s", 0.1, load.summary
        )
        restarting = time.monotonic()
        pg.start()
        started = time.monotonic()
        count = len(load.submitted)
        wait_for(lambda: len(load.submitted) >= count + 3, 60, "cases written after the outage", 0.1, load.summary)
        time.sleep(1)
    finally:
        load.stopping.set()
        for thread in threads:
            thread.join(30)
        server.terminate()
        server.wait(30)

    statuses = sorted({a[3] for a in load.answers})
    assert 500 not in statuses and 0 not in statuses, [a for a in load.answers if a[3] in (0, 500)][:5]
    outage = load.between(stopped, restarting)
    assert outage and {a[3] for a in outage} == {503}, {a[3] for a in outage}
    for _, _, what, _, extra in outage:
        assert extra["retry_after"] == "30"
        if what.startswith("api"):
            assert json.loads(extra["body"]) == {"detail": OUTAGE_DETAIL}
        else:
            assert "系统暂时无法访问数据库，请稍后重试" in extra["body"]
    after = load.between(started, 1e12)
    assert after and {a[3] for a in after} <= {200, 201}, sorted({a[3] for a in after})
    assert {a[2] for a in after} == {"api-create", "api-submit", "api-list", "page-list"}

    # nothing half-written: each 201 is a case with its creation recorded, each 提交 answered
    # 200 has its event; and no case exists without its creation, no submitted one without its event
    cases = dict(pg.query("SELECT id, state FROM suggestions_suggestion"))
    drafted = {int(o) for (o,) in pg.query(
        "SELECT object_id FROM core_auditentry WHERE model = 'suggestions.Suggestion' AND action = 'draft'"
    )}  # fmt: skip
    submit_events = {o for (o,) in pg.query("SELECT object_id FROM workflow_event WHERE transition = 'submit'")}
    assert set(load.created) <= set(cases) and set(load.submitted) <= submit_events
    assert set(cases) == drafted
    assert {pk for pk, state in cases.items() if state != "draft"} == submit_events
