"""The demo year's appointments (seed section 四: “今年以来任免国家机关工作人员5批次61人次”, with
the law exam and the oath): five 任免案 at five of the 2020 sittings, one from each nominating
head — the mayor (sitting 19), the court's president (21), the procurator-general (22), the
supervisory commission's director (23) and the directors' meeting (25) —, 61 persons voted on
one by one and passed: 40 appointments, 21 removals, resignations accepted and a dismissal.

Everything goes through the services and `perform`: the nominating unit's account drafts the
batch and submits it with its 任免呈报表; each appointee sits the exam with their own account (three
fail and pass the retake); the staff open the votes and the members cast them on their accounts
(three absent); the 任免名单 is published on the sitting's day and the appointees swear (each
batch collectively with a 领誓人, one person of the first batch alone).

It runs after every builder (`ctx.later`): the sittings and the members' accounts come from the
supervision year; built alone (`--only appointments`) it makes them itself.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.ballots import services as ballots
from renda.core import clock
from renda.core import services as core
from renda.core.models import HandlingUnit, Role, User
from renda.demo.context import DEMO_PASSWORD
from renda.meetings import demo as meetings
from renda.workflow.calendar import add_working_days, subtract_working_days
from renda.workflow.engine import perform

from . import services
from .models import Nomination, OathTaking
from .questions import BANK

A, R, Q, D = Nomination.Kind.APPOINT, Nomination.Kind.REMOVE, Nomination.Kind.RESIGN, Nomination.Kind.DISMISS

# (sitting, nominator, unit short name, account, title, [(kind, post)]); a post "→" marks the
# same person as the nomination before (免去原职务、任命新职务: two 人次)
BATCHES = [
    (
        19,
        "mayor",
        "市政府",
        "zhengfuban",
        "市人民政府市长关于提请任免的议案",
        [
            (R, "市教育局局长"),
            (A, "→市发展和改革委员会主任"),
            (A, "市教育局局长"),
            (A, "市司法局局长"),
            (A, "市财政局局长"),
            (A, "市人力资源和社会保障局局长"),
            (A, "市自然资源局局长"),
            (A, "市生态环境局局长"),
            (A, "市住房和城乡建设局局长"),
            (A, "市交通运输局局长"),
            (A, "市水利局局长"),
            (A, "市卫生健康委员会主任"),
            (R, "市农牧局局长"),
            (A, "→市林业和草原局局长"),
            (R, "市审计局局长"),
            (R, "市文化旅游广电局局长"),
            (Q, "市人民政府副秘书长"),
            (Q, "市商务局局长"),
        ],
    ),
    (
        21,
        "court",
        "市中院",
        "fayuan",
        "市中级人民法院院长关于提请任免的议案",
        [
            (A, "市中级人民法院副院长、审判委员会委员、审判员"),
            (R, "市中级人民法院审判员"),
            (A, "→市中级人民法院民事审判第一庭庭长"),
            (A, "市中级人民法院刑事审判第一庭副庭长"),
            (A, "市中级人民法院审判员"),
            (A, "市中级人民法院审判员 "),
            (A, "市中级人民法院审判委员会委员"),
            (A, "市中级人民法院立案庭庭长"),
            (A, "市中级人民法院行政审判庭副庭长"),
            (R, "市中级人民法院执行局局长"),
            (R, "市中级人民法院审判委员会委员"),
            (Q, "市中级人民法院副院长"),
        ],
    ),
    (
        22,
        "procuratorate",
        "市检察院",
        "jianchayuan",
        "市人民检察院检察长关于提请任免的议案",
        [
            (A, "市人民检察院副检察长、检察委员会委员、检察员"),
            (A, "市人民检察院检察委员会委员"),
            (A, "市人民检察院检察员"),
            (A, "市人民检察院检察员 "),
            (A, "市人民检察院第一检察部主任"),
            (R, "市人民检察院第二检察部主任"),
            (A, "→市人民检察院第四检察部主任"),
            (A, "市人民检察院第二检察部主任"),
            (R, "市人民检察院检察委员会委员"),
            (R, "市人民检察院检察员"),
            (Q, "市人民检察院副检察长"),
        ],
    ),
    (
        23,
        "supervision",
        "市监委",
        "jianwei",
        "市监察委员会主任关于提请任免的议案",
        [
            (A, "市监察委员会副主任"),
            (A, "市监察委员会委员"),
            (A, "市监察委员会委员 "),
            (R, "市监察委员会副主任"),
            (A, "市监察委员会委员  "),
            (R, "市监察委员会委员"),
            (A, "→市监察委员会副主任 "),
            (Q, "市监察委员会委员   "),
        ],
    ),
    (
        25,
        "directors",
        None,
        "bangongshi",
        "市人大常委会主任会议关于提请任免的议案",
        [
            (A, "市人大常委会副秘书长"),
            (A, "市人大常委会办公室主任"),
            (A, "市人大常委会法制工作委员会主任"),
            (A, "市人大常委会预算工作委员会副主任"),
            (A, "市人大财政经济委员会委员"),
            (A, "市人大社会建设委员会委员"),
            (A, "市人大常委会代表工作委员会副主任"),
            (A, "市人大常委会研究室主任"),
            (R, "市人大常委会办公室主任"),
            (R, "市人大常委会研究室主任"),
            (Q, "市司法局局长"),  # appointed at sitting 19: the tenure it opened is closed
            (D, "市人大常委会代表工作委员会主任"),
        ],
    ),
]
RETAKES = {(19, 5), (21, 4), (23, 1)}  # (sitting, place): fail the first exam, pass the retake
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "志文建华明国军海平红玉丽芳伟强磊洋勇艳杰涛斌俊敏静秀英霞晓春秋雪梅兰凤德福宏宇鹏飞云峰林波东辉刚燕琳慧婷颖佳嘉瑞祥瑜"
FILE = "任免呈报表：{title}\n拟任免人员：{names}\n"
STATEMENT = "感谢组织的信任。如获任命，我将忠于宪法、依法履职，自觉接受人大监督和人民监督，恪尽职守、廉洁奉公。"


def _at(day: date, minutes: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0))) + timedelta(minutes=minutes)


def _names(n: int) -> list[str]:
    rng = random.Random(2013)
    seen, out = set(), []
    while len(out) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def build(ctx) -> None:
    ctx.later.append(lambda: _build(ctx))


def _sittings(ctx, city, term, members):
    if "sittings" in ctx.refs:
        return ctx.refs["sittings"]
    from renda.supervision import demo as supervision

    units = {u.short_name: u for u in HandlingUnit.objects.filter(congress=city)}
    supervision._accounts(ctx, city, units, members)  # every member votes: each needs an account
    return {n: core.create_committee_meeting(ctx.admin, term, n, day) for n, day in supervision.SITTINGS.items()}


def _build(ctx) -> None:
    city, term, admin = ctx.refs["city"], ctx.refs["term"], ctx.admin
    sittings = _sittings(ctx, city, term, ctx.refs["members"])
    units = {u.short_name: u for u in HandlingUnit.objects.filter(congress=city)}
    staff = User.objects.get(username="bangongshi")
    password_hash = make_password(DEMO_PASSWORD)
    for username, short in (("fayuan", "市中院"), ("jianchayuan", "市检察院"), ("jianwei", "市监委")):
        if not User.objects.filter(username=username).exists():
            core.create_account(
                admin,
                username=username,
                password_hash=password_hash,
                display_name=f"{short}联络员",
                roles=[dict(role=Role.UNIT, congress=city, handling_unit=units[short])],
            )
            ctx.account(username, f"提请任免机关工作人员（{units[short].name}）")
    shuffler = random.Random(41)
    with clock.dated(clock.on(date(2020, 1, 6))):
        for category, stem, options, answers in BANK:
            order = list(range(len(options)))
            shuffler.shuffle(order)  # the right answer is not always the first
            services.add_question(
                staff,
                city,
                category=category,
                stem=stem,
                options=[options[i] for i in order],
                answers=[order.index(a) for a in answers],
            )

    names = iter(_names(sum(len(b[5]) for b in BATCHES)))
    rng = random.Random(2020)
    by_post = {}  # the appointee of a post earlier in the year (a later resignation names them)
    nominees = 0
    for number, nominator, short, username, title, people in BATCHES:
        sitting = sittings[number]
        day = sitting.start_date
        drafted = subtract_working_days(day, 12)
        by = User.objects.get(username=username)
        earlier = dict(by_post)
        with clock.dated(clock.on(subtract_working_days(drafted, 1))):
            batch = services.create_batch(
                by, congress=city, title=title, nominator=nominator, unit=units[short] if short else None
            )
            previous = None
            for kind, post in people:
                previous = _nominate(admin, by, batch, kind, post, previous, earlier, by_post, names, rng)
        perform(batch, "schedule", staff, {"sitting": sitting.pk}, today=drafted)
        roster = "、".join(n.person.name for n in batch.nominations.select_related("person"))
        files = [SimpleUploadedFile(f"{title}.txt", FILE.format(title=title, names=roster).encode("utf-8"))]
        submitted = add_working_days(drafted, 2)
        perform(batch, "submit", by, {}, {"files": files}, today=submitted)
        nominees += _exams(admin, batch, number, add_working_days(submitted, 1), password_hash)
        perform(batch, "examine", staff, {}, today=subtract_working_days(day, 2))
        _votes(batch, staff, sitting, rng)
        perform(batch, "notify", staff, {}, at=_at(day, 8 * 60))
        with clock.dated(_at(day, 8 * 60 + 30)):
            _oaths(batch, staff, day, number)
        perform(batch, "swear", staff, {}, at=_at(day, 9 * 60))
    ctx.account("nm01…", f"任免人员（{nominees}个账号，任前法律知识考试；无其他权限）")


def _nominate(admin, by, batch, kind, post, previous, earlier, by_post, names, rng):
    """One nomination: a new person, or the one before (“→”: removed from one post and appointed
    to another), or for a removal or resignation the one appointed to the post earlier in the year."""
    post = post.rstrip()
    if post.startswith("→"):
        person, post = previous, post[1:]
    elif kind != A and post in earlier:
        person = earlier[post]
    else:
        person = core.create_person(admin, name=next(names), gender=rng.choice("MMF"), party="中共党员")
    letter = f"辞职报告：本人因工作变动，请求辞去{post}职务。"
    services.add_nomination(
        by,
        batch,
        person=person,
        post=post,
        kind=kind,
        form_text=letter if kind == Q else f"{person.name}，拟{'任' if kind == A else '免'}{post}。",
        statement=STATEMENT if kind == A else "",
    )
    if kind == A:
        by_post[post] = person
    return person


def _exams(admin, batch, number, day, password_hash) -> int:
    """Each appointee signs in and sits the exam: mostly right (a wrong answer or two), three
    fail the first time and pass the retake the next day."""
    made = 0
    for place, n in enumerate(batch.nominations.filter(exam_required=True).select_related("person"), start=1):
        user = User.objects.filter(person=n.person).first()
        if user is None:
            made += 1
            user = core.create_account(
                admin,
                username=f"nm{number}{place:02d}",
                password_hash=password_hash,
                display_name=n.person.name,
                person=n.person,
            )
        tries = (False, True) if (number, place) in RETAKES else (True,)
        for attempt, good in enumerate(tries):
            start = _at(add_working_days(day, attempt), 30 * place)
            exam = services.start_exam(user, n, now=start)
            answers = {}
            for i, q in enumerate(services.questions_of(exam)):
                right = i % 9 != 4 if good else i % 2 == 0
                wrong = [i for i in range(len(q.options)) if i not in q.answers][:1]
                answers[str(q.pk)] = q.answers if right else wrong
            services.submit_exam(user, exam, answers, now=start + timedelta(minutes=35))
    return made


def _votes(batch, staff, sitting, rng):
    """The chair opens the votes from the console one person at a time; the members present at
    the sitting vote on their own accounts; each result is announced on the spot."""
    day = sitting.start_date
    agenda = meetings.vote_at_sitting(sitting, batch, "open_votes", staff, at=_at(day, 60))
    queue = services.vote_order(batch.nominations.select_related("person", "ballot"))
    for i, n in enumerate(queue):
        ballot = n.ballot
        ballot.refresh_from_db()
        options = {o.label: o for o in ballot.options.all()}
        present = meetings.present_voters(ballot)
        with clock.dated(_at(day, 60 + 3 * i) + timedelta(seconds=20)):
            for j, voter in enumerate(present):
                label = "赞成" if j < len(present) - 2 else ("弃权" if j % 2 else "反对")
                ballots.cast(ballot, voter.user, [options[label]], idempotency_key=f"demo-{ballot.pk}-{voter.pk}")
        meetings.close_at_sitting(agenda, staff, at=_at(day, 62 + 3 * i))


def _oaths(batch, staff, day, number):
    swearers = list(services.to_swear(batch).select_related("person"))
    alone = swearers[:1] if number == 19 else []
    together = swearers[len(alone) :]
    if together:
        services.record_oath(
            staff,
            batch,
            on=day,
            mode=OathTaking.Mode.COLLECTIVE,
            nominations=together,
            administered_by="市人大常委会主任",
            leader=together[0].person,
        )
    for n in alone:
        services.record_oath(
            staff, batch, on=day, mode=OathTaking.Mode.INDIVIDUAL, nominations=[n], administered_by="市人大常委会主任"
        )
