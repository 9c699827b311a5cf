"""The demo year's supervision (seed section 三): the 2020 plan adopted by a directors' meeting
and published; the government's four work reports and the procuratorate's; the inspection of
the 传染病防治法; the investigations, the 天赋河套 collective inspection and the two follow-ups;
the inquiries on air pollution and on the rectification of audit findings; four items put to a
satisfaction vote (the state-assets report fails, is reported again and passes: five votes on
four items); problem lists on the inspection and the air-pollution inquiry.

Everything goes through the services and `perform(..., today=)`, on working days of the
workflow calendar; the votes are cast by the members' own accounts; invited deputies join the
teams (Participation 代表, counted by the deputies' archive: 150余人次 in the seed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.ballots import services as ballots
from renda.core import clock
from renda.core import services as core
from renda.core.models import HandlingUnit, Role, User
from renda.demo.context import DEMO_PASSWORD
from renda.meetings import demo as meetings
from renda.workflow.calendar import add_working_days, is_workday, next_workday, subtract_working_days
from renda.workflow.engine import perform
from renda.workflow.links import link
from renda.workflow.models import Link

from . import effects, services
from .models import Activity, Investigation, WorkReport

# 4th term's sittings of 2020 (常委会第十九至二十五次会议) and the directors' meetings before them
SITTINGS = {
    19: date(2020, 3, 27),
    20: date(2020, 4, 28),
    21: date(2020, 6, 29),
    22: date(2020, 8, 27),
    23: date(2020, 10, 29),
    24: date(2020, 11, 26),
    25: date(2020, 12, 24),
}
PLAN_MEETING = 38  # 主任会议第三十八次会议 adopts the plan


def wd(day: date) -> date:
    return day if is_workday(day) else next_workday(day)


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


@dataclass
class Demo:
    ctx: object
    city: object
    staff: User
    director: User
    government: User
    units: dict
    bodies: dict
    sittings: dict
    members: list
    deputies: list
    used_deputies: set = field(default_factory=set)

    # ------------------------------------------------------------ helpers

    def item(self, plan, case_kind, title, body, unit, *, organ="市政府", **fields):
        return services.add_item(
            self.staff,
            plan,
            case_kind,
            title=title,
            body=self.bodies[body],
            organ=self.units[organ],
            unit=self.units[unit] if unit else None,
            on=date(2020, 1, 8),
            **fields,
        )

    def speeches(self, item, day, points: list[str], sitting=None):
        speakers = self.ctx.rng.sample(self.members[1:], len(points))
        for member, point in zip(speakers, points, strict=True):
            services.record_speech(self.staff, item, member.person, point, sitting=sitting, on=day)

    def team(self, size: int, deputies: int, leaders: bool = False):
        members = self.members[:8] if leaders else self.ctx.rng.sample(self.members[1:], size)
        # invited deputies: mostly ones not yet invited this year, so that the person-times spread
        fresh = [d for d in self.deputies if d.pk not in self.used_deputies]
        chosen = self.ctx.rng.sample(fresh if len(fresh) >= deputies else self.deputies, deputies)
        self.used_deputies.update(d.pk for d in chosen)
        return {"team": [m.pk for m in members], "deputies": [d.pk for d in chosen]}

    def vote(self, item, day, satisfied: float, basic: float):
        """The members vote on `item` (open on `day`, close the same day): shares of 满意 and
        基本满意 among the members present at the sitting (from the chair's console)."""
        sitting = next(s for s in self.sittings.values() if s.start_date == day)
        agenda = meetings.vote_at_sitting(sitting, item, "open_vote", self.staff)
        ballot = effects.open_ballot_of(item)
        options = {o.label: o for o in ballot.options.all()}
        voters = meetings.present_voters(ballot)
        self.ctx.rng.shuffle(voters)
        n = len(voters)
        cut1, cut2 = round(n * satisfied), round(n * (satisfied + basic))
        with clock.dated(ballot.opened_at + timedelta(seconds=20)):
            for i, voter in enumerate(voters):
                label = "满意" if i < cut1 else "基本满意" if i < cut2 else "不满意"
                ballots.cast(ballot, voter.user, [options[label]], idempotency_key=f"demo-{ballot.pk}-{voter.pk}")
        meetings.close_at_sitting(agenda, self.staff)

    def fieldwork(self, item, start, activities, team, report_on, report_text):
        perform(
            item,
            "start",
            self.staff,
            team,
            {"files": [upload(f"{item.title}工作方案.txt", f"{item.title}工作方案。\n{item.summary}")]},
            today=start,
        )
        for kind, offset, place, note in activities:
            services.record_activity(self.staff, item, kind, wd(add_working_days(start, offset)), place, note)
        perform(
            item, "report", self.staff, {}, {"files": [upload(f"{item.title}报告.txt", report_text)]}, today=report_on
        )

    def respond(self, item, day, text, user=None):
        perform(
            item,
            "respond",
            user or self.government,
            {"response": text, "signed_by": "市人民政府副市长 刘志远" if user is None else "检察长 乔建军"},
            {"files": [upload(f"关于{item.title}审议意见研究处理情况的报告.txt", text)]},
            today=day,
        )

    def work_report(self, item, *, draft_on, report_on, sitting: int, user=None, text=""):
        perform(item, "schedule", self.staff, {"sitting": self.sittings[sitting].pk}, today=date(2020, 1, 20))
        organ = user or self.government
        perform(item, "submit_draft", organ, {}, {"files": [upload(f"{item.title}（初稿）.txt", text)]}, today=draft_on)
        perform(
            item,
            "comment_draft",
            self.staff,
            {"note": "请补充主要问题和下一步措施的具体内容，数据请截至上月底。"},
            today=add_working_days(draft_on, 2),
        )
        perform(item, "submit_report", organ, {}, {"files": [upload(f"{item.title}.txt", text)]}, today=report_on)
        perform(item, "distribute", self.staff, {}, today=add_working_days(report_on, 1))
        meetings.act_at_sitting(self.sittings[sitting], item, "deliberate", self.staff)


def _accounts(ctx, city, units, members):
    """Accounts for the members who have none (every member votes), and for the organs and
    departments that answer in the demo."""
    password_hash = make_password(DEMO_PASSWORD)
    have = set(User.objects.filter(person__in=[m.person for m in members]).values_list("person_id", flat=True))
    made = []
    for n, member in enumerate(members, start=1):
        if member.person_id in have:
            continue
        core.create_account(
            ctx.admin,
            username=f"wy{n:02d}",
            password_hash=password_hash,
            display_name=member.person.name,
            person=member.person,
            roles=[dict(role=Role.MEMBER, congress=city)],
        )
        made.append(f"wy{n:02d}")
    if made:  # numbered by the member's place in the committee: those who had an account are skipped
        ctx.account(f"{made[0]}…{made[-1]}", f"其余常委会组成人员（{len(made)}个账号，满意度测评投票）")
    for username, short in (("jianchayuan", "市检察院"), ("shengtaihuanjing", "市生态环境局")):
        unit = units[short]
        core.create_account(
            ctx.admin,
            username=username,
            password_hash=password_hash,
            display_name=f"{short}联络员",
            roles=[dict(role=Role.UNIT, congress=city, handling_unit=unit)],
        )
        ctx.account(username, f"被监督机关、责任单位工作人员（{unit.name}）")


def build(ctx) -> None:
    city, term = ctx.refs["city"], ctx.refs["term"]
    admin = ctx.admin
    units = {u.short_name: u for u in HandlingUnit.objects.filter(congress=city)}
    members = ctx.refs["members"]
    _accounts(ctx, city, units, members)

    sittings = {n: core.create_committee_meeting(admin, term, n, day, day) for n, day in SITTINGS.items()}
    meetings = {
        PLAN_MEETING: core.create_committee_meeting(
            admin, term, PLAN_MEETING, date(2020, 1, 14), kind="directors_meeting"
        )
    }
    for n, day in enumerate(SITTINGS.values(), start=PLAN_MEETING + 1):
        meetings[n] = core.create_committee_meeting(
            admin, term, n, subtract_working_days(day, 5), kind="directors_meeting"
        )
    ctx.refs["sittings"] = sittings

    d = Demo(
        ctx=ctx,
        city=city,
        staff=User.objects.get(username="bangongshi"),
        director=User.objects.get(username="zhuren"),
        government=User.objects.get(username="zhengfuban"),
        units=units,
        bodies=ctx.refs["bodies"],
        sittings=sittings,
        members=members,
        deputies=[x for x in ctx.refs["deputies"] if x.term_id == term.pk],
    )

    # ------------------------------------------------------------ the plan (SUP-1)
    plan = services.create_plan(
        d.staff,
        city,
        2020,
        title="巴彦淖尔市人大常委会2020年度监督工作计划",
        text="紧扣中央重大决策部署和市委工作部署、法律法规的实施和人民群众重大关切，"
        "安排听取审议专项工作报告5项、执法检查1项、专题询问2项、专题调研和视察等10项。",
        on=date(2020, 1, 6),
    )
    reports, inspection, inquiries, invs = _items(d, plan)
    perform(plan, "adopt", d.director, {"meeting": meetings[PLAN_MEETING].pk}, today=date(2020, 1, 14))
    perform(plan, "publish", d.staff, {}, today=date(2020, 1, 17))

    _reports(d, reports)
    _inspection(d, inspection, invs["wildlife"])
    _investigations(d, invs)
    _inquiries(d, inquiries)
    _experts(d, reports, inspection, inquiries, invs)


def _items(d: Demo, plan):
    K = WorkReport.Kind
    reports = {
        "assets": d.item(
            plan,
            "work_report",
            "市人民政府关于2019年度企业国有资产管理情况的专项工作报告",
            "财经委",
            "市国资委",
            kind=K.STATE_ASSETS,
            satisfaction_vote=True,
            summary="国有企业资产总额、负债、经营效益，国有资本布局优化和国企改革三年行动。",
        ),
        "environment": d.item(
            plan,
            "work_report",
            "市人民政府关于2019年度全市环境状况和环境保护目标完成情况的报告",
            "城建环资工委",
            "市生态环境局",
            kind=K.ENVIRONMENT,
            deliberate_response=True,
            summary="乌梁素海流域综合治理、大气和水环境质量、中央环保督察反馈问题整改。",
        ),
        "poverty": d.item(
            plan,
            "work_report",
            "市人民政府关于脱贫攻坚工作情况的专项工作报告",
            "农牧工委",
            "市扶贫办",
            satisfaction_vote=True,
            summary="剩余贫困人口清零、“两不愁三保障”、防止返贫监测和产业扶贫。",
        ),
        "rule_of_law": d.item(
            plan,
            "work_report",
            "市人民政府关于法治政府建设情况的专项工作报告",
            "法工委",
            "市司法局",
            summary="重大行政决策程序、行政执法“三项制度”、行政复议和行政应诉。",
        ),
        "minors": d.item(
            plan,
            "work_report",
            "市人民检察院关于未成年人检察工作情况的报告",
            "监司工委",
            None,
            organ="市检察院",
            satisfaction_vote=True,
            summary="涉未成年人案件办理、强制报告制度、校园周边环境治理和法治进校园。",
        ),
    }
    inspection = d.item(
        plan,
        "law_inspection",
        "《中华人民共和国传染病防治法》执法检查",
        "教科文卫工委",
        "市卫健委",
        law_title="中华人民共和国传染病防治法",
        key_item=True,
        deliberate_response=True,
        summary="疫情防控体系、疾病预防控制机构能力、医疗救治、传染病疫情报告和公布、医疗废物处置。",
    )
    IK = Investigation.Kind
    rows = [
        (
            "wildlife",
            "贯彻落实全国人大常委会全面禁止非法野生动物交易决定情况专题调研",
            "城建环资工委",
            "市林草局",
            IK.INVESTIGATION,
        ),
        ("ethnic", "《城市民族工作条例》执法调研", "民宗外侨工委", "市民委", IK.LAW_INVESTIGATION),
        ("gangs", "全市“扫黑除恶”专项斗争情况专题调研", "监司工委", "市公安局", IK.INVESTIGATION),
        ("four_controls", "农业“四控”行动落实情况专题调研", "农牧工委", "市农牧局", IK.INVESTIGATION),
        ("herders_health", "农牧民健康管理工作情况专题调研", "教科文卫工委", "市卫健委", IK.INVESTIGATION),
        ("court_enforcement", "市中级人民法院执行工作情况专题调研", "监司工委", None, IK.INVESTIGATION),
        ("disabled", "残疾人社会保障工作情况专题调研", "社会建设工委", "市民政局", IK.INVESTIGATION),
        ("hetao", "“天赋河套”农产品区域公用品牌建设情况主任集体视察", "农牧工委", "市农牧局", IK.COLLECTIVE_INSPECTION),
        ("education", "义务教育均衡发展问题整改情况跟踪监督", "教科文卫工委", "市教育局", IK.FOLLOW_UP),
        ("border", "“兴边富民行动”审议意见落实情况跟踪监督", "民宗外侨工委", "市民委", IK.FOLLOW_UP),
    ]
    invs = {
        key: d.item(
            plan,
            "investigation",
            title,
            body,
            unit,
            organ="市中院" if key == "court_enforcement" else "市政府",
            kind=kind,
        )
        for key, title, body, unit, kind in rows
    }
    inquiries = {
        "air": d.item(
            plan,
            "inquiry",
            "关于市人民政府大气污染防治工作情况的专题询问",
            "城建环资工委",
            "市生态环境局",
            key_item=True,
            satisfaction_vote=True,
            summary="结合听取审议大气污染防治工作情况报告，就燃煤散烧、工业排放、扬尘和秸秆焚烧治理开展专题询问。",
        ),
        "audit": d.item(
            plan,
            "inquiry",
            "关于市人民政府审计查出问题整改情况的专题询问",
            "预算工委",
            "市审计局",
            summary="结合审议2019年度市本级预算执行和其他财政收支审计查出问题整改情况，开展专题询问。",
        ),
    }
    return reports, inspection, inquiries, invs


def report_text(item) -> str:
    return (
        f"{item.title}\n\n"
        f"一、基本情况\n{item.summary or '围绕年度目标任务，扎实推进各项工作。'}\n\n"
        "二、主要工作和成效\n健全工作机制，压实部门责任，重点任务按计划推进。\n\n"
        "三、存在的问题\n基层力量薄弱，部分任务进度滞后，长效机制有待健全。\n\n"
        "四、下一步工作\n聚焦短板弱项，细化整改措施，明确责任单位和完成时限。\n"
    )


def _before(sitting: date, n: int) -> date:
    return subtract_working_days(sitting, n)


SPEECHES = {
    "assets": [
        "国有企业负债率偏高，部分企业连续亏损，建议加快低效无效资产处置，防范债务风险。",
        "报告对国有资本布局优化讲得不够具体，建议明确重点行业和退出领域的时间表。",
        "建议健全国有资产管理情况报告制度，完善企业国有资产统计口径，做到应报尽报。",
    ],
    "environment": [
        "乌梁素海综合治理取得阶段性成效，但农业面源污染仍然突出，建议加大化肥农药减量力度。",
        "冬季采暖期城区空气质量优良天数下降，建议加快清洁取暖改造。",
        "中央环保督察反馈问题整改要建立台账、逐项销号，防止问题反弹。",
    ],
    "poverty": [
        "脱贫攻坚成效明显，建议把防止返贫动态监测和帮扶机制作为下一步重点。",
        "部分扶贫产业同质化明显、抗风险能力弱，建议强化龙头企业带动和利益联结。",
        "易地扶贫搬迁后续扶持要跟上，做到搬得出、稳得住、能致富。",
    ],
    "rule_of_law": [
        "重大行政决策合法性审查还存在走过场的现象，建议严格执行重大行政决策程序规定。",
        "基层综合行政执法人员法律素养有待提高，建议加强培训和执法监督。",
        "行政机关负责人出庭应诉率仍需提高，建议纳入法治政府建设考核。",
    ],
    "minors": [
        "强制报告制度落实还不到位，建议会同教育、卫健部门加强宣传和督促。",
        "建议加强未成年人司法保护与家庭保护、学校保护的衔接，形成工作合力。",
        "校园周边环境治理要常抓不懈，建议开展专项检查。",
    ],
    "inspection": [
        "旗县区疾控机构实验室检测能力不足，建议加大投入，尽快补齐短板。",
        "基层医疗卫生机构发热诊室设置不规范，预检分诊制度落实不严格。",
        "传染病疫情报告存在迟报漏报，建议强化信息化监测预警。",
        "医疗废物收运处置体系不健全，旗县区存在处置能力缺口。",
        "建议把传染病防治法宣传纳入普法规划，提高全社会依法防控意识。",
    ],
}


def _reports(d: Demo, reports):
    # 企业国有资产管理: the vote fails, the government reports again and the second vote passes
    item = reports["assets"]
    d.work_report(
        item, draft_on=_before(SITTINGS[21], 17), report_on=_before(SITTINGS[21], 9), sitting=21, text=report_text(item)
    )
    d.speeches(item, SITTINGS[21], SPEECHES["assets"])
    perform(item, "circulate", d.staff, {}, today=SITTINGS[21])
    d.vote(item, SITTINGS[21], satisfied=0.25, basic=0.2)
    d.respond(
        item,
        wd(date(2020, 8, 14)),
        "市政府针对测评中反映的问题，制定国有企业降杠杆减负债工作方案，处置低效无效资产12宗，"
        "完善国有资产统计报告制度，现重新报告如下。",
    )
    perform(item, "publish", d.staff, {}, today=wd(date(2020, 8, 17)))
    d.vote(item, SITTINGS[22], satisfied=0.55, basic=0.35)

    # 环境状况: opinions, response deliberated at a later sitting, concluded and published
    item = reports["environment"]
    d.work_report(
        item,
        draft_on=_before(SITTINGS[21], 18),
        report_on=_before(SITTINGS[21], 10),
        sitting=21,
        text=report_text(item),
    )
    d.speeches(item, SITTINGS[21], SPEECHES["environment"])
    perform(item, "circulate", d.staff, {}, today=wd(date(2020, 7, 2)))
    perform(
        item, "send_opinions", d.staff, {"opinions": _opinions(SPEECHES["environment"])}, today=wd(date(2020, 7, 17))
    )
    d.respond(
        item,
        wd(date(2020, 10, 16)),
        "已制定乌梁素海流域农业面源污染治理方案，推进城区清洁取暖改造，督察反馈问题实行台账管理。",
    )
    meetings.act_at_sitting(d.sittings[23], item, "deliberate_response", d.staff, {"sitting": d.sittings[23].pk})
    perform(item, "conclude", d.staff, {"publish": True}, today=wd(date(2020, 11, 6)))

    # 脱贫攻坚: a vote on the report that passes, then the opinions and the response
    item = reports["poverty"]
    d.work_report(
        item, draft_on=_before(SITTINGS[22], 17), report_on=_before(SITTINGS[22], 9), sitting=22, text=report_text(item)
    )
    d.speeches(item, SITTINGS[22], SPEECHES["poverty"])
    perform(item, "circulate", d.staff, {}, today=SITTINGS[22])
    d.vote(item, SITTINGS[22], satisfied=0.62, basic=0.3)
    perform(item, "send_opinions", d.staff, {"opinions": _opinions(SPEECHES["poverty"])}, today=wd(date(2020, 9, 11)))
    d.respond(
        item,
        wd(date(2020, 12, 4)),
        "建立防止返贫动态监测和帮扶机制，扶贫产业项目实行龙头企业带动，搬迁群众后续扶持措施逐户落实。",
    )
    perform(item, "conclude", d.staff, {"publish": True}, today=wd(date(2020, 12, 11)))

    # 法治政府建设: heard in November; the response is due in 2021
    item = reports["rule_of_law"]
    d.work_report(
        item, draft_on=_before(SITTINGS[24], 17), report_on=_before(SITTINGS[24], 9), sitting=24, text=report_text(item)
    )
    d.speeches(item, SITTINGS[24], SPEECHES["rule_of_law"])
    perform(item, "circulate", d.staff, {}, today=wd(date(2020, 12, 1)))
    perform(
        item, "send_opinions", d.staff, {"opinions": _opinions(SPEECHES["rule_of_law"])}, today=wd(date(2020, 12, 11))
    )
    perform(item, "publish", d.staff, {}, today=wd(date(2020, 12, 14)))

    # 未成年人检察工作: the procuratorate reports; satisfied vote; answered early
    item = reports["minors"]
    prosecutor = User.objects.get(username="jianchayuan")
    d.work_report(
        item,
        draft_on=_before(SITTINGS[23], 17),
        report_on=_before(SITTINGS[23], 9),
        sitting=23,
        user=prosecutor,
        text=report_text(item),
    )
    d.speeches(item, SITTINGS[23], SPEECHES["minors"])
    perform(item, "circulate", d.staff, {}, today=SITTINGS[23])
    d.vote(item, SITTINGS[23], satisfied=0.7, basic=0.25)
    perform(item, "send_opinions", d.staff, {"opinions": _opinions(SPEECHES["minors"])}, today=wd(date(2020, 11, 13)))
    d.respond(
        item,
        wd(date(2020, 12, 18)),
        "会同教育、卫健部门建立强制报告联席机制，开展校园周边环境专项检查。",
        user=prosecutor,
    )
    perform(item, "conclude", d.staff, {"publish": True}, today=SITTINGS[25])


def _opinions(points: list[str]) -> str:
    numbers = "一二三四五六七八九十"
    return "\n".join(f"{numbers[i]}、{p}" for i, p in enumerate(points))


A = Activity.Kind


def _inspection(d: Demo, inspection, wildlife):
    start = wd(date(2020, 6, 15))
    d.fieldwork(
        inspection,
        start,
        [
            (A.MEETING, 1, "市卫生健康委员会", "听取市政府及卫健、疾控、市场监管等部门汇报。"),
            (A.SITE_VISIT, 2, "临河区疾病预防控制中心", "检查实验室检测能力和应急物资储备。"),
            (A.SITE_VISIT, 3, "五原县人民医院", "检查发热门诊设置和预检分诊。"),
            (A.QUESTIONNAIRE, 4, "全市", "面向医务人员和群众发放问卷1260份。"),
            (A.UNANNOUNCED, 6, "乌拉特前旗部分苏木镇卫生院", "暗访发热诊室（哨点）运行情况。"),
            (A.THIRD_PARTY, 15, "河套学院", "委托第三方评估全市传染病防治法实施情况。"),
        ],
        d.team(10, 24),
        wd(date(2020, 8, 7)),
        "关于检查《中华人民共和国传染病防治法》实施情况的报告\n\n一、法律实施的基本情况\n二、存在的主要问题\n三、意见和建议\n",
    )
    link(wildlife, inspection, Link.Kind.CONCERNS, d.staff, note="执法检查与野生动物决定专题调研同步开展")
    perform(inspection, "submit_to_sitting", d.staff, {"sitting": d.sittings[22].pk}, today=wd(date(2020, 8, 10)))
    meetings.act_at_sitting(d.sittings[22], inspection, "deliberate", d.staff)
    d.speeches(inspection, SITTINGS[22], SPEECHES["inspection"])
    perform(inspection, "circulate", d.staff, {}, today=wd(date(2020, 8, 31)))
    perform(
        inspection,
        "send_opinions",
        d.staff,
        {"opinions": _opinions(SPEECHES["inspection"])},
        today=wd(date(2020, 9, 11)),
    )
    _problems(
        d,
        inspection,
        wd(date(2020, 9, 14)),
        [
            (
                "旗县区疾病预防控制中心实验室检测能力不足",
                "市卫健委",
                date(2020, 11, 30),
                "为7个旗县区疾控中心配齐核酸检测设备，开展人员培训。",
                [
                    ("sign", 9, 16),
                    ("progress", 10, 20, "已为5个旗县区疾控中心配齐设备。"),
                    ("close", 11, 20),
                    ("accept", 11, 25),
                ],
            ),
            (
                "部分基层医疗卫生机构发热诊室（哨点）设置不规范",
                "市卫健委",
                date(2020, 12, 31),
                "按标准改造苏木乡镇卫生院发热诊室，严格预检分诊。",
                [
                    ("sign", 9, 16),
                    ("progress", 10, 28, "已完成38个发热哨点改造。"),
                    ("close", 12, 15),
                    ("return", 12, 17, "佐证材料缺少验收记录，请补充后再申请销号。"),
                    ("close", 12, 25),
                    ("accept", 12, 29),
                ],
            ),
            (
                "传染病疫情网络直报不及时、漏报现象仍有发生",
                "市卫健委",
                date(2020, 10, 30),
                "开展疫情报告质量专项督导，落实首诊医生报告责任。",
                [("sign", 9, 16), ("progress", 10, 23, "专项督导已完成4个旗县区，其余正在推进。")],
            ),
            (
                "医疗废物集中处置能力不足，旗县区收运体系不健全",
                "市生态环境局",
                date(2020, 12, 15),
                "建设旗县区医疗废物暂存点，实行统一收运。",
                [("sign", 9, 17), ("close", 12, 8), ("accept", 12, 11)],
            ),
            (
                "学校传染病防控制度落实不到位，晨午检和因病缺勤追踪登记不规范",
                "市教育局",
                date(2020, 12, 31),
                "修订学校传染病防控工作制度，开展专项检查。",
                [("sign", 9, 16), ("close", 12, 18), ("accept", 12, 22)],
            ),
            (
                "基层公共卫生专业技术人员不足、流失较多",
                "市卫健委",
                date(2021, 6, 30),
                "落实基层卫生人才招聘和待遇保障政策。",
                [("sign", 9, 16), ("progress", 12, 10, "已招聘基层公共卫生人员46名。")],
            ),
        ],
    )
    d.respond(
        inspection,
        wd(date(2020, 11, 20)),
        "市政府逐条研究执法检查报告和审议意见，制定整改方案，问题清单所列问题限时销号。",
    )
    meetings.act_at_sitting(d.sittings[24], inspection, "deliberate_response", d.staff, {"sitting": d.sittings[24].pk})
    perform(inspection, "publish", d.staff, {}, today=wd(date(2020, 11, 30)))


UNIT_USERS = {
    "市卫健委": "weijianwei",
    "市生态环境局": "shengtaihuanjing",
    "市教育局": "jiaoyuju",
    "市住建局": "zhujianju",
}


def _problems(d: Demo, source, listed_on, rows):
    """A problem list on `source` (a key item): each problem opened on the one ledger, then its
    unit's acts and the director's acceptance on the days given."""
    from renda.problems.services import open_problem

    for title, unit, due_on, measures, steps in rows:
        problem = open_problem(
            source,
            d.staff,
            title=title,
            unit=d.units[unit],
            due_on=due_on,
            measures=measures,
            body=source.body,
            on=listed_on,
        )
        user = User.objects.get(username=UNIT_USERS[unit])
        for step in steps:
            what, month, day, *text = step
            today = wd(date(2020, month, day))
            if what == "sign":
                perform(problem, "sign", user, {}, today=today)
            elif what == "progress":
                perform(problem, "report_progress", user, {"note": text[0]}, today=today)
            elif what == "close":
                evidence = upload(f"{title}整改佐证材料.txt", f"{title}\n整改措施：{measures}\n完成情况：已完成。")
                perform(
                    problem,
                    "request_closure",
                    user,
                    {"note": "已按期完成整改，申请销号。"},
                    {"files": [evidence]},
                    today=today,
                )
            elif what == "return":
                perform(problem, "return_closure", d.director, {"note": text[0]}, today=today)
            elif what == "accept":
                perform(problem, "accept_closure", d.director, {}, today=today)


def _investigations(d: Demo, invs):
    plan = {
        # key: (start, members, deputies, report day, activities, then)
        "wildlife": (date(2020, 4, 7), 6, 14, date(2020, 4, 24), "opinions"),
        "ethnic": (date(2020, 7, 6), 6, 12, date(2020, 7, 24), "conclude"),
        "gangs": (date(2020, 5, 11), 6, 14, date(2020, 5, 29), "opinions"),
        "four_controls": (date(2020, 6, 8), 6, 16, date(2020, 6, 24), "conclude"),
        "herders_health": (date(2020, 9, 7), 6, 14, date(2020, 9, 25), "conclude"),
        "court_enforcement": (date(2020, 8, 3), 5, 10, date(2020, 8, 21), "conclude"),
        "disabled": (date(2020, 10, 12), 6, 14, date(2020, 10, 30), "conclude"),
        "hetao": (date(2020, 9, 16), 8, 16, date(2020, 9, 25), "conclude"),
        "education": (date(2020, 3, 16), 5, 12, date(2020, 4, 10), "opinions"),
        "border": (date(2020, 10, 19), 5, 12, date(2020, 11, 6), "conclude"),
    }
    places = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]
    for key, (start, size, deputies, report_on, then) in plan.items():
        item = invs[key]
        start, report_on = wd(start), wd(report_on)
        where = d.ctx.rng.sample(places, 2)
        activities = [
            (A.MEETING, 1, f"{item.unit or item.organ}", "听取有关部门工作情况汇报。"),
            (A.SITE_VISIT, 2, where[0], "实地察看，与基层干部群众座谈。"),
            (A.SITE_VISIT, 3, where[1], "实地察看，查阅有关台账资料。"),
        ]
        team = d.team(size, deputies, leaders=key == "hetao")
        text = f"关于{item.title.removesuffix('专题调研').removesuffix('跟踪监督')}的报告\n\n一、基本情况\n二、存在的问题\n三、意见建议\n"
        d.fieldwork(item, start, activities, team, report_on, text)
        if then == "conclude":
            perform(item, "conclude", d.staff, {"publish": True}, today=add_working_days(report_on, 5))
            continue
        opinions_on = add_working_days(report_on, 5)
        perform(item, "to_opinions", d.staff, {}, today=add_working_days(report_on, 2))
        perform(
            item,
            "send_opinions",
            d.staff,
            {"opinions": _opinions(["针对调研发现的问题，制定整改措施。", "健全长效工作机制。"])},
            today=opinions_on,
        )
        responder = User.objects.get(username="jiaoyuju") if key == "education" else None
        perform(
            item,
            "respond",
            responder or d.government,
            {"response": "已逐条研究调研报告提出的意见，制定整改措施并落实。", "signed_by": "分管负责人"},
            today=add_working_days(opinions_on, 50),
        )
        perform(item, "conclude", d.staff, {"publish": True}, today=add_working_days(opinions_on, 55))


