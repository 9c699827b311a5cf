"""`python -m bench` (make bench): how the work summary's cost grows with the records it counts.

In a fresh SQLite database in a temporary directory, builds the party and self-building
records of the demo year (renda.party.demo: 49 study sessions, 7 trainings with 576
participant rows, 19 reports to and requests for study by the party committee, 7 pre-studies,
10 work rules) at 1×, 10× and 100×, and times `summary.build(city, 2020)` plus rendering to
Markdown (median of several runs) at each scale, and the dashboard's data for comparison.

The first copy of the year is written through the services (save_register, save_training:
validation, permission check, audit entry), as users write it; the further copies with
bulk_create (the services would take minutes at 100×; --services writes every copy through
them). The records are the same either way; the summary reads only the records.

Not part of the test suite. Options: --scales 1,10,100 --runs 7 --services --keep
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

GOAL_SECONDS = 2.0


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="copies of the demo year to time (default 1,10,100)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per scale; the median is shown (default 7)")
    parser.add_argument("--services", action="store_true", help="write every copy through the services (slow)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and its database")
    args = parser.parse_args(argv)
    args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    if not args.scales or args.scales[0] < 1 or args.runs < 1:
        parser.error("scales and runs must be positive")
    return args


def setup_django(var_dir: str) -> None:
    # before Django reads its settings: the database and job queue go under var_dir
    os.environ["RENDA_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # SQLite under RENDA_VAR_DIR, whatever the shell says
    os.environ["RENDA_JOBS_IMMEDIATE"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "renda.config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


class Year:
    """The demo year's party and self-building records, written `copies` times over."""

    def __init__(self):
        from renda.core import services
        from renda.core.models import Body, Person, User

        self.admin = User.objects.create(username="bench-root", is_superuser=True, is_staff=True)
        self.city = services.create_congress(self.admin, code="150800000000", region="巴彦淖尔市", level="city")
        self.office = services.create_body(
            self.admin, self.city, "巴彦淖尔市人大常委会办公室", "办公室", Body.Kind.OFFICE
        )
        # the demo's 36 committee members and 300 city deputies: only their Person rows are counted
        people = Person.objects.bulk_create(
            [Person(name=f"组成人员{i + 1}", gender="M") for i in range(36)]
            + [Person(name=f"代表{i + 1}", gender="F" if i % 3 else "M") for i in range(300)]
        )
        self.members, self.deputies = people[:36], people[36:]
        self.copies = 0

    def plan(self, copy: int):
        """One copy of the demo year (renda.party.demo.build), as unsaved records."""
        from renda.party import demo
        from renda.party.models import PartyReport, PreStudy, StudySession, Training, WorkRule

        city, tag = self.city, f"（第{copy + 1}套）" if copy else ""
        studies = []

        def study(kind, day, topic, speaker=""):
            studies.append(
                StudySession(
                    congress=city,
                    kind=kind,
                    date=day,
                    topic=topic + tag,
                    speaker=speaker,
                    body=self.office,
                    created_by=self.admin,
                )
            )

        for month, topic in enumerate(demo.CENTRAL_TOPICS, start=1):
            study(StudySession.Kind.CENTRAL_GROUP, date(2020, month, 20), topic)
        for n, topic in enumerate(demo.SEMINARS):
            study(StudySession.Kind.SEMINAR, date(2020, 3 + 2 * n, 12), topic)
        for n, (topic, speaker) in enumerate(demo.LECTURES):
            study(StudySession.Kind.LECTURE, date(2020, 6 + 5 * n, 9), topic, speaker)
        day = date(2020, 1, 8)
        for n in range(30):
            study(StudySession.Kind.COLLECTIVE, day, f"机关集体学习（第{n + 1}次）")
            day += timedelta(days=12)
        d = self.deputies
        plans = [
            ("常委会组成人员履职能力专题培训班", Training.Audience.MEMBERS, date(2020, 7, 14), True, self.members),
            ("市人大代表履职学习培训班（第一期）", Training.Audience.DEPUTIES, date(2020, 6, 16), True, d[0:104]),
            ("市人大代表履职学习培训班（第二期）", Training.Audience.DEPUTIES, date(2020, 7, 21), True, d[104:208]),
            ("市人大代表履职学习培训班（第三期）", Training.Audience.DEPUTIES, date(2020, 8, 18), True, d[196:300]),
            ("基层人大代表专题培训班（乌拉特前旗）", Training.Audience.DEPUTIES, date(2020, 9, 22), True, d[50:154]),
            ("新任人大代表初任培训班", Training.Audience.DEPUTIES, date(2020, 10, 27), True, d[150:254]),
            (
                "自治区人大代表履职培训班（巴彦淖尔市代表参训）",
                Training.Audience.DEPUTIES,
                date(2020, 11, 10),
                False,
                d[0:20],
            ),
        ]
        trainings = [
            (
                Training(
                    congress=city,
                    title=title + tag,
                    audience=audience,
                    start_date=start,
                    end_date=start + timedelta(days=2),
                    place="巴彦淖尔市委党校" if hosted else "呼和浩特市",
                    organizer="巴彦淖尔市人大常委会" if hosted else "内蒙古自治区人大常委会",
                    hosted=hosted,
                    created_by=self.admin,
                ),
                people,
            )
            for title, audience, start, hosted, people in plans
        ]
        registers = [
            PartyReport(
                congress=city,
                kind=PartyReport.Kind.REPORT,
                date=date(2020, n + 1, 25),
                matter=f"关于{m}的报告{tag}",
                created_by=self.admin,
            )
            for n, m in enumerate(demo.REPORTS)
        ]
        registers += [
            PartyReport(
                congress=city,
                kind=PartyReport.Kind.REQUEST,
                date=date(2020, 1 + n * 2 if n < 6 else 12, 10),
                matter=f"关于{m}的请示{tag}",
                created_by=self.admin,
            )
            for n, m in enumerate(demo.REQUESTS)
        ]
        registers += [
            PreStudy(congress=city, date=date(2020, 1 + n, 6), matter=m + tag, created_by=self.admin)
            for n, m in enumerate(demo.PRE_STUDIES)
        ]
        registers += [
            WorkRule(
                congress=city,
                title=t + tag,
                action=a,
                adopted_on=date(2020, 2 + n, 15),
                adopted_by="主任会议",
                created_by=self.admin,
            )
            for n, (t, a) in enumerate(demo.RULES)
        ]
        return studies, trainings, registers

    def add(self, copies: int, *, services: bool) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction

        from renda.party import services as party
        from renda.party.models import StudySession, Training
        from renda.workflow.models import Participation

        for _ in range(copies):
            studies, trainings, registers = self.plan(self.copies)
            with transaction.atomic():
                if services:
                    for record in studies + registers:
                        party.save_register(self.admin, record)
                    for training, people in trainings:
                        party.save_training(self.admin, training, people)
                else:
                    StudySession.objects.bulk_create(studies)
                    for model in {type(r) for r in registers}:
                        model.objects.bulk_create([r for r in registers if type(r) is model])
                    Training.objects.bulk_create([t for t, _ in trainings])  # SQLite returns the new ids
                    kind = ContentType.objects.get_for_model(Training)
                    Participation.objects.bulk_create(
                        [
                            Participation(
                                person=p,
                                capacity=Participation.Capacity.TRAINEE,
                                content_type=kind,
                                object_id=t.pk,
                                congress_id=t.congress_id,
                                on=t.start_date,
                                label=t.title,
                                url=t.get_absolute_url(),
                            )
                            for t, people in trainings
                            for p in people
                        ]
                    )
            self.copies += 1


