"""`python -m bench.load` (make bench-load): the plenary peak, against gunicorn and PostgreSQL.

In one minute of a plenary session: every deputy drafts and submits a suggestion through
the case API (POST /api/cases/suggestion, then its `submit` transition) with a bearer
token, every deputy votes in every open ballot through the ballots API (POST
/api/ballots/{id}/votes with an Idempotency-Key), while staff browse the suggestion list,
the workbench and a closed ballot's result. Defaults: 300 deputies × 10 ballots = 3,000
votes, 300 suggestions.

Setup (not timed): a scratch PostgreSQL database (created, migrated and dropped), a
temporary RENDA_VAR_DIR and MEDIA_ROOT, RENDA_DEBUG=0 with a generated secret key, jobs
run immediately; the congress, deputies, accounts, API tokens and ballots are written
through the services (accounts share one precomputed Argon2 hash). Then gunicorn serves
Renda (`--workers`, `--threads`) and a closed-loop load generator in this process
(`--concurrency` threads, each with one keep-alive http.client connection; a thread sends
its next request when the last one is answered) runs:

1. the baseline: a bare Django view doing one INSERT (bench.bare, installed only here with
   RENDA_EXTRA_APPS), `--baseline-requests` times;
2. the plenary mix, every request shuffled into one queue;
3. the baseline again (the machine is shared: the ratio uses the mean of both).

Reported: per endpoint count, errors (any status outside 2xx/3xx, any exception), p50/p95/p99
latency and throughput; the mix's throughput as a ratio to the baseline's. Afterwards the
database is checked: one submitted suggestion per deputy, one cast per deputy and ballot
(its sealed paper or named choice), and each ballot closed and counted through the
services. Exit status 1 on any error or failed check.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PASSWORD = "Load-Passw0rd!"
CONTENT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)
PAGES = {  # what staff browse: name -> path (the result's path is filled in at setup)
    "page: suggestion list": "/work/suggestions/",
    "page: workbench": "/work/",
    "api: ballot result": None,
}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--deputies", type=int, default=300, help="deputies, each with an account and a token")
    parser.add_argument("--ballots", type=int, default=10, help="open ballots every deputy votes in")
    parser.add_argument("--staff", type=int, default=5, help="staff accounts browsing")
    parser.add_argument("--staff-views", type=int, default=100, help="views of each staff page in the mix")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread when > 1)")
    parser.add_argument("--concurrency", type=int, default=32, help="client threads (closed loop)")
    parser.add_argument(
        "--baseline-requests", type=int, default=2000, help="requests to the bare INSERT view, each time"
    )
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/renda_load",
        help="scratch PostgreSQL database, created and dropped (default renda_load on the local server)",
    )
    parser.add_argument("--sqlite", action="store_true", help="SQLite in the temporary directory instead (smoke test)")
    parser.add_argument("--seed", type=int, default=11, help="shuffles the mix and picks the choices")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary directory")
    args = parser.parse_args(argv)
    if min(args.deputies, args.ballots, args.staff, args.workers, args.threads, args.concurrency) < 1:
        parser.error("counts must be positive")
    return args


# ---------------------------------------------------------------- environment and database


def server_env(args, tmp: Path) -> dict:
    """The environment of this process (setup and checks) and of gunicorn: production
    settings, everything written under `tmp` or in the scratch database."""
    env = {
        "DJANGO_SETTINGS_MODULE": "renda.config.settings",
        "RENDA_VAR_DIR": str(tmp),
        "RENDA_MEDIA_ROOT": str(tmp / "media"),
        "RENDA_DEBUG": "0",
        "RENDA_SECRET_KEY": secrets.token_urlsafe(50),
        "RENDA_DATA_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),  # personal data
        "RENDA_HTTPS": "0",  # plain HTTP on 127.0.0.1
        # staff sessions are made with force_login, which passes no second factor; the
        # middleware's check costs the same either way
        "RENDA_2FA_ENFORCE": "0",
        "RENDA_JOBS_IMMEDIATE": "1",
        "RENDA_EXTRA_APPS": "bench.bare",
        # the measured requests use none of the models the warm-up loads; loading them in
        # every worker while the baseline runs would only add noise
        "RENDA_WARM_UP": "0",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    if not args.sqlite:
        env["DATABASE_URL"] = args.database_url
    return env


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def create_database(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def collect_static() -> None:
    """DEBUG is off, so pages name hashed static files: collect them, with the same
    manifest (staticfiles.json) but without WhiteNoise's gzip and Brotli copies, which
    take minutes on a busy machine and which no request of the benchmark reads."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)


# ---------------------------------------------------------------- setup through the services


@dataclass
class Plan:
    city_id: int
    deputies: list  # [(user_id, token)]
    staff_cookies: list  # session cookies of the staff accounts
    ballots: list  # [(ballot_id, [option ids])]
    result_ballot: int


