"""`python -m bench.archive`: the yearly scores (履职评价, renda.deputies.archive.scores) of the
city's 300 deputies at 1× and 10× their activities, and one deputy's archive.

In a fresh SQLite database in a temporary directory (never var/), builds one city congress,
its term and 300 deputies, then per deputy and year (1×): 40 confirmed hand-recorded
activities (contacts, visits, station duty, research), 5 unconfirmed ones and 12 Participation
rows (co-signing, observing, inspecting, training), plus an absence at the session for one
deputy in ten — about 17,000 rows; 10× adds nine more copies (bulk_create). Prints the median
time of `scores(city, 2020)` and of `archive(deputy, 2020)` at each scale, with the query
counts, and the ratio 10× / 1× (the records grow ten times; the queries stay the same, so the
ratio is what the aggregates cost). Not part of the test suite. Options: --runs 7 --keep
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date

from bench.__main__ import setup_django

HAND = (("contact", 25), ("visit", 8), ("station", 5), ("research", 2))
MACHINE = (("cosigner", 5), ("observer", 2), ("inspector", 3), ("trainee", 2))


def build(copies_from: int, copies_to: int, world) -> None:
    from renda.deputies.models import Activity
    from renda.workflow.models import Participation

    city, deputies, content_type = world
    activities, rows = [], []
    for copy in range(copies_from, copies_to):
        for i, d in enumerate(deputies):
            n = 0
            for kind, count in HAND:
                for _ in range(count):
                    n += 1
                    day = date(2020, 1 + n % 12, 1 + (n + copy) % 28)
                    activities.append(
                        Activity(
                            deputy=d,
                            congress=city,
                            kind=kind,
                            on=day,
                            place=f"村{n}",
                            people_reached=n % 40,
                            state=Activity.State.CONFIRMED,
                        )
                    )
            activities += [
                Activity(
                    deputy=d,
                    congress=city,
                    kind="visit",
                    on=date(2020, 6, 1 + k),
                    place="待确认",
                    state=Activity.State.PENDING,
                )
                for k in range(5)
            ]
            for capacity, count in MACHINE:
                for k in range(count):
                    object_id = (copy * 1000 + k) * 1000 + i
                    rows.append(
                        Participation(
                            person_id=d.person_id,
                            deputy=d,
                            capacity=capacity,
                            content_type=content_type,
                            object_id=object_id,
                            congress=city,
                            on=date(2020, 1 + k % 12, 10),
                            label=f"记录{object_id}",
                            url=f"/work/x/{object_id}/",
                        )
                    )
    Activity.objects.bulk_create(activities, batch_size=2000)
    Participation.objects.bulk_create(rows, batch_size=2000)


def timed(func, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(ctx.captured_queries)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    var_dir = tempfile.mkdtemp(prefix="renda-bench-archive-")
    try:
        setup_django(var_dir)
        from django.contrib.contenttypes.models import ContentType

        from renda.core import services
        from renda.core.models import Deputy, Person, PlenarySession, User
        from renda.deputies.archive import archive, scores
        from renda.meetings.models import Attendance

        admin = User.objects.create(username="bench-root", is_superuser=True, is_staff=True)
        city = services.create_congress(admin, code="150800000000", region="巴彦淖尔市", level="city")
        term = services.create_term(admin, city, 4, date(2017, 1, 6))
        session = services.create_plenary_session(admin, term, 3, date(2020, 5, 9), date(2020, 5, 11))
        people = Person.objects.bulk_create([Person(name=f"代表{i + 1}", gender="MF"[i % 2]) for i in range(300)])
        deputies = Deputy.objects.bulk_create(
            [Deputy(person=p, congress=city, term=term, elected_date=term.start_date) for p in people]
        )
        Attendance.objects.bulk_create(
            [Attendance(session=session, person=p, status=Attendance.Status.ABSENT) for p in people[::10]]
        )
        world = (city, deputies, ContentType.objects.get_for_model(PlenarySession))
        print(
            f"{'scale':>5} {'activities':>11} {'participations':>15} {'scores ms':>10} {'queries':>8}"
            f" {'archive ms':>11} {'queries':>8}"
        )
        results = {}
        done = 0
        for scale in (1, 10):
            build(done, scale, world)
            done = scale
            from renda.deputies.models import Activity
            from renda.workflow.models import Participation

            s, sq = timed(lambda: scores(city, 2020), args.runs)
            a, aq = timed(lambda: archive(deputies[0], 2020), args.runs)
            results[scale] = s
            print(
                f"{scale:>4}× {Activity.objects.count():>11,} {Participation.objects.count():>15,}"
                f" {s * 1000:>10.1f} {sq:>8} {a * 1000:>11.1f} {aq:>8}"
            )
        print(f"300 deputies' yearly scores: 10× / 1× = {results[10] / results[1]:.1f}")
    finally:
        if args.keep:
            print(f"kept: {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
