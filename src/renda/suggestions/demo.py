"""The 2020 deputy suggestions of the demo year: 140, all concluded, satisfaction 98.6%
(two dissatisfied evaluations, re-handled, then satisfied: 140 of 142 evaluations).
Every step is performed through the workflow, dated on the day it happened."""

from datetime import date, timedelta

from renda.core import clock
from renda.core.models import CommitteeMember
from renda.workflow.calendar import add_working_days
from renda.workflow.engine import perform

from . import services

# category -> (lead unit, possible assisting units, subjects)
TOPICS = {
    "农牧水利": (
        "市农牧局",
        ["市水利局", "市财政局"],
        [
            "加快河套灌区节水改造工程建设",
            "扶持肉羊产业规模化养殖",
            "推进高标准农田建设",
            "加强农村饮水安全工程管护",
            "发展河套向日葵精深加工",
            "做强“天赋河套”农产品区域公用品牌",
            "治理盐碱化耕地",
            "加强动物防疫体系建设",
            "扶持家庭农牧场发展",
            "完善农业社会化服务体系",
            "推广黄灌区滴灌技术",
            "支持苏木嘎查牧民合作社发展",
        ],
    ),
    "城乡建设": (
        "市住建局",
        ["市自然资源局", "市城管执法局"],
        [
            "加快老旧小区改造",
            "解决城区集中供热管网老化问题",
            "推进农村牧区人居环境整治",
            "规范物业管理服务",
            "加快城市排水防涝设施建设",
            "解决回迁安置房办证难问题",
            "增设城区公共停车场",
            "推进城镇燃气管道改造",
            "加强建筑工地扬尘治理",
            "完善背街小巷路灯设施",
        ],
    ),
    "环境保护": (
        "市生态环境局",
        ["市林草局", "市农牧局"],
        [
            "加强乌梁素海流域综合治理",
            "开展农药包装废弃物回收处置",
            "加强城区大气污染防治",
            "推进农村生活垃圾分类处理",
            "加强黄河湿地保护",
            "治理工业园区废水排放",
            "推进残膜回收利用",
            "加强乌拉山生态修复",
        ],
    ),
    "交通运输": (
        "市交通运输局",
        ["市公安局", "市发改委"],
        [
            "优化城市公交线路",
            "加快农村牧区公路养护",
            "解决偏远嘎查客运班线不足问题",
            "完善城区交通信号设施",
            "加快甘其毛都口岸通道建设",
            "规范网约车和出租车管理",
            "增设城乡公交候车亭",
        ],
    ),
    "教育文体": (
        "市教育局",
        ["市财政局", "市体育局"],
        [
            "改善农村牧区学校办学条件",
            "加强乡村教师队伍建设",
            "推进学前教育普惠发展",
            "加强中小学心理健康教育",
            "增建城区中小学学位",
            "推广国家通用语言文字教学",
            "建设全民健身场地设施",
            "加强职业教育产教融合",
            "保护河套文化遗产",
            "推进城乡公共图书馆建设",
        ],
    ),
    "劳动和社会保障": (
        "市人社局",
        ["市医保局", "市民政局"],
        [
            "做好高校毕业生就业服务",
            "解决农民工工资拖欠问题",
            "提高城乡居民基础养老金",
            "完善灵活就业人员参保政策",
            "加强农村牧区养老服务",
            "落实退役军人就业创业扶持",
            "扩大异地就医直接结算范围",
            "加强残疾人就业帮扶",
            "提高城乡低保保障水平",
            "支持返乡创业就业",
        ],
    ),
    "卫生计生": (
        "市卫健委",
        ["市医保局", "市财政局"],
        [
            "加强基层医疗卫生服务能力建设",
            "完善突发公共卫生事件应急体系",
            "加强苏木乡镇卫生院人才队伍建设",
            "推进分级诊疗和医联体建设",
            "加强疫情防控物资储备",
            "推进家庭医生签约服务",
            "加强妇幼保健服务",
            "完善村卫生室建设",
        ],
    ),
    "商贸旅游": (
        "市商务局",
        ["市文旅广电局", "市市场监管局"],
        [
            "促进疫情后消费回暖",
            "发展乡村旅游和牧家乐",
            "加强农产品电商服务体系建设",
            "优化营商环境助企纾困",
            "加强食品安全监管",
            "打造黄河几字弯文化旅游品牌",
            "规范农贸市场管理",
        ],
    ),
    "政法民政": (
        "市公安局",
        ["市司法局", "市民政局"],
        [
            "加强农村牧区治安防控",
            "推进公共法律服务体系建设",
            "加强未成年人保护",
            "加强社区工作者队伍建设",
            "规范殡葬服务管理",
            "加强电信网络诈骗防范宣传",
        ],
    ),
}
PLACES = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]
SESSION_SUGGESTIONS = 124  # the rest were submitted between sessions
DISSATISFIED_FIRST = {17, 88}  # two suggestions evaluated 不满意 first, re-handled
KEY = {3, 21, 40, 62, 95}  # chosen by the directors' meeting for key supervision