def build(args) -> Plan:
    from django.contrib.auth.hashers import make_password
    from django.test import Client

    from renda.ballots import services as ballots
    from renda.ballots.models import Ballot
    from renda.core import services
    from renda.core.models import Body, Role, User

    admin = User.objects.create_superuser("load-root", password=None, display_name="压测管理员")
    city = services.create_congress(admin, code="150800000000", region="巴彦淖尔市", level="city")
    term = services.create_term(admin, city, 4, date(2017, 1, 6))
    services.create_plenary_session(admin, term, 3, date(2020, 5, 9), date(2020, 5, 11))
    office = services.create_body(admin, city, "巴彦淖尔市人大常委会办公室", "办公室", Body.Kind.OFFICE)
    shared_hash = make_password(PASSWORD)  # one Argon2 hash for every account: hashing is not measured
    deputies = []
    for i in range(args.deputies):
        person = services.create_person(admin, name=f"代表{i + 1:04d}", gender="F" if i % 3 else "M")
        deputy = services.create_deputy(admin, person=person, term=term, elected_date=term.start_date)
        user = services.create_account(
            admin,
            username=f"deputy{i + 1:04d}",
            password_hash=shared_hash,
            display_name=person.name,
            person=person,
            roles=[dict(role=Role.DEPUTY, congress=city, deputy=deputy)],
        )
        _, token = services.issue_api_token(user, "大会期间")
        deputies.append((user, token))
    staff = [
        services.create_account(
            admin,
            username=f"staff{j + 1}",
            password_hash=shared_hash,
            display_name=f"工作人员{j + 1}",
            roles=[dict(role=Role.STAFF, congress=city, body=office)],
        )
        for j in range(args.staff)
    ]
    cookies = []
    for user in staff:  # a signed-in browser session each (the login form is not what is measured)
        client = Client()
        client.force_login(user)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")

    roll = ballots.deputy_roll(term)
    opened = []
    for b in range(args.ballots):
        ballot = ballots.create_ballot(
            staff[0],
            congress=city,
            title=f"关于第{b + 1}项议案的表决",
            rule="majority_of_all",
            kind=Ballot.Kind.SECRET if b % 2 == 0 else Ballot.Kind.NAMED,
            voters=roll,
        )
        ballot = ballots.open_ballot(staff[0], ballot)
        opened.append((ballot.pk, list(ballot.options.values_list("pk", flat=True))))

    # a closed, named ballot with every deputy's vote: the result staff look at
    done = ballots.create_ballot(
        staff[0], congress=city, title="关于会议议程的表决", rule="majority_of_all", kind=Ballot.Kind.NAMED, voters=roll
    )
    done = ballots.open_ballot(staff[0], done)
    options = list(done.options.all())
    for n, (user, _) in enumerate(deputies):
        ballots.cast(done, user, [options[n % len(options)]], idempotency_key=f"setup-{n}")
    done = ballots.close_ballot(staff[0], done)
    return Plan(city.pk, [(u.pk, t) for u, t in deputies], cookies, opened, done.pk)


# ---------------------------------------------------------------- the load generator


@dataclass
class Request:
    name: str
    method: str
    path: str
    headers: dict
    body: bytes | None = None
    then: Callable[[bytes], Request | None] | None = None  # the next request, built from this one's answer


def _json(name, path, token, payload, then=None) -> Request:
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": str(uuid.uuid4()),
    }
    return Request(name, "POST", path, headers, json.dumps(payload, ensure_ascii=False).encode(), then)


def plenary_mix(plan: Plan, args) -> list[Request]:
    rng = random.Random(args.seed)
    jobs = []
    for n, (_, token) in enumerate(plan.deputies):

        def submit(answer, token=token):
            pk = json.loads(answer)["id"]
            return _json("suggestion submit", f"/api/cases/suggestion/{pk}/transitions/submit", token, {})

        body = {
            "title": f"关于加快农村饮水工程改造的建议（{n + 1}）",
            "content": CONTENT,
            "category": "农牧水利",
            "cosigners": "",
        }
        jobs.append(_json("suggestion create", "/api/cases/suggestion", token, body, then=submit))
        for ballot_id, options in plan.ballots:
            choice = rng.choices(options, weights=[8, 1, 1][: len(options)])[0]
            jobs.append(_json("ballot vote", f"/api/ballots/{ballot_id}/votes", token, {"choices": [choice]}))
    pages = dict(PAGES, **{"api: ballot result": f"/api/ballots/{plan.result_ballot}/result"})
    for i in range(args.staff_views):
        for name, path in pages.items():
            cookie = plan.staff_cookies[i % len(plan.staff_cookies)]
            jobs.append(Request(name, "GET", path, {"Cookie": cookie}))
    rng.shuffle(jobs)
    return jobs


