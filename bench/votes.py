"""`python -m bench.votes` (make bench): the vote storm (issue 14), against gunicorn and PostgreSQL.

3,000 deputies cast their ballots on one item — a motion (赞成/反对/弃权) about the plenary
session's agenda, made and opened through `renda.ballots.services` — through the real
voting endpoint, POST /api/ballots/{id}/votes with a bearer token and an Idempotency-Key,
from a closed-loop client (`--concurrency` threads, one keep-alive connection each). The
baseline is the bare Django view doing one INSERT (bench.bare), same server, same client,
same run (measured before and after the storm; the mean is used).

Then a second storm on a second item, during which one gunicorn worker is killed with
SIGKILL once half the votes are answered. A client whose request fails (connection reset)
retries with the same Idempotency-Key, as a hall terminal does. Afterwards: every voter
that got a 2xx has exactly its cast (and the choice it sent) in the database, nobody has
two, and the ballot closed and counted through the services gives a tally equal to the
ballots.

Setup (not timed): a scratch database (default renda_bench_votes on the local server),
created, migrated and dropped; the congress, term, session, staff and the ballots through
the services; the 3,000 persons, deputies, accounts, roles and API tokens with
bulk_create (the services take ≈ 1 min for 3,000; the rows are the same). The tokens are
stamped as used within the minute — the phones loaded the ballot before voting — so a
vote does not also write its token's "last used" (which is written once a minute).

The last line printed is exactly:
votes_per_s=… bare_insert_per_s=… ratio=… p99_ms=… lost=0 doubled=0
Exit status 1 when anything is lost or doubled, a request fails in the first storm, or the
tally disagrees. Options: --voters --workers --threads --concurrency --secret --keep
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.load import (
    HOST,
    ROOT,
    bare_inserts,
    create_database,
    drop_database,
    free_port,
    percentile,
    run,
    server_env,
    start_server,
    stop_server,
    wait_ready,
)

GOAL_RATIO, GOAL_P99_MS, GOAL_SECONDS = 0.5, 100.0, 5.0


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.votes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=3000, help="deputies on the roll, each casting once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--concurrency", type=int, default=16, help="client threads (closed loop)")
    parser.add_argument("--secret", action="store_true", help="secret ballots (sealed papers) instead of named")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/renda_bench_votes",
        help="scratch PostgreSQL database, created and dropped",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary directory")
    args = parser.parse_args(argv)
    args.sqlite = False  # bench.load.server_env reads it: this benchmark is PostgreSQL only
    if min(args.voters, args.workers, args.threads, args.concurrency) < 1:
        parser.error("counts must be positive")
    return args


# ---------------------------------------------------------------- setup


@dataclass
class Plan:
    voters: list  # [(user_id, token)]
    chair_id: int
    ballots: list = field(default_factory=list)  # [(ballot_id, [option ids])]


def build(args) -> Plan:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from renda.ballots import services as ballots
    from renda.ballots.models import Ballot
    from renda.core import services
    from renda.core.models import ApiToken, Body, Deputy, Person, Role, RoleAssignment, User

    admin = User.objects.create_superuser("votes-root", password=None, display_name="压测管理员")
    city = services.create_congress(admin, code="150800000000", region="巴彦淖尔市", level="city")
    term = services.create_term(admin, city, 4, date(2017, 1, 6))
    session = services.create_plenary_session(admin, term, 3, date(2020, 5, 9), date(2020, 5, 11))
    office = services.create_body(admin, city, "巴彦淖尔市人大常委会办公室", "办公室", Body.Kind.OFFICE)
    chair = services.create_account(
        admin,
        username="chair",
        password_hash=make_password("Votes-Passw0rd!"),
        display_name="大会秘书处",
        roles=[dict(role=Role.STAFF, congress=city, body=office)],
    )

    # 3,000 deputies with their accounts and tokens: bulk_create (the same rows as the services write)
    n = args.voters
    shared_hash = make_password("Votes-Passw0rd!")
    persons = Person.objects.bulk_create(
        Person(name=f"代表{i + 1:04d}", gender="F" if i % 3 else "M") for i in range(n)
    )
    deputies = Deputy.objects.bulk_create(
        Deputy(person=p, congress=city, term=term, elected_date=term.start_date) for p in persons
    )
    users = User.objects.bulk_create(
        User(username=f"deputy{i + 1:04d}", password=shared_hash, display_name=p.name, person=p)
        for i, p in enumerate(persons)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.DEPUTY, congress=city, deputy=d) for u, d in zip(users, deputies)
    )
    secrets_ = ["rd_" + secrets.token_urlsafe(32) for _ in users]
    now = timezone.now()
    ApiToken.objects.bulk_create(
        ApiToken(
            user=u, name="大会期间", prefix=s[:8], key_hash=hashlib.sha256(s.encode()).hexdigest(), last_used_at=now
        )
        for u, s in zip(users, secrets_)
    )

    plan = Plan([(u.pk, s) for u, s in zip(users, secrets_)], chair.pk)
    roll = ballots.deputy_roll(term)
    kind = Ballot.Kind.SECRET if args.secret else Ballot.Kind.NAMED
    for title in ("关于大会议程的表决", "关于大会选举办法的表决"):  # one per storm
        ballot = ballots.create_ballot(
            chair, congress=city, title=title, rule="majority_of_all", kind=kind, voters=roll, subject=session
        )
        ballot = ballots.open_ballot(chair, ballot)
        plan.ballots.append((ballot.pk, list(ballot.options.order_by("order").values_list("pk", flat=True))))
    return plan


# ---------------------------------------------------------------- the storm


@dataclass
class Vote:
    user_id: int
    token: str
    choice: int
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: int = 0  # the last answer's status (0: no answer)
    attempts: int = 0
    latency_ms: float = 0.0  # of the answered attempt


def storm(port: int, ballot, plan: Plan, concurrency: int, on_progress=None, retries: int = 0):
    """Every voter casts once (8:1:1 for/against/abstain), `concurrency` threads, closed
    loop. A failed attempt (no answer) is retried `retries` times with the same key.
    Returns the votes and the wall time."""
    ballot_id, options = ballot
    votes = [
        Vote(uid, token, options[0] if i % 10 < 8 else options[1 + i % 2]) for i, (uid, token) in enumerate(plan.voters)
    ]
    queue = iter(votes)
    lock = threading.Lock()
    done = [0]
    barrier = threading.Barrier(concurrency + 1)
    path = f"/api/ballots/{ballot_id}/votes"

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        barrier.wait()
        while True:
            with lock:
                vote = next(queue, None)
            if vote is None:
                break
            body = json.dumps({"choices": [vote.choice]}).encode()
            headers = {
                "Authorization": f"Bearer {vote.token}",
                "Content-Type": "application/json",
                "Idempotency-Key": vote.key,
            }
            while vote.attempts <= retries:
                vote.attempts += 1
                start = time.perf_counter()
                try:
                    conn.request("POST", path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    vote.status = response.status
                    vote.latency_ms = (time.perf_counter() - start) * 1000
                    break
                except Exception:  # noqa: BLE001 - a reset connection (the killed worker): retried, counted
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
            with lock:
                done[0] += 1
                count = done[0]
            if on_progress is not None:
                on_progress(count)
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return votes, time.perf_counter() - began


def check(ballot, votes: list[Vote], chair_id: int) -> dict:
    """Counted in the database: lost (a 2xx whose cast is not there, or whose named choice
    differs), doubled (voters with more than one cast), then the ballot closed and counted
    through the services and its tally compared with the ballots."""
    from django.db.models import Count

    from renda.ballots import services as ballots
    from renda.ballots.models import Ballot, Cast, NamedChoice, SealedPaper
    from renda.core.models import User

    ballot_id, _ = ballot
    casts = Cast.objects.filter(voter__ballot_id=ballot_id)
    per_user = dict(casts.values_list("voter__user").annotate(n=Count("pk")).order_by())
    named = dict(NamedChoice.objects.filter(ballot_id=ballot_id).values_list("cast__voter__user", "option"))
    row = Ballot.objects.get(pk=ballot_id)
    ok = [v for v in votes if 200 <= v.status < 300]
    lost = sum(1 for v in ok if not per_user.get(v.user_id) or (not row.is_secret and named.get(v.user_id) != v.choice))
    doubled = sum(1 for n in per_user.values() if n > 1)
    unanswered = sum(1 for v in votes if not 200 <= v.status < 300)
    papers = (SealedPaper if row.is_secret else NamedChoice).objects.filter(ballot_id=ballot_id).count()
    cast_count = casts.count()
    result = ballots.tally(ballots.close_ballot(User.objects.get(pk=chair_id), row))
    tally_ok = result.cast == result.papers == cast_count == papers and result.consistent
    tally_ok = tally_ok and sum(o.votes for o in result.options) == cast_count
    return dict(
        ok=len(ok),
        unanswered=unanswered,
        casts=cast_count,
        lost=lost,
        doubled=doubled,
        tally_ok=tally_ok,
        totals=result.totals,
        outcome=result.outcome.text,
        retried=sum(1 for v in votes if v.attempts > 1),
    )


def rate(samples, wall: float) -> tuple[float, float]:
    latencies = sorted((s.end - s.start) * 1000 for s in samples)
    return len(samples) / wall, percentile(latencies, 99)


def workers_of(master: int) -> list[int]:
    """The gunicorn worker processes (children of the master this script started), the one
    holding the most sockets (client connections) first: killing an idle worker proves nothing."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout

    def sockets(pid: int) -> int:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            return 0
        count = 0
        for fd in fds:
            try:
                count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
            except OSError:
                pass
        return count

    return sorted((int(p) for p in out.split()), key=sockets, reverse=True)


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="renda-votes-"))
    env = server_env(args, tmp)
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    create_database(args.database_url)
    server = None
    try:
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        t1 = time.perf_counter()
        plan = build(args)
        t2 = time.perf_counter()
        connections.close_all()
        print(
            f"setup: {args.voters} deputies with accounts and tokens, 2 open {'secret' if args.secret else 'named'} "
            f"motions; migrate {t1 - t0:.0f} s, records {t2 - t1:.0f} s"
        )

        port = free_port()
        server = start_server(args, env, tmp, port)
        wait_ready(server, port, tmp)
        # warm-up: every worker imports, connects and answers once (bare INSERTs and a GET of the ballot)
        warm = 4 * args.workers * args.threads
        token = plan.voters[0][1]
        from bench.load import Request

        probe = [
            Request("ballot", "GET", f"/api/ballots/{plan.ballots[0][0]}", {"Authorization": f"Bearer {token}"})
        ] * warm
        samples, _ = run(port, bare_inserts(warm) + probe, min(args.concurrency, 2 * args.workers * args.threads))
        if any(s.error for s in samples):
            raise SystemExit(f"warm-up failed: {next(s.error for s in samples if s.error)}")
        print(
            f"gunicorn {args.workers} workers × {args.threads} threads, client {args.concurrency} threads "
            "(closed loop, keep-alive), PostgreSQL\n"
        )

        # baseline, storm, baseline
        before, wall_b = run(port, bare_inserts(args.voters), args.concurrency)
        votes, wall = storm(port, plan.ballots[0], plan, args.concurrency)
        after, wall_a = run(port, bare_inserts(args.voters), args.concurrency)
        bare_rates = [rate(before, wall_b), rate(after, wall_a)]
        bare = sum(r for r, _ in bare_rates) / 2
        answered = sorted(v.latency_ms for v in votes if v.status)
        p99 = percentile(answered, 99)
        votes_per_s = len(votes) / wall
        for label, (r, p) in zip(("before", "after"), bare_rates):
            print(f"bare INSERT {label}: {args.voters} requests, {r:.0f} req/s, p99 {p:.1f} ms")
        statuses = {}
        for v in votes:
            statuses[v.status] = statuses.get(v.status, 0) + 1
        print(
            f"storm 1: {len(votes)} votes in {wall:.2f} s ({votes_per_s:.0f} votes/s), p50 "
            f"{percentile(answered, 50):.1f} ms, p99 {p99:.1f} ms, statuses {statuses}"
        )
        first = check(plan.ballots[0], votes, plan.chair_id)
        print(
            f"storm 1 checked: {first['ok']} 2xx, {first['casts']} casts in the database, lost={first['lost']} "
            f"doubled={first['doubled']}, tally {'= ballots' if first['tally_ok'] else 'DIFFERS'} "
            f"{first['totals']} ({first['outcome']})"
        )

        # the second storm: one worker killed with SIGKILL half-way through
        killed = []
        half = args.voters // 2

        def kill_one(count):
            if count >= half and not killed:
                pids = workers_of(server.pid)
                if pids:
                    killed.append(pids[0])
                    os.kill(pids[0], signal.SIGKILL)

        votes2, wall2 = storm(port, plan.ballots[1], plan, args.concurrency, on_progress=kill_one, retries=3)
        second = check(plan.ballots[1], votes2, plan.chair_id)
        statuses2 = {}
        for v in votes2:
            statuses2[v.status] = statuses2.get(v.status, 0) + 1
        print(
            f"kill -9 storm: worker {killed[0] if killed else '(none found)'} killed after {half} answers; "
            f"{len(votes2)} votes in {wall2:.2f} s, statuses {statuses2}, {second['retried']} retried with "
            f"the same key ({statuses2.get(200, 0)} answered 200: committed before the kill, replayed); {second['ok']} 2xx, {second['casts']} casts in the database, "
            f"lost={second['lost']} doubled={second['doubled']} "
            f"tally={'equals ballots' if second['tally_ok'] else 'DIFFERS'} {second['totals']}"
        )
        stop_server(server)

        ratio = votes_per_s / bare if bare else 0.0
        failed = sum(1 for v in votes if not 200 <= v.status < 300)
        problems = []
        if failed:
            problems.append(f"storm 1: {failed} votes without a 2xx")
        if not (first["tally_ok"] and second["tally_ok"]):
            problems.append("a tally differs from the ballots")
        if second["ok"] + second["unanswered"] != args.voters or not killed:
            problems.append("kill -9 storm incomplete")
        lost, doubled = first["lost"] + second["lost"], first["doubled"] + second["doubled"]
        if lost or doubled:
            problems.append(f"lost {lost}, doubled {doubled}")
        print(
            f"goals: ratio ≥ {GOAL_RATIO}: {'yes' if ratio >= GOAL_RATIO else 'no'}; p99 < {GOAL_P99_MS:.0f} ms: "
            f"{'yes' if p99 < GOAL_P99_MS else 'no'}; {args.voters} votes within {GOAL_SECONDS:.0f} s: "
            f"{'yes' if wall <= GOAL_SECONDS else 'no'}"
        )
        for p in problems:
            print(f"problem: {p}")
        connections.close_all()
        print(
            f"votes_per_s={votes_per_s:.0f} bare_insert_per_s={bare:.0f} ratio={ratio:.2f} p99_ms={p99:.0f} "
            f"lost={lost} doubled={doubled}"
        )
        return 1 if problems else 0
    finally:
        if server is not None:
            stop_server(server)
        if args.keep:
            print(f"kept: {tmp} and {args.database_url}", file=sys.stderr)
        else:
            drop_database(args.database_url)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