def _content(place, subject, category):
    return (
        f"{place}在{subject[:8]}方面还存在一些突出问题：基础设施和投入相对不足，群众反映较为集中，"
        f"部分项目推进较慢，相关政策落实不够到位，影响了群众的获得感。\n"
        f"经调研，主要原因是资金保障渠道单一、部门之间协调不够、基层工作力量薄弱。\n"
        f"为此建议：一是请有关部门加强统筹，将{subject}纳入年度重点工作，明确责任分工和时间表；"
        f"二是加大财政投入，积极争取自治区和国家项目资金支持；三是加强督促检查，及时回应群众关切，"
        f"确保{subject}取得实效。"
    )


def build(ctx) -> None:
    refs = ctx.refs
    city, _term, rng = refs["city"], refs["term"], ctx.rng
    session = refs["sessions"][-1]  # 四届三次会议, May 2020
    deputies = refs["deputies"]
    units = refs["units"]
    chair = CommitteeMember.objects.filter(congress=city, position="chair").select_related("person").first()
    staff = _user("bangongshi")
    director = _user("zhuren")
    subjects = [(cat, subj) for cat, (_, _, subs) in TOPICS.items() for subj in subs]
    rng.shuffle(subjects)
    for n in range(140):
        category, subject = subjects[n % len(subjects)]
        place = PLACES[n % len(PLACES)]
        lead_unit_name, assisting_names, _ = TOPICS[category]
        lead = deputies[(n * 7) % len(deputies)] if n else deputies[0]
        in_session = n < SESSION_SUGGESTIONS
        submitted = (
            session.start_date + timedelta(days=n % 3)
            if in_session
            else _on_or_after(date(2020, 1, 6) + timedelta(days=(n - SESSION_SUGGESTIONS) * 19))
        )
        cosigners = [deputies[(n * 7 + k * 13 + 1) % len(deputies)] for k in range(n % 3)]
        user = _deputy_user(ctx, lead)
        title = f"关于{place}{subject}的建议" if n % 4 else f"关于{subject}的建议"
        with clock.dated(clock.on(submitted)):  # written the day it was submitted
            draft = services.save_draft(
                user,
                lead=lead,
                title=title,
                content=_content(place, subject, category),
                category=category,
                cosigners=[c for c in cosigners if c.pk != lead.pk],
            )
        perform(draft, "submit", user, today=submitted)
        for c in draft.cosigners.all():
            perform(draft, "confirm", _deputy_user(ctx, c.deputy), today=submitted)
        registered = add_working_days(submitted, 6)
        perform(draft, "register", staff, {"category": category, "published": "on"}, today=registered)
        assigned = add_working_days(registered, 3)
        if n in KEY:
            perform(
                draft,
                "mark_key",
                director,
                {"responsible_leader": chair.person.name if chair else "常委会主任"},
                today=assigned,
            )
        assisting = [units[a].pk for a in assisting_names[: n % 2]]
        period = "6" if n % 23 == 5 else "3"
        if n == 50:  # assigned first to the wrong unit, which returns it in time
            perform(draft, "assign", staff, {"lead_unit": units["市发改委"].pk, "period": period}, today=assigned)
            perform(
                draft,
                "return",
                _unit_user(ctx, units["市发改委"]),
                {"note": "该事项不属于本单位职责，建议交由主管部门办理。"},
                today=add_working_days(assigned, 2),
            )
            assigned = add_working_days(assigned, 4)
        perform(
            draft,
            "assign",
            staff,
            {"lead_unit": units[lead_unit_name].pk, "assisting_units": assisting, "period": period},
            today=assigned,
        )
        unit_user = _unit_user(ctx, units[lead_unit_name])
        perform(draft, "sign", unit_user, today=add_working_days(assigned, 2))
        for pk in assisting:
            perform(
                draft,
                "assist_opinion",
                _unit_user(ctx, units_by_pk(units)[pk]),
                {"opinion": "我单位将积极配合主办单位，在职责范围内做好资金和政策支持。"},
                today=add_working_days(assigned, 14),
            )
        if n in (30, 77):  # an extension asked for and granted
            perform(
                draft,
                "request_extension",
                unit_user,
                {"note": "涉及多个部门和项目资金安排，需延期办理。"},
                today=add_working_days(assigned, 40),
            )
            perform(
                draft, "approve_extension", staff, {"note": "同意延期至六个月。"}, today=add_working_days(assigned, 42)
            )
        replied = _on_or_after(assigned + timedelta(days=40 + (n * 5) % 45))
        if n in (30, 77):  # replied once the extension was granted
            replied = max(replied, add_working_days(assigned, 47))
        reply = {
            "category": "AB"[n % 2] if n % 5 else "C",
            "signed_by": f"{units[lead_unit_name].short_name}局长",
            "text": f"您提出的《{title}》收悉。我单位高度重视，经认真研究，现答复如下：一、已将相关工作纳入年度计划，"
            f"明确了责任科室和完成时限；二、积极协调财政等部门落实资金；三、下一步将加强督查，及时向您反馈进展。"
            f"感谢您对{subject}工作的关心和支持。",
        }
        perform(draft, "reply", unit_user, reply, today=replied)
        evaluated = add_working_days(replied, 5)
        if n in DISSATISFIED_FIRST:
            perform(
                draft,
                "evaluate",
                user,
                {"satisfaction": "dissatisfied", "comment": "答复内容笼统，缺少具体措施和时间表，请重新办理。"},
                today=evaluated,
            )
            perform(
                draft,
                "reply",
                unit_user,
                {
                    **reply,
                    "category": "B",
                    "text": reply["text"] + "经与代表当面沟通，已制定具体实施方案，明确于年内完成一期工程。",
                },
                today=add_working_days(evaluated, 14),
            )
            evaluated = add_working_days(evaluated, 19)
        perform(
            draft, "evaluate", user, {"satisfaction": "satisfied" if n % 3 else "basic", "comment": ""}, today=evaluated
        )
    train_routing(ctx)