def bare_inserts(count: int) -> list[Request]:
    headers = {"Content-Type": "application/json"}
    return [Request("bare INSERT", "POST", "/bench-bare/insert", headers, b'{"n": %d}' % i) for i in range(count)]


@dataclass
class Sample:
    name: str
    start: float
    end: float
    error: str | None


def run(port: int, jobs: list[Request], concurrency: int) -> tuple[list[Sample], float]:
    """Closed loop: `concurrency` threads, each sending its next request once the last is
    answered. Returns every request's sample and the wall time."""
    queue = iter(jobs)
    lock = threading.Lock()
    samples: list[Sample] = []
    barrier = threading.Barrier(concurrency + 1)

    def take():
        with lock:
            return next(queue, None)

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=300)
        mine = []
        barrier.wait()
        while (request := take()) is not None:
            while request is not None:
                start = time.perf_counter()
                try:
                    conn.request(request.method, request.path, body=request.body, headers=request.headers)
                    response = conn.getresponse()
                    answer = response.read()
                    error = None
                    if not 200 <= response.status < 400:
                        error = f"HTTP {response.status}: {answer[:300].decode('utf-8', 'replace')}"
                except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                    conn.close()
                    error, answer = f"{type(exc).__name__}: {exc}", b""
                mine.append(Sample(request.name, start, time.perf_counter(), error))
                following = None
                if error is None and request.then is not None:
                    try:
                        following = request.then(answer)
                    except Exception as exc:  # noqa: BLE001
                        mine.append(Sample(request.name, start, time.perf_counter(), f"bad answer: {exc}"))
                request = following
        conn.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return samples, time.perf_counter() - began


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def summarize(samples: list[Sample], wall: float) -> dict:
    by_name = defaultdict(list)
    for s in samples:
        by_name[s.name].append(s)
    rows = {}
    for name, group in [*by_name.items(), ("(all)", samples)]:
        latencies = sorted((s.end - s.start) * 1000 for s in group)
        rows[name] = dict(
            count=len(group),
            errors=sum(1 for s in group if s.error),
            p50=percentile(latencies, 50),
            p95=percentile(latencies, 95),
            p99=percentile(latencies, 99),
            rate=len(group) / wall if wall else 0.0,
        )
    return rows


HEADER = f"{'endpoint':<24}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}"


