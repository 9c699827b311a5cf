"""The demo year's resolutions and decisions (seed section 四: 全年共作出决议决定12件).

Twelve resolutions and decisions of 2020 such as a 地级市 standing committee makes — calling the
plenary sessions, approving the budget adjustments and the final accounts, resolutions on reports
it heard, a fireworks ban, the livelihood projects voted by deputies, a deputy's resignation.
They are plausible examples for the demo, not a record of what Bayannur's committee decided.
Each is drafted before its sitting, put on the agenda after the directors' meeting, voted at the
sitting by the members' own accounts through the ballots (a majority of all members), and
published two working days later with its number; the ones on a report the supervision demo
heard are linked to it (决定). Everything goes through the services and `perform(..., today=)`.
"""

from __future__ import annotations

from datetime import timedelta

from renda.ballots import motions
from renda.ballots import services as ballots
from renda.core import clock
from renda.core.models import User
from renda.meetings import demo as meetings
from renda.supervision.models import WorkReport
from renda.workflow.calendar import add_working_days, subtract_working_days
from renda.workflow.engine import perform

from . import services

# (sitting, kind, subject, proposer, title, the report it decides (title) or "", text)
RESOLUTIONS = [
    (
        19,
        "decision",
        "major_matter",
        "主任会议",
        "关于依法全力做好新冠肺炎疫情防控工作的决定",
        "",
        "全市各级国家机关、社会组织和公民应当依法履行疫情防控义务，服从、配合政府依法采取的防控措施；"
        "市和旗县区人民政府可以在不与宪法、法律、行政法规相抵触的前提下，依法采取临时性应急管理措施。",
    ),
    (
        19,
        "decision",
        "major_matter",
        "主任会议",
        "关于召开巴彦淖尔市第四届人民代表大会第三次会议的决定",
        "",
        "巴彦淖尔市第四届人民代表大会第三次会议于2020年5月上旬在巴彦淖尔市召开。"
        "建议会议的主要议程是：听取和审议政府工作报告；审查和批准国民经济和社会发展计划、预算；"
        "听取和审议市人大常委会、市中级人民法院、市人民检察院工作报告。",
    ),
    (
        20,
        "decision",
        "major_matter",
        "市人民政府",
        "关于巴彦淖尔市中心城区禁止燃放烟花爆竹的决定",
        "",
        "为了保护环境、保障公共安全和人身财产安全，中心城区内全年禁止燃放烟花爆竹。"
        "禁止燃放的具体范围由市人民政府划定并向社会公布。违反本决定的，由公安机关依法处理。",
    ),
    (
        21,
        "resolution",
        "budget_adjustment",
        "市人民政府",
        "关于批准2020年市本级预算调整方案的决议",
        "",
        "会议审查了市人民政府提出的2020年市本级预算调整方案，同意市人民代表大会财政经济委员会的审查报告，"
        "决定批准2020年市本级预算调整方案。",
    ),
    (
        21,
        "resolution",
        "work_report",
        "主任会议",
        "关于加强乌梁素海流域生态环境保护治理的决议",
        "市人民政府关于2019年度全市环境状况和环境保护目标完成情况的报告",
        "会议听取和审议了市人民政府关于2019年度全市环境状况和环境保护目标完成情况的报告，"
        "要求市人民政府统筹山水林田湖草沙系统治理，加大农业面源污染防治力度，确保乌梁素海水质持续改善。",
    ),
    (
        22,
        "resolution",
        "final_accounts",
        "市人民政府",
        "关于批准2019年市本级财政决算的决议",
        "",
        "会议审查了市人民政府提出的2019年市本级财政决算，同意市人民代表大会财政经济委员会的审查报告，"
        "决定批准2019年市本级财政决算。",
    ),
    (
        22,
        "resolution",
        "work_report",
        "主任会议",
        "关于市人民政府脱贫攻坚工作情况报告的决议",
        "市人民政府关于脱贫攻坚工作情况的专项工作报告",
        "会议同意市人民政府关于脱贫攻坚工作情况的专项工作报告，要求健全防止返贫动态监测和帮扶机制，"
        "巩固拓展脱贫攻坚成果。",
    ),
    (
        23,
        "decision",
        "major_matter",
        "主任会议",
        "关于建立市人民政府向市人民代表大会常务委员会报告国有资产管理情况制度的决定",
        "市人民政府关于2019年度企业国有资产管理情况的专项工作报告",
        "市人民政府每年向市人民代表大会常务委员会报告国有资产管理情况，采取综合报告和专项报告相结合的方式，"
        "常委会审议意见及研究处理情况向市人民代表大会代表通报并向社会公布。",
    ),
    (
        23,
        "decision",
        "personnel",
        "代表资格审查委员会",
        "关于接受个别代表辞去巴彦淖尔市第四届人民代表大会代表职务的决定",
        "",
        "会议决定接受因工作调动提出辞去巴彦淖尔市第四届人民代表大会代表职务的请求，其代表资格终止。",
    ),
    (
        24,
        "resolution",
        "budget_adjustment",
        "市人民政府",
        "关于批准2020年市本级新增政府债务限额及预算调整方案的决议",
        "",
        "会议审查了市人民政府关于2020年市本级新增政府债务限额及预算调整方案的报告，"
        "决定批准该方案，要求加强政府债务管理，防范化解债务风险。",
    ),
    (
        24,
        "decision",
        "livelihood",
        "主任会议",
        "关于2021年市本级民生实事项目实行人大代表票决制的决定",
        "",
        "2021年市本级民生实事项目由市人民政府广泛征集、提出候选项目，提请市第四届人民代表大会第四次会议"
        "由代表差额票决确定；项目实施情况接受市人大常委会和人大代表的监督。",
    ),
    (
        25,
        "decision",
        "major_matter",
        "主任会议",
        "关于召开巴彦淖尔市第四届人民代表大会第四次会议的决定",
        "",
        "巴彦淖尔市第四届人民代表大会第四次会议于2021年1月中旬在巴彦淖尔市召开。",
    ),
]