def _on_or_after(day: date) -> date:
    """The first working day from day on (public holidays included)."""
    return add_working_days(day - timedelta(days=1), 1)


def units_by_pk(units):
    return {u.pk: u for u in units.values()}


def _user(username):
    from renda.core.models import User

    return User.objects.get(username=username)


def _deputy_user(ctx, deputy):
    """The deputy's account: demo deputies without one get a personal account, as every
    deputy who submits online has."""
    from renda.core import services as core
    from renda.core.models import Role, User

    user = User.objects.filter(roles__role=Role.DEPUTY, roles__deputy=deputy).first()
    if user is None:
        user = core.create_account(
            ctx.admin,
            username=f"dep{deputy.pk}",
            password_hash="!",
            display_name=deputy.person.name,
            person=deputy.person,
            roles=[dict(role=Role.DEPUTY, congress=deputy.congress, deputy=deputy)],
        )
    return user


def _unit_user(ctx, unit):
    from renda.core import services as core
    from renda.core.models import Role, User

    user = User.objects.filter(roles__role=Role.UNIT, roles__handling_unit=unit).first()
    if user is None:
        user = core.create_account(
            ctx.admin,
            username=f"unit{unit.pk}",
            password_hash="!",
            display_name=f"{unit.short_name}联络员",
            roles=[dict(role=Role.UNIT, congress=unit.congress, handling_unit=unit)],
        )
    return user


def train_routing(ctx) -> None:
    """The demo year's registered suggestions train the routing models, as the nightly job would."""
    from .routing import retrain

    retrain(ctx.refs["city"])