QUESTIONS = {
    "air": [
        (
            "城乡结合部燃煤散烧问题突出，清洁取暖改造什么时候能全覆盖？",
            "市人民政府副市长 刘志远",
            "2021年采暖季前完成城乡结合部清洁取暖改造。",
        ),
        (
            "部分工业企业无组织排放管控不到位，监管部门如何加强执法？",
            "市生态环境局局长 白建军",
            "开展工业企业无组织排放专项执法，年底前完成整治。",
        ),
        (
            "秋冬季秸秆焚烧屡禁不止，有什么综合利用的办法？",
            "市农牧局局长 郭振华",
            "推广秸秆还田和饲料化利用，落实网格化禁烧责任。",
        ),
        (
            "建筑工地扬尘防治措施落实不到位，怎样压实施工单位责任？",
            "市住房和城乡建设局局长 王海军",
            "严格落实“六个百分之百”，对违规工地停工整改。",
        ),
        (
            "城区道路扬尘污染突出，机械化清扫率能否尽快提高？",
            "市住房和城乡建设局局长 王海军",
            "增购清扫车辆，2021年城区主次干道机械化清扫率达到90%。",
        ),
    ],
    "audit": [
        ("审计查出的专项资金闲置问题，整改到位了多少？", "市人民政府副市长 刘志远", "闲置资金已全部收回统筹使用。"),
        ("部分政府投资项目超概算，如何从制度上防止？", "市财政局局长 贾文斌", "建立投资项目概算动态监控机制。"),
        ("审计整改“屡审屡犯”的问题怎么解决？", "市审计局局长 杜志强", "建立审计整改跟踪检查和问责机制。"),
        (
            "国有资产出租出借未履行审批程序，如何规范？",
            "市财政局局长 贾文斌",
            "出台行政事业单位国有资产出租出借管理办法。",
        ),
    ],
}