def counts() -> dict[str, int]:
    from renda.party.models import PartyReport, PreStudy, StudySession, Training, WorkRule
    from renda.workflow.models import Participation

    return {
        "学习": StudySession.objects.count(),
        "培训": Training.objects.count(),
        "参训记录": Participation.objects.filter(capacity=Participation.Capacity.TRAINEE).count(),
        "请示报告": PartyReport.objects.count(),
        "前置研究": PreStudy.objects.count(),
        "工作制度": WorkRule.objects.count(),
    }


def timed(func, runs: int) -> tuple[float, object]:
    func()  # warm up (first queries, imports)
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    var_dir = tempfile.mkdtemp(prefix="renda-bench-")
    try:
        started = time.perf_counter()
        setup_django(var_dir)
        print(f"Renda bench: fresh SQLite database in {var_dir} (migrated in {time.perf_counter() - started:.1f} s)")
        from renda.reports import dashboard, summary
        from renda.reports.metrics import Period, Scope

        year = Year()
        rows = []
        for scale in args.scales:
            started = time.perf_counter()
            first = year.copies == 0
            if first:
                year.add(1, services=True)
            year.add(scale - year.copies, services=args.services)
            if args.services or scale == 1:
                how = "services"
            else:
                how = "services ×1 + bulk_create" if first else "bulk_create"
            built = time.perf_counter() - started

            def work():
                doc = summary.build(year.city, 2020)
                return doc, summary.to_markdown(doc)

            seconds, (doc, text) = timed(work, args.runs)
            counted = sum(int(f.value.value or 0) for f in doc.figures() if f.value.metric.kind != "ratio")
            board, _ = timed(lambda: dashboard.data(Scope(year.city, Period.year(2020))), max(1, args.runs // 2))
            rows.append((scale, counts(), counted, seconds, board, built, how))
            print(
                f"  {scale}×: built in {built:.1f} s ({how}); {counted} records counted; "
                f"summary {seconds * 1000:.1f} ms, dashboard data {board * 1000:.0f} ms"
            )
        assert "召开党组中心组学习会" in text

        base = rows[0]
        print()
        print(
            f"summary.build(city, 2020) + to_markdown, median of {args.runs} runs; "
            f"dashboard.data(city, 2020), median of {max(1, args.runs // 2)}"
        )
        header = (
            f"{'scale':>6} {'records':>9} {'counted':>9} {'summary':>11} {'ratio':>7} {'dashboard':>11} {'ratio':>7}"
        )
        print(header)
        print("-" * len(header))
        for scale, found, counted, seconds, board, _, _ in rows:
            print(
                f"{scale:>5}× {sum(found.values()):>9} {counted:>9} {seconds * 1000:>8.1f} ms "
                f"{seconds / base[3]:>6.2f}× {board * 1000:>8.0f} ms {board / base[4]:>6.2f}×"
            )
        print()
        print("records at the largest scale: " + ", ".join(f"{k} {v}" for k, v in rows[-1][1].items()))
        top = rows[-1]
        growth, cost = top[2] / base[2], top[3] / base[3]
        ok_time, ok_growth = top[3] < GOAL_SECONDS, cost <= growth
        print(
            f"goal: {top[0]}× under {GOAL_SECONDS:.0f} s: {'yes' if ok_time else 'NO'} ({top[3] * 1000:.1f} ms); "
            f"cost growing no faster than the records counted: {'yes' if ok_growth else 'NO'} "
            f"(records ×{growth:.0f}, time ×{cost:.2f})"
        )
        return 0 if ok_time and ok_growth else 1
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
