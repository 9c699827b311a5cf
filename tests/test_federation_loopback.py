"""三级联网 end to end: two real Renda servers on loopback, each with its own var
directory, SQLite database, key and congress, exchanging filings over HTTP.

    lower  150800000000 巴彦淖尔市  (runs its jobs immediately: delivers right after a commit)
    upper  150000000000 内蒙古自治区

1. A government rule filed through the lower server's web form reaches the upper at once.
2. The upper goes down: a second filing and the registration of the first wait in the
   outbox (attempts, backoff); once the upper is back both arrive, in order, once.
   A lost acknowledgement makes the lower send again: the upper answers "duplicate".
3. A forged message (another key) and an altered one (body changed after signing) are
   refused with 403; a gap is refused with 409; nothing of them is applied.

Everything the instances are set up with goes through `renda` commands in subprocesses
(`migrate`, `shell -c`, `federation keygen|add-peer|deliver`). Each knows the other's
public key: the upper checks the lower's messages, the lower the upper's acknowledgements. SQLite files even in the
PostgreSQL run: the instances are separate deployments, not the test database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from renda.federation import signing

LOWER, UPPER = "150800000000", "150000000000"
PASSWORD = "Loopback-Passw0rd!"
TIMEOUT = 90  # per subprocess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, name: str, code: str, root: Path, *, immediate_jobs: bool = False):
        self.name, self.code = name, code
        self.var = root / name
        self.var.mkdir()
        self.db = self.var / "db.sqlite3"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None
        self.immediate_jobs = immediate_jobs
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("RENDA_", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="renda.config.settings",
            RENDA_VAR_DIR=str(self.var),
            DATABASE_URL=f"sqlite:///{self.db}",
            RENDA_ROOT_CONGRESS=code,
            RENDA_DEBUG="1",
            RENDA_2FA_ENFORCE="0",  # the clerk signs in with a password only (the sign-in tests test the rest)
            RENDA_JOBS_IMMEDIATE="0",
            RENDA_LOG_LEVEL="ERROR",
            PYTHONUNBUFFERED="1",
        )
        self.env = env

    # ------------------------------------------------------------ commands

    def spawn(self, *args, env=None) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "renda", *args],
            cwd=self.var,
            env=env or self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args, expect: int | None = 0) -> str:
        return finish(self.spawn(*args), expect, f"{self.name}: renda {' '.join(args)[:60]}")

    def shell(self, code: str) -> dict:
        return parse_json(self.run("shell", "-c", code))

    # ------------------------------------------------------------ the server

    def start(self) -> None:
        env = dict(self.env, RENDA_JOBS_IMMEDIATE="1" if self.immediate_jobs else "0")
        log = open(self.var / "server.log", "ab")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "renda", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--skip-checks"],
            cwd=self.var,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                pytest.fail(f"{self.name} server exited:\n{self.log()}")
            try:
                requests.get(self.url + "/api/federation/messages", timeout=5)
                return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a slow first answer
                time.sleep(0.2)
        pytest.fail(f"{self.name} server did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(5)
        self.server = None

    def log(self, tail: int = 3000) -> str:
        path = self.var / "server.log"
        return path.read_text(errors="replace")[-tail:] if path.exists() else ""


def finish(process: subprocess.Popen, expect: int | None, label: str) -> str:
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"{label}: timed out\n{out}\n{err}")
    if expect is not None and process.returncode != expect:
        pytest.fail(f"{label}: exit {process.returncode}, expected {expect}\n{out}\n{err[-3000:]}")
    return out


def together(*jobs: tuple[subprocess.Popen, str]) -> list[str]:
    """Wait for processes started side by side (two CPUs are enough to halve the set-up)."""
    return [finish(p, 0, label) for p, label in jobs]


def parse_json(output: str) -> dict:
    for line in output.splitlines():
        if line.startswith("JSON:"):
            return json.loads(line[5:])
    pytest.fail(f"no JSON line in the shell's output:\n{output}")


SETUP_UPPER = f"""
from renda.core import services as s
from renda.core.models import User
admin = User.objects.create_superuser("root", password={PASSWORD!r})
s.create_congress(admin, code={UPPER!r}, region="内蒙古自治区", level="provincial")
"""

SETUP_LOWER = f"""
import json
from renda.core import services as s
from renda.core.models import Body, HandlingUnit, Role, User
admin = User.objects.create_superuser("root", password={PASSWORD!r})
region = s.create_congress(admin, code={UPPER!r}, region="内蒙古自治区", level="provincial")
city = s.create_congress(admin, code={LOWER!r}, region="巴彦淖尔市", level="city", parent=region)
committee = s.create_body(admin, city, "巴彦淖尔市人大常委会法制工作委员会", "法工委", Body.Kind.WORKING_COMMITTEE)
gov = s.create_handling_unit(admin, city, "巴彦淖尔市人民政府", "市政府", HandlingUnit.Kind.GOVERNMENT)
s.create_account(admin, username="gov", password={PASSWORD!r}, display_name="市政府法制科",
                 roles=[dict(role=Role.UNIT, congress=city, handling_unit=gov)])