def _inquiries(d: Demo, inquiries):
    air, audit = inquiries["air"], inquiries["audit"]
    perform(air, "schedule", d.staff, {"sitting": d.sittings[23].pk}, today=wd(date(2020, 9, 28)))
    meetings.act_at_sitting(d.sittings[23], air, "hold", d.staff)
    _questions(d, air, QUESTIONS["air"], SITTINGS[23])
    perform(
        air,
        "send_opinions",
        d.staff,
        {"opinions": _opinions([q[2] for q in QUESTIONS["air"]])},
        today=wd(date(2020, 11, 13)),
    )
    _problems(
        d,
        air,
        wd(date(2020, 11, 16)),
        [
            (
                "城乡结合部燃煤散烧治理进度滞后",
                "市生态环境局",
                date(2021, 5, 31),
                QUESTIONS["air"][0][2],
                [("sign", 11, 18), ("progress", 12, 16, "已完成清洁取暖改造3200户。")],
            ),
            (
                "部分工业企业无组织排放管控不到位",
                "市生态环境局",
                date(2020, 12, 31),
                QUESTIONS["air"][1][2],
                [("sign", 11, 18), ("close", 12, 21), ("accept", 12, 23)],
            ),
            (
                "秋冬季秸秆露天焚烧时有发生，禁烧监管不到位",
                "市生态环境局",
                date(2021, 3, 31),
                QUESTIONS["air"][2][2],
                [("sign", 11, 20)],
            ),
            (
                "建筑工地扬尘“六个百分之百”措施落实不到位",
                "市住建局",
                date(2020, 12, 15),
                QUESTIONS["air"][3][2],
                [("sign", 11, 17), ("close", 12, 9), ("accept", 12, 11)],
            ),
            (
                "城区主次干道机械化清扫率偏低，道路扬尘污染突出",
                "市住建局",
                date(2021, 4, 30),
                QUESTIONS["air"][4][2],
                [("sign", 11, 19), ("progress", 12, 18, "已增购清扫车辆12台。")],
            ),
        ],
    )
    d.respond(
        air,
        wd(date(2020, 12, 11)),
        "市政府就专题询问中承诺的整改措施逐项分解落实，列入问题清单的问题实行台账管理、限时销号。",
    )
    perform(air, "publish", d.staff, {}, today=wd(date(2020, 12, 14)))
    d.vote(air, SITTINGS[25], satisfied=0.6, basic=0.33)

    perform(audit, "schedule", d.staff, {"sitting": d.sittings[24].pk}, today=wd(date(2020, 10, 30)))
    meetings.act_at_sitting(d.sittings[24], audit, "hold", d.staff)
    _questions(d, audit, QUESTIONS["audit"], SITTINGS[24])
    perform(
        audit,
        "send_opinions",
        d.staff,
        {"opinions": _opinions([q[2] for q in QUESTIONS["audit"]])},
        today=wd(date(2020, 12, 11)),
    )