def print_rows(title: str, rows: dict, wall: float) -> None:
    print(f"{title} (wall {wall:.1f} s)")
    for name, r in rows.items():
        print(
            f"  {name:<22}{r['count']:>7}{r['errors']:>8}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['rate']:>9.1f}"
        )


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(args, env: dict, tmp: Path, port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "renda.config.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        "--worker-class=gthread",  # threads even with --threads=1: the hall's event streams hold one each
        "--keep-alive=30",  # the client keeps its connections; none idles out between requests
        "--timeout=120",
        f"--error-logfile={tmp / 'gunicorn.log'}",
        "--log-level=warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)


def wait_ready(server: subprocess.Popen, port: int, tmp: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{_log_tail(tmp)}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/bench-bare/insert")  # the application answers (writes nothing)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s:\n{_log_tail(tmp)}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _log_tail(tmp: Path, lines: int = 40) -> str:
    log = tmp / "gunicorn.log"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def warm_up(port: int, plan: Plan, args) -> int:
    """Every worker imports, connects and renders once before anything is timed (GETs and
    bare INSERTs only: nothing of the mix is written). Returns the bare rows written."""
    token = plan.deputies[0][1]
    ballot = plan.ballots[0][0]
    count = 4 * args.workers * args.threads
    jobs = bare_inserts(count)
    for i in range(count):
        cookie = {"Cookie": plan.staff_cookies[i % len(plan.staff_cookies)]}
        jobs += [
            Request(name, "GET", path or f"/api/ballots/{plan.result_ballot}/result", cookie)
            for name, path in PAGES.items()
        ]
        jobs.append(Request("ballot", "GET", f"/api/ballots/{ballot}", {"Authorization": f"Bearer {token}"}))
    samples, _ = run(port, jobs, min(args.concurrency, 2 * args.workers * args.threads))
    failed = [s for s in samples if s.error]
    if failed:
        raise SystemExit(f"warm-up failed: {failed[0].name}: {failed[0].error}")
    return count


# ---------------------------------------------------------------- checking the database


def verify(plan: Plan, args) -> list[str]:
    """What the run should have written, counted in the database; then every ballot closed
    and counted through the services. Returns the problems found."""
    from django.db.models import Count

    from renda.ballots import services as ballots
    from renda.ballots.models import Ballot, Cast, NamedChoice, SealedPaper
    from renda.core.models import User
    from renda.suggestions.models import Suggestion

    problems = []
    suggestions = Suggestion.objects.filter(congress_id=plan.city_id)
    total = suggestions.count()
    leads = suggestions.values("lead_deputy").distinct().count()
    states = dict(suggestions.values_list("state").annotate(n=Count("pk")).order_by())
    print(f"suggestions: {total} rows, {leads} distinct lead deputies, states {states}")
    if not total == leads == args.deputies or states != {"submitted": args.deputies}:
        problems.append(f"expected {args.deputies} submitted suggestions, one per deputy")

    staff = User.objects.get(username="staff1")
    votes = 0
    for ballot_id, _ in plan.ballots:
        casts = Cast.objects.filter(voter__ballot_id=ballot_id)
        n, voters = casts.count(), casts.values("voter__user").distinct().count()
        ballot = Ballot.objects.get(pk=ballot_id)
        papers = (SealedPaper if ballot.is_secret else NamedChoice).objects.filter(ballot=ballot).count()
        if not n == voters == papers == args.deputies:
            problems.append(f"ballot {ballot_id}: {n} casts, {voters} voters, {papers} papers")
        result = ballots.tally(ballots.close_ballot(staff, ballot))
        if not (result.cast == result.papers == args.deputies and result.consistent):
            problems.append(f"ballot {ballot_id} counted {result.cast} casts, {result.papers} papers")
        votes += n
    print(f"votes: {votes} casts in {len(plan.ballots)} ballots, each ballot closed and counted through the services")
    return problems


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # cleaned up as on Ctrl-C
    tmp = Path(tempfile.mkdtemp(prefix="renda-load-"))
    env = server_env(args, tmp)
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    if not args.sqlite:
        create_database(args.database_url)
    server = None
    try:
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        steps = [time.perf_counter()]
        call_command("migrate", verbosity=0)
        steps.append(time.perf_counter())
        collect_static()
        steps.append(time.perf_counter())
        plan = build(args)
        steps.append(time.perf_counter())
        connections.close_all()
        took = [b - a for a, b in zip(steps, steps[1:])]
        print(
            f"setup: {args.deputies} deputies with tokens, {args.staff} staff, {args.ballots} open ballots "
            f"({args.deputies * args.ballots} votes to cast), one closed ballot; "
            "migrate {:.0f} s, collectstatic {:.0f} s, records {:.0f} s".format(*took)
        )

        port = free_port()
        server = start_server(args, env, tmp, port)
        wait_ready(server, port, tmp)
        warmed = warm_up(port, plan, args)

        mix = plenary_mix(plan, args)
        print(
            f"gunicorn {args.workers} workers × {args.threads} threads, client {args.concurrency} threads "
            f"(closed loop), {'SQLite' if args.sqlite else 'PostgreSQL'}\n"
        )
        print(HEADER)
        base_before, wall_before = run(port, bare_inserts(args.baseline_requests), args.concurrency)
        before = summarize(base_before, wall_before)
        print_rows("baseline: bare INSERT view, before", {"bare INSERT": before["bare INSERT"]}, wall_before)
        samples, wall = run(port, mix, args.concurrency)
        rows = summarize(samples, wall)
        print_rows("plenary mix", rows, wall)
        base_after, wall_after = run(port, bare_inserts(args.baseline_requests), args.concurrency)
        after = summarize(base_after, wall_after)
        print_rows("baseline: bare INSERT view, after", {"bare INSERT": after["bare INSERT"]}, wall_after)
        stop_server(server)

        baseline = (before["bare INSERT"]["rate"] + after["bare INSERT"]["rate"]) / 2
        ratio = rows["(all)"]["rate"] / baseline if baseline else 0.0
        print(
            f"\nratio: plenary mix {rows['(all)']['rate']:.1f} req/s / bare INSERT {baseline:.1f} req/s "
            f"(mean of before and after) = {ratio:.2f}"
        )
        errors = [s for s in [*base_before, *samples, *base_after] if s.error]
        for s in errors[:10]:
            print(f"error: {s.name}: {s.error}")
        problems = [f"{len(errors)} requests failed"] if errors else []
        problems += verify(plan, args)
        from bench.bare.models import Row

        expected_rows = warmed + 2 * args.baseline_requests
        if Row.objects.count() != expected_rows:
            problems.append(f"bare INSERT rows: {Row.objects.count()}, expected {expected_rows}")
        within = "yes" if wall <= 60 else "no"
        print(
            f"goal: the mix within a minute: {within} ({wall:.1f} s); 0 errors: {'yes' if not errors else 'no'}; "
            f"database checks: {'passed' if not problems else 'FAILED'}"
        )
        for p in problems:
            print(f"problem: {p}")
        connections.close_all()
        return 1 if problems else 0
    finally:
        if server is not None:
            stop_server(server)
        if args.keep:
            print(f"kept: {tmp}" + ("" if args.sqlite else f" and {args.database_url}"))
        else:
            if not args.sqlite:
                drop_database(args.database_url)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