s.create_account(admin, username="staff", password={PASSWORD!r}, display_name="法工委",
                 roles=[dict(role=Role.STAFF, congress=city, body=committee)])
print("JSON:" + json.dumps({{"gov": gov.pk, "committee": committee.pk}}))
"""

TEXT = (
    "巴彦淖尔市城市供热管理办法\n第一条 为了加强城市供热管理，维护供热单位和热用户的合法权益，"
    "根据《内蒙古自治区城市供热条例》，结合本市实际，制定本办法。\n第二条 本办法自公布之日起施行。"
)


def lower_changes(gov: int, committee: int, first: int) -> str:
    """While the upper is down: a second rule is filed, and the first is registered."""
    return f"""
import json
from datetime import timedelta
from django.utils import timezone
from renda.core.models import User
from renda.filing.models import Filing
from renda.filing.services import file_document
from renda.workflow.engine import perform
today = timezone.localdate()
second = file_document(User.objects.get(username="gov"), {{
    "filer": "unit:{gov}", "kind": "rule", "title": "巴彦淖尔市河套灌区水资源管理办法",
    "document_number": "巴政发〔2024〕9号", "adopted_on": today - timedelta(days=8),
    "published_on": today - timedelta(days=4), "drafting_explanation": "为加强灌区水资源管理，制定本办法。",
    "legal_basis": "《中华人民共和国水法》", "text": {TEXT!r}.replace("城市供热", "河套灌区水资源")}})
first = Filing.objects.get(pk={first})
perform(first, "register", User.objects.get(username="staff"), {{"committee": {committee}, "published": "on"}})
print("JSON:" + json.dumps({{"second": second.pk, "first_state": first.state, "first_number": first.number}}))
"""


OUTBOX = """
import json
from django.utils import timezone
from renda.federation.models import OutboundMessage
now = timezone.now()
rows = [dict(sequence=m.sequence, status=m.status, attempts=m.attempts, subject=m.subject, error=m.last_error,
             wait=(m.next_attempt_at - now).total_seconds() if m.next_attempt_at else None)
        for m in OutboundMessage.objects.order_by("sequence")]