def _questions(d: Demo, inquiry, rows, day):
    askers = d.ctx.rng.sample(d.members[1:], len(rows) - 1)
    deputy = next(x for x in d.deputies if x.pk in d.used_deputies)  # a deputy who joined an inspection asks last
    for n, (question, answerer, promise) in enumerate(rows):
        asker = askers[n].person if n < len(askers) else deputy.person
        services.add_question(
            d.staff,
            inquiry,
            asker,
            question,
            answerer,
            answer=f"{answerer.split(' ')[0]}表示：{promise}",
            promises=promise,
            deputy=deputy if n == len(askers) else None,
            on=day,
        )


def _experts(d: Demo, reports, inspection, inquiries, invs):
    experts = d.ctx.refs.get("experts")
    if not experts:  # the think tank's part was left out (--only)
        return
    from renda.experts import services as think_tank

    for record, names, on, task, opinion in (
        (
            inspection,
            ["白玉兰", "高立明"],
            date(2020, 6, 10),
            "参加执法检查，评估法律实施情况",
            "建议将基层发热哨点建设纳入公共卫生补短板项目。",
        ),
        (
            reports["environment"],
            ["乔慧敏"],
            date(2020, 6, 1),
            "审阅环境状况报告",
            "建议补充乌梁素海水质分区监测数据。",
        ),
        (
            inquiries["air"],
            ["乔慧敏", "韩晓东"],
            date(2020, 10, 12),
            "协助拟定询问问题",
            "建议围绕采暖期PM2.5来源解析设计询问问题。",
        ),
        (
            inquiries["audit"],
            ["郝建国"],
            date(2020, 11, 9),
            "协助拟定询问问题",
            "建议重点询问屡审屡犯问题的制度性原因。",
        ),
        (invs["four_controls"], ["云志刚"], date(2020, 6, 1), "参加专题调研", "建议推广水肥一体化，控制地膜残留。"),
        (reports["rule_of_law"], ["苏永平", "贺文静"], date(2020, 11, 2), "审阅法治政府建设情况报告", ""),
    ):
        rows = think_tank.assign(record, [experts[n] for n in names], d.staff, on=wd(on), task=task)
        if opinion:
            think_tank.record_opinion(rows[0], opinion, d.staff, on=add_working_days(wd(on), 5))
