"""`python -m bench.votes_phases`: where a vote's time goes, in process (no gunicorn, no HTTP).

A companion of `bench.votes`: the same setup (scratch PostgreSQL database, 1,000 deputies by
default), then, one request at a time through Django's test client, the bare INSERT view and
the vote endpoint, and the vote's parts called directly: token authentication and
`services.cast` (plus `get_visible_or_404(Ballot)`, which the endpoint now runs only to
answer a refusal). Mean wall time per call. Each request starts as under gunicorn
(`close_old_connections`, hence Django's connection health check), and the round trips to
PostgreSQL of one bare request and one vote are counted from libpq's trace.
Options: --voters --calls --database-url --profile N (cProfile of the vote endpoint's calls:
the N functions with the most own time, to see where a vote's CPU goes beyond the bare view's)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import votes
from bench.load import ROOT, create_database, drop_database, server_env


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.votes_phases", description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=300, help="calls timed per line (at most voters / 2)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/renda_bench_votes_phases")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the vote's N costliest functions")
    args = parser.parse_args(argv)
    n = min(args.calls, args.voters // 2)
    opts = votes.parse_args(["--voters", str(args.voters), "--database-url", args.database_url])
    tmp = Path(tempfile.mkdtemp(prefix="renda-votes-phases-"))
    os.environ.update(server_env(opts, tmp))
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    create_database(args.database_url)
    try:
        import django
        from django.core.management import call_command
        from django.db import close_old_connections, connection
        from django.test import Client

        django.setup()
        call_command("migrate", verbosity=0)
        plan = votes.build(opts)

        from renda.ballots import services
        from renda.ballots.models import Ballot
        from renda.core.scoping import get_visible_or_404
        from renda.core.services import user_for_token

        client = Client()
        (b1, o1), (b2, o2) = plan.ballots

        def bare(i):
            close_old_connections()  # what gunicorn's request_started does (the test client skips it)
            return client.post("/bench-bare/insert", data=b"{}", content_type="application/json")

        def vote(i):
            close_old_connections()
            return client.post(
                f"/api/ballots/{b1}/votes",
                data=json.dumps({"choices": [o1[0]]}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {plan.voters[i][1]}",
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )

        def timed(label, f, calls, queries=None):
            start, cpu = time.perf_counter(), time.process_time()
            for i in calls:
                f(i)
            mean = (time.perf_counter() - start) / len(calls) * 1000
            cpu = (time.process_time() - cpu) / len(calls) * 1000  # this process only: not PostgreSQL's
            print(
                f"{label:<44}{mean:>8.2f} ms{cpu:>8.2f} ms CPU"
                + (f"{queries:>4} queries" if queries is not None else "")
            )

        bare(0), vote(0)  # warm: imports, connection, first compiled queries

        def count_queries(f, i) -> tuple[int, object]:
            # an execute wrapper, not CaptureQueriesContext: each request resets connection.queries
            seen = []
            with connection.execute_wrapper(lambda execute, sql, *a: seen.append(sql) or execute(sql, *a)):
                answer = f(i)
            return len(seen), answer

        def round_trips(f, i) -> int:
            # libpq's trace of the request's messages: each turn from the client's messages
            # to the server's is one round trip (the health check's SELECT 1, BEGIN, COMMIT included)
            from psycopg.pq import Trace

            connection.ensure_connection()
            pgconn = connection.connection.pgconn
            with tempfile.TemporaryFile("w+") as log:
                pgconn.trace(log.fileno())
                pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)
                try:
                    f(i)
                finally:
                    pgconn.untrace()
                log.seek(0)
                sides = [line[0] for line in log if line[:1] in ("F", "B")]
            return sum(1 for a, b in zip(sides, sides[1:]) if (a, b) == ("F", "B"))

        bare_q, _ = count_queries(bare, 0)
        vote_q, answer = count_queries(vote, 1)
        print(f"round trips to PostgreSQL per request: bare {round_trips(bare, 0)}, vote {round_trips(vote, n + 2)}")
        if answer.status_code != 201:
            raise SystemExit(f"the vote was refused: {answer.status_code} {answer.content[:200]!r}")
        timed("bare INSERT view (test client)", bare, range(n), bare_q)
        timed("vote endpoint (test client)", vote, range(2, n + 2), vote_q)
        second = range(n, 2 * n)
        users = {i: user_for_token(plan.voters[i][1]) for i in second}
        timed("  token authentication", lambda i: user_for_token(plan.voters[i][1]), second)
        timed(  # no longer on a vote's path: only when a cast is refused (404 or the reason)
            "  (refusals only) get_visible_or_404(Ballot)",
            lambda i: get_visible_or_404(users[i], Ballot, pk=b2),
            second,
        )
        # the endpoint's path: cast by the ballot's id, the locked roll line is the permission check
        timed("  services.cast", lambda i: services.cast(b2, users[i], [o2[0]], idempotency_key=f"k{i}"), second)
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            third = range(2 * n, min(3 * n, args.voters))
            profile.runcall(lambda: [vote(i) for i in third])
            print(f"\nthe vote endpoint, {len(third)} calls: the functions with the most own time")
            pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)
        connection.close()
        return 0
    finally:
        drop_database(args.database_url)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
