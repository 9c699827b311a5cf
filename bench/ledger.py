"""`python -m bench.ledger`: the problem ledger (问题清单台账) page at 1× and 100× its problems.

In a fresh SQLite database in a temporary directory: a city congress with its office, two
responsible units, a staff account and a unit account, and a deputy's registered suggestion as
the source. The first 20 problems are opened through the service every module calls
(`problems.services.open_problem`: numbered, linked, listed, their clock started); the rest up
to 100× with bulk_create, spread over the units, states and deadlines (the page reads only the
rows). At each scale it requests the ledger as staff and as the unit (the first page of 50,
with its filter chips), the same page filtered to overdue items, and the problem list's page,
through Django's test client: the median of several runs and the number of SQL queries (the
list's page shows 100 problems a page).

The figure to read is the ratio of 100× to 1× measured in the same run: the query counts must
be equal (the page is paginated and its annotations are subqueries), and the time grows only
with what SQLite must count and group over all rows (the total, the year and unit chips).

Not part of the test suite. Options: --base 20 --scales 1,100 --runs 9 --keep
Exit status 1 if a page's query count differs between scales.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.ledger", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=20, help="problems at 1× (default 20)")
    parser.add_argument("--scales", default="1,100", help="multiples of --base to time (default 1,100)")
    parser.add_argument("--runs", type=int, default=9, help="timed requests per page and scale (median shown)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and its database")
    args = parser.parse_args(argv)
    args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    if not args.scales or args.scales[0] < 1 or args.runs < 1 or args.base < 2:
        parser.error("base (≥ 2), scales and runs must be positive")
    return args


def setup(var_dir: str) -> None:
    # a production-like process: DEBUG off, keys of its own, plain HTTP for the test client
    os.environ.setdefault("RENDA_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("RENDA_DATA_KEYS", base64.urlsafe_b64encode(os.urandom(32)).decode())
    os.environ["RENDA_HTTPS"] = "0"
    os.environ["RENDA_2FA_ENFORCE"] = "0"
    os.environ["RENDA_WARM_UP"] = "0"
    from django.core.management import call_command

    from bench.__main__ import setup_django

    setup_django(var_dir)
    call_command("collectstatic", interactive=False, verbosity=0)  # hashed files, as production serves them


class Ledger:
    def __init__(self):
        from datetime import date

        from renda.core import services
        from renda.core.models import Body, HandlingUnit, Role, User
        from renda.suggestions import services as suggestions
        from renda.workflow.engine import perform

        admin = User.objects.create(username="bench-root", is_superuser=True, is_staff=True)
        city = services.create_congress(admin, code="150800000000", region="巴彦淖尔市", level="city")
        office = services.create_body(admin, city, "巴彦淖尔市人大常委会办公室", "办公室", Body.Kind.OFFICE)
        gov = services.create_handling_unit(admin, city, "巴彦淖尔市人民政府", "市政府", HandlingUnit.Kind.GOVERNMENT)
        kind = HandlingUnit.Kind.DEPARTMENT
        self.units = [
            services.create_handling_unit(admin, city, "巴彦淖尔市水利局", "市水利局", kind, parent=gov),
            services.create_handling_unit(admin, city, "巴彦淖尔市生态环境局", "市生态环境局", kind, parent=gov),
        ]
        term = services.create_term(admin, city, 4, date(2017, 1, 6))
        person = services.create_person(admin, name="王代表", gender="M", mobile="13900000001")
        deputy = services.create_deputy(admin, person=person, term=term, elected_date=term.start_date)

        def account(name, role, **where):
            return services.create_account(
                admin, username=name, password=secrets.token_urlsafe(16), display_name=name, roles=[where | role]
            )

        self.staff = account("staff", {"role": Role.STAFF}, congress=city, body=office)
        self.unit = account("unit", {"role": Role.UNIT}, congress=city, handling_unit=self.units[0])
        author = account("deputy", {"role": Role.DEPUTY}, congress=city, deputy=deputy)
        self.source = suggestions.save_draft(
            author,
            lead=deputy,
            title="关于加快农村饮水工程改造的建议",
            content="临河区部分农村饮水工程管网老化，夏季用水高峰经常停水，建议纳入年度计划加快改造。" * 2,
            category="农牧水利",
            cosigners=[],
        )
        perform(self.source, "submit", author)
        perform(self.source, "register", self.staff, {"category": "农牧水利"})
        self.city, self.office, self.count = city, office, 0

    def grow(self, total: int) -> None:
        from django.db import transaction
        from django.utils import timezone

        from renda.problems.models import ProblemItem
        from renda.problems.services import open_problem

        today = timezone.localdate()
        with transaction.atomic():
            while self.count < min(total, 20):  # the first ones as users open them
                open_problem(
                    self.source,
                    self.staff,
                    title=f"饮水工程问题{self.count + 1}",
                    unit=self.units[self.count % 2],
                    due_on=today + timedelta(days=self.count - 10),  # half of them overdue
                    measures="更换老化管网。",
                    on=today - timedelta(days=60),
                )
                self.count += 1
            plist = ProblemItem.objects.first().problem_list
            rows = []
            for i in range(self.count, total):
                rows.append(
                    ProblemItem(
                        congress=self.city,
                        state=("listed", "rectifying", "closure_requested", "closed")[i % 4],
                        title=f"饮水工程问题{i + 1}",
                        number=f"问〔{today.year - 10}〕{i + 1}号",  # outside the counter's year
                        year=today.year - 10,
                        sequence=i + 1,
                        problem_list=plist,
                        body=self.office,
                        unit=self.units[i % 2],
                        measures="更换老化管网。",
                        due_on=today + timedelta(days=i % 240 - 120),
                        listed_on=today - timedelta(days=i % 700),
                    )
                )
            ProblemItem.objects.bulk_create(rows, batch_size=500)
            self.count = total


def measure(client, path: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(path).status_code == 200  # warm up
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    queries = len(ctx.captured_queries)  # read now: the log is the connection's, not the context's
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(times), queries


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    var_dir = tempfile.mkdtemp(prefix="renda-bench-ledger-")
    try:
        started = time.perf_counter()
        setup(var_dir)
        from django.test import Client

        print(
            f"Renda ledger bench: fresh SQLite database in {var_dir} (migrated in {time.perf_counter() - started:.1f} s)"
        )
        ledger = Ledger()
        staff, unit = Client(), Client()
        staff.force_login(ledger.staff)
        unit.force_login(ledger.unit)
        pages = [
            ("ledger (staff)", staff, "/work/problems/"),
            ("ledger (unit)", unit, "/work/problems/"),
            ("overdue (staff)", staff, "/work/problems/?timing=overdue&sort=due_on"),
            ("problem list", staff, None),
        ]
        results = {}
        for scale in args.scales:
            started = time.perf_counter()
            ledger.grow(args.base * scale)
            built = time.perf_counter() - started
            list_path = _list_path()
            print(f"  {scale}×: {ledger.count} problems (built in {built:.1f} s)")
            for name, client, path in pages:
                results[(scale, name)] = measure(client, path or list_path, args.runs)

        base, top = args.scales[0], args.scales[-1]
        print()
        print(f"median of {args.runs} requests; queries per request")
        header = f"{'page':<18}" + "".join(f"{f'{s}× ms':>11}{'queries':>9}" for s in args.scales) + f"{'ratio':>8}"
        print(header)
        print("-" * len(header))
        constant = True
        for name, _, _ in pages:
            cells = "".join(f"{results[(s, name)][0] * 1000:>11.1f}{results[(s, name)][1]:>9}" for s in args.scales)
            ratio = results[(top, name)][0] / results[(base, name)][0]
            same = len({results[(s, name)][1] for s in args.scales}) == 1
            constant &= same
            print(f"{name:<18}{cells}{ratio:>7.2f}×{'' if same else '  queries differ!'}")
        print()
        print(
            f"query counts constant from {args.base * base} to {args.base * top} problems: {'yes' if constant else 'NO'}"
        )
        return 0 if constant else 1
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def _list_path() -> str:
    from renda.problems.models import ProblemList

    return ProblemList.objects.get().get_absolute_url()


if __name__ == "__main__":
    sys.exit(main())