RESET
print("JSON:" + json.dumps({"outbox": rows}, ensure_ascii=False))
"""

UPPER_STATE = """
import json
from renda.federation.models import InboundMessage
from renda.filing.models import LowerFiling
print("JSON:" + json.dumps({
    "lower": [dict(remote_id=f.remote_id, title=f.title, state=f.state, state_label=f.state_label, number=f.number,
                   sender=f.sender, sender_name=f.sender_name, congress=f.congress.code, filer=f.filer)
              for f in LowerFiling.objects.order_by("remote_id")],
    "inbox": [[m.sequence, m.applied, m.sender, m.body["remote_id"]]
              for m in InboundMessage.objects.order_by("sequence")],
}, ensure_ascii=False))
"""


def web_filing(lower: Instance, gov: int) -> int:
    """The government's clerk files a rule through the lower server's web form."""
    from datetime import date, timedelta

    web = requests.Session()
    web.get(lower.url + "/accounts/login/", timeout=10)
    login = web.post(
        lower.url + "/accounts/login/",
        timeout=20,
        allow_redirects=False,
        data={"username": "gov", "password": PASSWORD, "csrfmiddlewaretoken": web.cookies["csrftoken"]},
    )
    assert login.status_code == 302, login.text[:2000]
    today = date.today()
    response = web.post(
        lower.url + "/work/filing/new/",
        timeout=30,
        allow_redirects=False,
        data={
            "csrfmiddlewaretoken": web.cookies["csrftoken"],
            "action": "submit",
            "filer": f"unit:{gov}",
            "kind": "rule",
            "title": "巴彦淖尔市城市供热管理办法",
            "document_number": "巴政发〔2024〕5号",
            "adopted_on": (today - timedelta(days=10)).isoformat(),
            "published_on": (today - timedelta(days=5)).isoformat(),
            "text": TEXT,
            "drafting_explanation": "为加强城市供热管理，经征求意见和合法性审查，制定本办法。",
            "legal_basis": "《内蒙古自治区城市供热条例》",
        },
    )
    assert response.status_code == 302, re.sub(r"\s+", " ", response.text)[:3000]
    return int(re.search(r"/work/filing/(\d+)/", response.headers["Location"]).group(1))


def message(key, sequence: int, body: dict) -> dict:
    envelope = {
        "version": 1,
        "sender": LOWER,
        "recipient": UPPER,
        "sequence": sequence,
        "message_id": str(uuid.uuid4()),
        "kind": "filing.upsert",
        "sent_at": datetime.now(UTC).isoformat(),
        "body": body,
    }
    return dict(envelope, signature=signing.sign(envelope, key))


@pytest.fixture
def instances(tmp_path):
    lower = Instance("lower", LOWER, tmp_path, immediate_jobs=True)
    upper = Instance("upper", UPPER, tmp_path)
    try:
        yield lower, upper
    finally:
        for instance in (lower, upper):
            instance.stop()


def test_two_instances_exchange_filings_signed_in_order_exactly_once(instances, tmp_path):
    lower, upper = instances
    started = time.monotonic()

    # ---- set-up: one migrated database copied for both, then keys, congresses, peers
    template = tmp_path / "template.sqlite3"
    migrate_env = dict(lower.env, DATABASE_URL=f"sqlite:///{template}")
    finish(lower.spawn("migrate", "--verbosity", "0", env=migrate_env), 0, "migrate")
    for instance in (lower, upper):
        shutil.copyfile(template, instance.db)
    lower_keygen, upper_keygen, setup_out, _ = together(
        (lower.spawn("federation", "keygen"), "lower keygen"),
        (upper.spawn("federation", "keygen"), "upper keygen"),
        (lower.spawn("shell", "-c", SETUP_LOWER), "lower setup"),
        (upper.spawn("shell", "-c", SETUP_UPPER), "upper setup"),
    )
    lower_public, upper_public = (
        out.strip().splitlines()[-1].split("：")[-1].strip() for out in (lower_keygen, upper_keygen)
    )
    signing.parse_public_key(lower_public)
    ids = parse_json(setup_out)
    together(
        (
            lower.spawn(
                "federation",
                "add-peer",
                "--code",
                UPPER,
                "--name",
                "内蒙古自治区人大常委会",
                "--direction",
                "up",
                "--url",
                upper.url,
                "--public-key",
                upper_public,
            ),
            "lower add-peer",
        ),
        (
            upper.spawn(
                "federation",
                "add-peer",
                "--code",
                LOWER,
                "--name",
                "巴彦淖尔市人大常委会",
                "--direction",
                "down",
                "--public-key",
                lower_public,
            ),
            "upper add-peer",
        ),
    )
    upper.start()
    lower.start()
    setup_seconds = time.monotonic() - started

    # ---- 1. filed in the lower instance's web form: at the upper right after the commit
    first = web_filing(lower, ids["gov"])
    state = upper.shell(UPPER_STATE)
    assert len(state["lower"]) == 1, state
    [reported] = state["lower"]
    assert reported == {
        "remote_id": first,
        "title": "巴彦淖尔市城市供热管理办法",
        "state": "submitted",
        "state_label": "待登记",
        "number": "",
        "sender": LOWER,
        "sender_name": "巴彦淖尔市人大常委会",
        "congress": UPPER,
        "filer": "巴彦淖尔市人民政府",
    }
    assert state["inbox"] == [[1, True, LOWER, first]]

    # ---- 2. the upper is down: changes wait in the outbox, with backoff
    upper.stop()
    changed = lower.shell(lower_changes(ids["gov"], ids["committee"], first))
    assert changed["first_state"] == "reviewing" and changed["first_number"].startswith("备〔")
    out = lower.run("federation", "deliver", "--once", expect=1)  # exit 1: not delivered
    assert "失败" in out and "无法连接" in out
    # within the backoff (10 s) nothing is tried (unless this machine took longer to get here)
    out = lower.run("federation", "deliver", "--once", expect=None)
    assert ("送达 0 条" in out and "等待重试" in out) or "无法连接" in out, out
    lower.run("federation", "deliver", "--once", "--force", expect=1)  # tried now: still down
    outbox = lower.shell(OUTBOX.replace("RESET", ""))["outbox"]
    assert [(m["sequence"], m["status"]) for m in outbox] == [(1, "acked"), (2, "pending"), (3, "pending")]
    head, behind = outbox[1], outbox[2]
    assert head["attempts"] >= 2 and 0 < head["wait"] <= 40 and "无法连接" in head["error"]
    assert behind["attempts"] == 0  # never sent ahead of #2: order is kept
    assert head["subject"] == f"filing:{changed['second']}" and behind["subject"] == f"filing:{first}"

    # ... the upper is back: both arrive, in order, once
    upper.start()
    out = lower.run("federation", "deliver", "--once", "--force")
    assert "送达 2 条" in out, out
    state = upper.shell(UPPER_STATE)
    assert state["inbox"] == [[1, True, LOWER, first], [2, True, LOWER, changed["second"]], [3, True, LOWER, first]]
    by_id = {f["remote_id"]: f for f in state["lower"]}
    assert set(by_id) == {first, changed["second"]}
    assert by_id[first]["state"] == "reviewing" and by_id[first]["number"] == changed["first_number"]
    assert by_id[first]["state_label"] == "审查中"
    assert by_id[changed["second"]]["title"] == "巴彦淖尔市河套灌区水资源管理办法"

    # a lost acknowledgement: the lower sends #1 again, the upper does not apply it again
    outbox = lower.shell(OUTBOX.replace("RESET", "OutboundMessage.objects.filter(sequence=1).update(status='pending')"))
    assert {m["status"] for m in outbox["outbox"]} == {"acked"}
    out = lower.run("federation", "deliver", "--once")
    assert "送达 1 条" in out, out

    # ---- 3. forged and altered messages are refused, and so is a gap
    endpoint = upper.url + "/api/federation/messages"
    body = {
        "remote_id": 999,
        "number": "",
        "kind": "rule",
        "title": "伪造的规章",
        "document_number": "伪〔2024〕1号",
        "filer": "巴彦淖尔市人民政府",
        "published_on": "2024-03-01",
        "filed_on": None,
        "state": "submitted",
        "state_label": "待登记",
        "outcome": "",
        "text": "",
    }
    forged = requests.post(endpoint, json=message(Ed25519PrivateKey.generate(), 4, body), timeout=10)
    assert forged.status_code == 403 and "签名" in forged.json()["detail"], forged.text
    real_key = signing.load_private_key(lower.var / "federation.key")
    altered = message(real_key, 4, dict(body, title="巴彦淖尔市城市供热管理办法"))
    altered["body"]["title"] = "被篡改的标题"
    refused = requests.post(endpoint, json=altered, timeout=10)
    assert refused.status_code == 403 and "签名" in refused.json()["detail"], refused.text
    gap = requests.post(endpoint, json=message(real_key, 9, body), timeout=10)
    assert gap.status_code == 409 and gap.json()["expected"] == 4, gap.text
    garbage = requests.post(endpoint, data=b"{not json", headers={"Content-Type": "application/json"}, timeout=10)
    assert garbage.status_code == 400 and garbage.json()["detail"]

    final, outbox = (
        parse_json(out)
        for out in together(
            (upper.spawn("shell", "-c", UPPER_STATE), "upper state"),
            (lower.spawn("shell", "-c", OUTBOX.replace("RESET", "")), "lower outbox"),
        )
    )
    assert final["inbox"] == state["inbox"]  # nothing applied twice, nothing forged
    assert final["lower"] == state["lower"]
    assert [(m["sequence"], m["status"]) for m in outbox["outbox"]] == [(1, "acked"), (2, "acked"), (3, "acked")]

    for instance in (lower, upper):
        assert "Traceback" not in instance.log(tail=10**7), instance.log()
    total = time.monotonic() - started
    print(f"\nloopback: set-up {setup_seconds:.1f} s, total {total:.1f} s")