def build(ctx) -> None:
    city = ctx.refs["city"]
    sittings = ctx.refs["sittings"]  # the supervision demo's sittings of 2020
    staff = User.objects.get(username="bangongshi")
    reports = {r.title: r for r in WorkReport.objects.filter(congress=city)}
    for n, kind, subject, proposer, title, matter, text in RESOLUTIONS:
        sitting = sittings[n]
        day = sitting.start_date
        with clock.dated(clock.on(subtract_working_days(day, 10))):
            item = services.create_resolution(
                staff,
                congress=city,
                title=title,
                kind=kind,
                subject=subject,
                proposer=proposer,
                matter=reports.get(matter),
                draft=f"{title}（草案）\n\n{text}\n",
            )
        perform(item, "schedule", staff, {"sitting": sitting.pk}, today=subtract_working_days(day, 5))
        agenda = meetings.vote_at_sitting(sitting, item, "open_vote", staff, {"kind": "secret"})
        _vote(ctx, item)
        meetings.close_at_sitting(agenda, staff)
        perform(item, "publish", staff, {}, today=add_working_days(day, 2))


def _vote(ctx, item):
    """The members present vote (those on leave or absent from the sitting's roll do not): a few
    against or abstaining, most for."""
    ballot = motions.ballots_about(item).get(state="open")
    options = {o.label: o for o in ballot.options.all()}
    present = meetings.present_voters(ballot)
    ctx.rng.shuffle(present)
    against, abstain = ctx.rng.randint(0, 1), ctx.rng.randint(0, 2)
    with clock.dated(ballot.opened_at + timedelta(seconds=20)):
        for i, voter in enumerate(present):
            label = "反对" if i < against else "弃权" if i < against + abstain else "赞成"
            ballots.cast(ballot, voter.user, [options[label]], idempotency_key=f"demo-{ballot.pk}-{voter.pk}")
