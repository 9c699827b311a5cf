"""The demo year's report-backs (述职, 2020): about a quarter of the city's serving deputies
report to their electoral unit (the county's standing committee that elected them, named by
their delegation) between April and November, the attendees evaluate each on their phones,
and a few more are scheduled for December and not yet held (the committee's "not yet
reported" page lists them as 已安排) — all through the services the pages call."""

from __future__ import annotations

import random
from datetime import date, timedelta

from renda.core import clock
from renda.core.models import Deputy

from . import reportback as services

SEED = "renda-demo-reportback"
YEAR = 2020
SHARE_HELD = 0.25  # of the city's serving deputies, held in 2020 (once a term: the term runs 2017–2021)
SCHEDULED_LATER = 8  # scheduled for December, not yet held
PHONE_ANSWERS = 1  # per report-back through the public form; the rest on paper (bulk: the demo stays fast)
RATINGS = ["satisfied"] * 72 + ["basic"] * 24 + ["dissatisfied"] * 4
COMMENTS = (
    "希望多到村里听听群众意见。",
    "报告实在，建议的事项要跟踪落实。",
    "对灌区节水改造的建议很有针对性。",
    "希望下次述职提前公布时间地点。",
    "",
)
TOPICS = (
    "提出代表建议{n}件，其中关于农村饮水安全的建议已由市水利局办理并答复。",
    "参加市人大常委会组织的执法检查和专题调研{n}次。",
    "在代表联络站接待群众{n}次，反映的问题均已转交有关部门。",
)


def _unit(deputy: Deputy) -> str:
    if deputy.delegation_id and deputy.delegation.name.endswith("代表团"):
        return deputy.delegation.name[: -len("代表团")] + "人大常委会"
    return f"{deputy.congress.region}人大代表的原选举单位"


def _report(rng, deputy: Deputy) -> str:
    lines = [
        f"各位代表、同志们：\n{deputy.person.name}自当选{deputy.congress.region}人大代表以来，现将履职情况报告如下。"
    ]
    lines += [t.format(n=rng.randint(2, 9)) for t in TOPICS]
    lines.append("今后，本人将继续密切联系群众，认真履行代表职责，自觉接受原选举单位和人民群众的监督。")
    return "\n".join(lines)


def build(ctx) -> None:
    city = ctx.refs.get("city")
    if city is None:
        return
    rng = random.Random(SEED)
    serving = list(
        Deputy.objects.filter(congress=city, status=Deputy.Status.SERVING)
        .select_related("person", "congress", "delegation", "term", "constituency")
        .order_by("pk")
    )
    if not serving:
        return
    chosen = rng.sample(serving, min(len(serving), round(len(serving) * SHARE_HELD) + SCHEDULED_LATER))
    held, later = chosen[SCHEDULED_LATER:], chosen[:SCHEDULED_LATER]
    for deputy in held:
        day = date(YEAR, 4, 1) + timedelta(days=rng.randint(0, 240))
        unit = _unit(deputy)
        with clock.dated(clock.on(day - timedelta(days=14))):
            rb = services.schedule(
                ctx.admin, deputy, scheduled_on=day, unit_name=unit, place=unit.replace("常委会", "") + "会议室"
            )
        attendees = rng.randint(18, 45)
        with clock.dated(clock.on(day)):
            services.record_held(ctx.admin, rb, held_on=day, report=_report(rng, deputy), attendees=attendees)
            services.open_evaluation(ctx.admin, rb)
            # most attendees answer: a few on their phones (the public form's path), the rest
            # on the paper forms the staff enter in one go
            answers = [
                {"rating": rng.choice(RATINGS), "comment": rng.choice(COMMENTS) if n % 6 == 0 else ""}
                for n in range(int(attendees * rng.uniform(0.6, 0.9)))
            ]
            for n, data in enumerate(answers[:PHONE_ANSWERS]):
                services.evaluate(rb, data, device=f"demo-{rb.pk}-{n}")
            if answers[PHONE_ANSWERS:]:
                services.record_paper_evaluations(ctx.admin, rb, answers[PHONE_ANSWERS:])
            services.close_evaluation(ctx.admin, rb)
    for deputy in later:
        day = date(YEAR, 12, rng.randint(10, 28))
        unit = _unit(deputy)
        with clock.dated(clock.on(date(YEAR, 11, 30))):
            services.schedule(
                ctx.admin, deputy, scheduled_on=day, unit_name=unit, place=unit.replace("常委会", "") + "会议室"
            )
