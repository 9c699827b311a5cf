"""The demo year's legislation (seed section 二, 加强环保民生立法): 《巴彦淖尔市农药污染防治条例》
(生态文明建设) and 《巴彦淖尔市城市客运交通管理条例》(城乡建设与管理), each through every stage:
drafted with the legal committee's early involvement, three drafts, read at two 2020 sittings,
a public comment period after the first reading whose adopted comments the next draft cites,
opinions of the CPPCC, departments and members, a vote of the members' own accounts,
approval by 内蒙古自治区人大常委会 within four months, and the 公告.

Everything goes through the services and `perform(..., today=)`. It runs after every builder
(`ctx.later`): the readings are at the sittings the supervision builder creates and the votes
are cast by the members' accounts it gives them (without it, the sittings are created here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.ballots import motions
from renda.ballots import services as ballots
from renda.core import clock
from renda.core import services as core
from renda.core.models import CommitteeMeeting, User
from renda.meetings import demo as meetings
from renda.workflow.engine import perform

from . import plan_services, services
from .articles import int_to_cn
from .models import Bill, Opinion, PlanItem, PublicComment
from .plan_demo import build_plan

APPROVING_BODY = "内蒙古自治区人民代表大会常务委员会"
ENACTING_BODY = "巴彦淖尔市人民代表大会常务委员会"


def render_draft(title: str, chapters) -> str:
    """第一章　总则 / 第一条　…: chapters [(title, [article text, …])], numbered throughout."""
    lines, n = [title, ""], 0
    for c, (heading, texts) in enumerate(chapters, start=1):
        lines += [f"第{int_to_cn(c)}章　{heading}", ""]
        for text in texts:
            n += 1
            lines.append(f"第{int_to_cn(n)}条　{text}")
        lines.append("")
    return "\n".join(lines)


def revise(chapters, changed: dict[int, str], added: dict[int, str] | None = None):
    """A new draft: article n (numbered throughout) replaced by changed[n]; added[n] inserted after n."""
    out, n = [], 0
    for heading, texts in chapters:
        new = []
        for text in texts:
            n += 1
            new.append(changed.get(n, text))
            if added and n in added:
                new.append(added[n])
        out.append((heading, new))
    return out


# ---------------------------------------------------------------- 农药污染防治条例

PESTICIDE = [
    (
        "总则",
        [
            "为了防治农药污染，保护和改善生态环境，保障农产品质量安全和人体健康，打造“天赋河套”农产品区域公用品牌，"
            "根据《中华人民共和国环境保护法》《中华人民共和国土壤污染防治法》《农药管理条例》等法律、行政法规，结合本市实际，制定本条例。",
            "本市行政区域内农药经营、使用、包装废弃物回收处理及其监督管理活动，适用本条例。",
            "农药污染防治坚持预防为主、源头管控、综合治理、公众参与、损害担责的原则。",
            "市、旗县区人民政府应当加强对农药污染防治工作的领导，将农药污染防治工作纳入国民经济和社会发展规划，所需经费列入本级财政预算。",
            "农牧业农村主管部门负责本行政区域内农药监督管理工作。生态环境主管部门对农药污染防治实施统一监督管理。"
            "市场监督管理、公安、交通运输、供销等部门按照各自职责做好农药污染防治相关工作。",
            "苏木乡镇人民政府、街道办事处应当协助做好农药污染防治的宣传、巡查和农药包装废弃物回收等工作。嘎查村民委员会、居民委员会应当予以配合。",
        ],
    ),
    (
        "农药经营和使用",
        [
            "农药经营者应当取得农药经营许可证，建立采购、销售台账，如实记录农药名称、规格、数量、生产企业、供货人和购买人等内容，台账保存期限不得少于二年。",
            "农药经营者应当向购买人询问病虫害发生情况并查看现场，正确说明农药的使用范围、使用方法和剂量、使用技术要求和注意事项，不得误导购买人。",
            "限制使用农药实行定点经营。经营者应当为购买人开具销售凭证，实名登记购买人信息。",
            "农药使用者应当严格按照农药标签标注的使用范围、使用方法和剂量、安全间隔期使用农药，不得扩大使用范围、加大用药剂量或者改变使用方法。",
            "禁止在饮用水水源保护区、河道、湖泊、水库、沟渠内清洗施药器械或者倾倒剩余农药。",
            "禁止将剧毒、高毒农药用于防治卫生害虫，禁止用于蔬菜、瓜果、茶叶、菌类、中草药材的生产。",
            "鼓励农业生产经营者采用生物防治、物理防治等绿色防控技术，推广使用低毒低残留农药和高效施药器械，减少化学农药使用量。",
            "农牧业农村主管部门应当组织开展农药使用技术培训和指导，推进病虫害专业化统防统治。",
        ],
    ),
    (
        "农药包装废弃物回收处理",
        [
            "农药包装废弃物回收处理遵循谁经营谁回收、谁使用谁交回、谁污染谁治理的原则。",
            "农药生产者、经营者应当按照规定回收其生产、经营的农药包装废弃物，不得拒收。",
            "农药使用者应当及时收集农药包装废弃物并交回农药经营者或者回收站点，不得随意丢弃。",
            "旗县区人民政府应当合理布设农药包装废弃物回收站点，明确回收责任主体。",
            "农药包装废弃物应当交由具备相应能力的单位进行无害化处理，属于危险废物的，按照危险废物管理的规定处置。",
        ],
    ),
    (
        "监督管理",
        [
            "农牧业农村主管部门应当建立农药经营、使用监督检查制度，定期开展监督检查。",
            "生态环境主管部门应当会同有关部门对农田土壤、地下水等开展农药污染状况监测，监测结果依法公开。",
            "任何单位和个人有权对农药污染行为进行举报。接到举报的部门应当及时调查处理，并为举报人保密。",
            "市、旗县区人民政府应当建立农药污染突发事件应急机制，制定应急预案。",
        ],
    ),
    (
        "法律责任",
        [
            "违反本条例规定的行为，法律、行政法规已有法律责任规定的，从其规定。",
            "违反本条例第十一条规定，在饮用水水源保护区、河道、湖泊、水库、沟渠内清洗施药器械或者倾倒剩余农药的，"
            "由农牧业农村主管部门责令改正，对单位处一万元以上五万元以下罚款，对个人处五百元以上二千元以下罚款。",
            "违反本条例第十七条规定，随意丢弃农药包装废弃物的，由农牧业农村主管部门责令改正；拒不改正的，对个人处二百元以上五百元以下罚款。",
            "有关主管部门及其工作人员在农药污染防治工作中玩忽职守、滥用职权、徇私舞弊的，对直接负责的主管人员和其他直接责任人员依法给予处分。",
        ],
    ),
    ("附则", ["本条例自2021年1月1日起施行。"]),
]

# after the first reading: the comments adopted (articles 9, 11, 17, 18) and the CPPCC's and departments' opinions
PESTICIDE_V2 = (
    {
        9: "限制使用农药实行定点经营。经营者应当为购买人开具销售凭证，实名登记购买人信息，并将销售信息按月报送旗县区农牧业农村主管部门。",
        11: "禁止在饮用水水源保护区、河道、湖泊、水库、沟渠、渠系湿地内清洗施药器械或者倾倒剩余农药。河套灌区灌溉期间，禁止在引水渠首上游一公里范围内施用农药。",
        17: "农药使用者应当及时收集农药包装废弃物并交回农药经营者或者回收站点，不得随意丢弃、掩埋或者焚烧。",
        18: "旗县区人民政府应当按照方便群众、合理布局的原则，在苏木乡镇、嘎查村布设农药包装废弃物回收站点，明确回收责任主体，所需费用纳入本级财政预算。",
    },
    {
        13: "鼓励保险机构开展病虫害绿色防控和统防统治保险业务。对开展农药包装废弃物回收的经营者和使用者，旗县区人民政府可以给予适当补助。",
    },
)
# the 表决稿 after the second reading (numbers of the second draft)
PESTICIDE_V3 = {
    2: "本市行政区域内农药经营、使用、包装废弃物回收处理及其监督管理活动，适用本条例。农药生产活动依照有关法律、行政法规的规定执行。",
    # the cross-reference follows the article's new number
    27: "违反本条例第十八条规定，随意丢弃、掩埋或者焚烧农药包装废弃物的，由农牧业农村主管部门责令改正；拒不改正的，对个人处二百元以上五百元以下罚款。",
}

PESTICIDE_COMMENTS = [
    # (article or None, text, handling, note)
    (9, "建议限制使用农药的销售信息定期报送主管部门，便于追溯。", "adopted", ""),
    (
        9,
        "定点经营的门店应当在醒目位置公示限制使用农药目录。",
        "not_adopted",
        "已由《农药管理条例》及其配套规章规定，本条例不再重复。",
    ),
    (11, "河套灌区灌溉期间渠道水流大，建议增加灌溉期间渠首附近禁止施药的规定。", "adopted", ""),
    (11, "建议把渠系湿地也列入禁止清洗施药器械的范围。", "adopted", ""),
    (
        11,
        "清洗施药器械的废水应当集中收集处理。",
        "partly",
        "在第十一条中增加了禁止性规定，集中收集处理由实施办法规定。",
    ),
    (17, "农民焚烧、掩埋农药瓶的情况比较普遍，建议一并禁止。", "adopted", ""),
    (18, "回收站点应当设到嘎查村，方便农牧民交回。", "adopted", ""),
    (18, "回收站点的运行费用应当由财政保障，否则难以持续。", "adopted", ""),
    (13, "建议对统防统治服务组织给予资金扶持。", "partly", "在新增的第十四条中规定了保险和补助。"),
    (
        4,
        "建议将农药污染防治工作纳入各级政府的目标责任考核。",
        "not_adopted",
        "政府考核由市委、市政府统一部署，不宜在条例中规定。",
    ),
    (5, "各部门职责分工应当更具体，避免推诿。", "not_adopted", "各部门职责已按“三定”方案表述，具体分工由市政府确定。"),
    (7, "经营台账建议推行电子台账。", "not_adopted", "电子台账可以在实施中推行，条例不作强制规定。"),
    (8, "农药经营者应当配备具有农学等专业知识的技术人员。", "not_adopted", "《农药管理条例》已有规定，不再重复。"),
    (10, "建议规定农药使用记录的保存期限。", "not_adopted", "上位法已规定农产品生产企业等的记录义务。"),
    (15, "建议明确农药包装废弃物的定义。", "not_adopted", "已由《农药包装废弃物回收处理管理办法》界定。"),
    (21, "监测结果应当定期向社会公开，并告知相关嘎查村。", "not_adopted", "第二十一条已规定监测结果依法公开。"),
    (22, "建议对举报属实的给予奖励。", "not_adopted", "举报奖励由市政府另行规定。"),
    (26, "罚款标准偏低，建议提高。", "not_adopted", "罚款幅度已与上位法衔接，并考虑农牧民的承受能力。"),
    (
        None,
        "条例很有必要，建议加大宣传，让农牧民都知道怎么回收农药瓶。",
        "partly",
        "已转请市农牧局在条例施行前组织宣传。",
    ),
    (None, "这个网站打不开附件，能否提供纸质文本？", None, ""),
]
PESTICIDE_HIDDEN = {19: "与征求意见的法规草案无关"}  # the 20th comment: not published, with a reason

# ---------------------------------------------------------------- 城市客运交通管理条例

TRANSPORT = [
    (
        "总则",
        [
            "为了加强城市客运交通管理，维护城市客运市场秩序，保障乘客、经营者和从业人员的合法权益，促进城市客运交通健康发展，"
            "根据有关法律、法规，结合本市实际，制定本条例。",
            "本市城市规划区内公共汽车客运、出租汽车客运的规划、建设、经营、服务及其监督管理活动，适用本条例。",
            "城市客运交通坚持公交优先、统筹规划、安全便捷、绿色低碳的原则。",
            "市、旗县区人民政府应当将城市客运交通发展纳入国民经济和社会发展规划，保障公共交通发展所需资金。",
            "交通运输主管部门负责本行政区域内城市客运交通的监督管理工作。公安、自然资源、住房和城乡建设、市场监督管理等部门按照各自职责做好相关工作。",
        ],
    ),
    (
        "规划与建设",
        [
            "交通运输主管部门应当会同有关部门编制城市公共交通专项规划，报本级人民政府批准后实施。",
            "新建、改建、扩建居住区、商业区、学校、医院等大型建设项目，应当按照规划配套建设公共交通场站设施。",
            "公共交通场站设施不得擅自拆除、占用或者改变用途。",
            "公安机关交通管理部门应当根据道路条件设置公交专用车道和港湾式停靠站，保障公共汽车优先通行。",
        ],
    ),
    (
        "公共汽车客运",
        [
            "从事公共汽车客运经营，应当依法取得线路经营权。线路经营权不得转让、出租。",
            "公共汽车客运经营者应当按照核定的线路、站点、班次、首末班时间运营，不得擅自停运、变更线路或者甩站。",
            "公共汽车客运经营者应当在车辆内外设置线路走向示意图、票价、投诉电话等服务标志。",
            "公共汽车票价实行政府定价。对老年人、残疾人、现役军人、学生等乘客，按照规定给予免费或者优惠乘车。",
            "驾驶员在运营中不得拒载乘客，不得在非站点上下乘客，不得使用手持电话。",
            "乘客应当遵守乘车规则，不得携带易燃、易爆、有毒等危险物品乘车。",
        ],
    ),
    (
        "出租汽车客运",
        [
            "从事出租汽车客运经营，应当依法取得经营许可和车辆运营证。",
            "出租汽车应当安装符合标准的计价器、顶灯和卫星定位装置，并保持正常使用。",
            "出租汽车驾驶员不得拒载、议价、绕道行驶，不得未经乘客同意搭载他人。",
            "网络预约出租汽车经营者、车辆和驾驶员应当依法取得相应许可，不得以私人小客车合乘名义从事网络预约出租汽车经营。",
            "巡游出租汽车运价实行政府定价，网络预约出租汽车运价实行市场调节价。",
        ],
    ),
    (
        "法律责任",
        [
            "违反本条例规定的行为，法律、法规已有法律责任规定的，从其规定。",
            "违反本条例第十一条规定，公共汽车客运经营者擅自停运、变更线路或者甩站的，由交通运输主管部门责令改正，处一千元以上五千元以下罚款。",
            "违反本条例第十八条规定，出租汽车驾驶员拒载、议价、绕道行驶的，由交通运输主管部门处二百元以上五百元以下罚款。",
            "交通运输主管部门及其工作人员玩忽职守、滥用职权、徇私舞弊的，依法给予处分。",
        ],
    ),
    ("附则", ["本条例自2021年3月1日起施行。"]),
]
TRANSPORT_V2 = (
    {
        11: "公共汽车客运经营者应当按照核定的线路、站点、班次、首末班时间运营，不得擅自停运、变更线路或者甩站。因道路施工等原因需要临时变更的，应当提前三日向社会公告。",
        13: "公共汽车票价实行政府定价。对老年人、残疾人、现役军人、消防救援人员、学生等乘客，按照规定给予免费或者优惠乘车。",
        18: "出租汽车驾驶员不得拒载、议价、绕道行驶，不得未经乘客同意搭载他人；乘客要求使用电子支付的，不得拒绝。",
    },
    {
        9: "市、旗县区人民政府应当统筹城乡客运发展，推进城乡公交一体化，逐步实现公共交通线路向苏木乡镇延伸。",
    },
)
# the 表决稿: cross-references follow the articles' new numbers (numbers of the second draft)
TRANSPORT_V3 = {
    23: "违反本条例第十二条规定，公共汽车客运经营者擅自停运、变更线路或者甩站的，由交通运输主管部门责令改正，处一千元以上五千元以下罚款。",
    24: "违反本条例第十九条规定，出租汽车驾驶员拒载、议价、绕道行驶或者拒绝电子支付的，由交通运输主管部门处二百元以上五百元以下罚款。",
}
TRANSPORT_COMMENTS = [
    (11, "公交线路临时改线应当提前告知乘客。", "adopted", ""),
    (13, "消防救援人员也应当免费乘车。", "adopted", ""),
    (18, "出租车司机不收微信、支付宝的情况较多，建议规定不得拒绝电子支付。", "adopted", ""),
    (9, "公交线路应当延伸到城郊和苏木乡镇。", "partly", "新增第十条作了原则规定，具体线路由规划确定。"),
    (14, "建议公交车全部配备空调。", "not_adopted", "属于经营服务标准，由交通运输主管部门规定。"),
    (19, "网约车合乘应当允许，解决上下班出行。", "not_adopted", "条例禁止的是以合乘名义从事经营，合乘本身不受限制。"),
    (20, "出租车运价多年未调整，建议建立运价动态调整机制。", "not_adopted", "运价调整依照价格法和定价目录执行。"),
    (6, "公共交通专项规划应当征求公众意见。", "not_adopted", "规划编制程序由有关法律法规规定。"),
    (None, "希望增加夜班公交。", "not_adopted", "已转交市交通运输局研究。"),
    (14, "建议明确驾驶员连续驾驶时间。", "not_adopted", "道路交通安全法律法规已有规定。"),
    (12, "站牌应当标注到站时间。", "not_adopted", "已转交市交通运输局在智慧公交建设中研究。"),
    (None, "条例出台后要加强执法。", "partly", "已在第五章中明确执法部门。"),
]


@dataclass
class Plan:
    title: str
    area: str
    drafter: str
    chapters: list
    v2: tuple
    v3: dict
    comments: list
    hidden: dict
    created: date
    involvement: date
    submitted: date
    first: int  # sittings
    second: int
    period: tuple[date, date]
    approved: date
    promulgated: date
    effective: date
    announcement: str
    opinions: list  # (kind, source, article, text)


PLANS = [
    Plan(
        title="巴彦淖尔市农药污染防治条例",
        area=Bill.Area.ECOLOGY,
        drafter="巴彦淖尔市农牧局",
        chapters=PESTICIDE,
        v2=PESTICIDE_V2,
        v3=PESTICIDE_V3,
        comments=PESTICIDE_COMMENTS,
        hidden=PESTICIDE_HIDDEN,
        created=date(2020, 2, 20),
        involvement=date(2020, 3, 5),
        submitted=date(2020, 4, 15),
        first=20,
        second=22,
        period=(date(2020, 5, 8), date(2020, 6, 8)),
        approved=date(2020, 9, 24),
        promulgated=date(2020, 10, 9),
        effective=date(2021, 1, 1),
        announcement="巴彦淖尔市人民代表大会常务委员会公告第10号",
        opinions=[
            ("cppcc", "市政协农业和农村委员会", 18, "建议回收站点延伸到嘎查村，回收经费由财政保障。"),
            ("department", "市生态环境局", 11, "建议对河套灌区灌溉期间渠首附近施药作出限制，防止农药进入黄河支流。"),
            ("member", "常委会组成人员（审议发言）", 13, "建议鼓励保险机构开展统防统治保险，对回收给予补助。"),
            ("department", "市财政局", 18, "同意将回收站点运行费用纳入预算。"),
        ],
    ),
    Plan(
        title="巴彦淖尔市城市客运交通管理条例",
        area=Bill.Area.URBAN,
        drafter="巴彦淖尔市交通运输局",
        chapters=TRANSPORT,
        v2=TRANSPORT_V2,
        v3=TRANSPORT_V3,
        comments=TRANSPORT_COMMENTS,
        hidden={},
        created=date(2020, 4, 7),
        involvement=date(2020, 4, 21),
        submitted=date(2020, 6, 15),
        first=21,
        second=23,
        period=(date(2020, 7, 8), date(2020, 8, 7)),
        approved=date(2020, 11, 26),
        promulgated=date(2020, 12, 8),
        effective=date(2021, 3, 1),
        announcement="巴彦淖尔市人民代表大会常务委员会公告第12号",
        opinions=[
            ("cppcc", "市政协社会和法制委员会", 9, "建议推进城乡公交一体化，线路向苏木乡镇延伸。"),
            ("department", "市公安局交通管理支队", 11, "临时变更线路应当提前公告，并同交管部门沟通。"),
            ("member", "常委会组成人员（审议发言）", 18, "出租汽车应当支持电子支付。"),
        ],
    ),
]

SITTING_DAYS = {20: date(2020, 4, 28), 21: date(2020, 6, 29), 22: date(2020, 8, 27), 23: date(2020, 10, 29)}


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def at(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build(ctx) -> None:
    """The plan first (plan_demo.py); the bills once every builder has run (the sittings and the
    members' accounts are theirs), each started from its formal project of the plan."""
    build_plan(ctx)
    ctx.later.append(lambda: build_bills(ctx))


def _sittings(ctx) -> dict:
    sittings = dict(ctx.refs.get("sittings") or {})
    term = ctx.refs["term"]
    for n, day in SITTING_DAYS.items():
        if n not in sittings:
            sittings[n] = CommitteeMeeting.objects.filter(
                term=term, number=n, kind=CommitteeMeeting.Kind.STANDING_COMMITTEE
            ).first() or core.create_committee_meeting(ctx.admin, term, n, day, day)
    return sittings


def build_bills(ctx) -> None:
    staff = User.objects.get(username="bangongshi")
    sittings = _sittings(ctx)
    for plan in PLANS:
        _bill(ctx, staff, ctx.refs["city"], sittings, plan)


def _bill(ctx, staff, city, sittings, p: Plan) -> Bill:
    # the bill of the plan's formal project (立项 in the 2020 plan), started from it
    item = PlanItem.objects.filter(
        plan__congress=city, plan__kind="plan", plan__year=2020, title__contains=p.title
    ).first()
    with clock.dated(at(p.created)):
        if item is not None:
            bill = plan_services.start_bill(
                item, staff, title=p.title, area=p.area, drafter=p.drafter, readings_required=2
            )
        else:
            bill = services.create_bill(
                staff, congress=city, title=p.title, area=p.area, drafter=p.drafter, readings_required=2
            )
    services.record_early_involvement(
        bill,
        staff,
        f"法制委员会、法工委自{p.involvement:%-m月%-d日}起提前介入{p.drafter}的起草工作，参加起草小组会议和实地调研，"
        "就立法事项范围、与上位法的衔接和法律责任的设定提出意见。",
        at=at(p.involvement),
    )
    v1 = services.add_draft(
        bill,
        upload(f"{p.title}（草案送审稿）.txt", render_draft(p.title, p.chapters)),
        staff,
        note="起草单位送审稿",
        at=at(p.submitted, 9),
    )
    perform(bill, "submit", staff, {}, today=p.submitted)
    meetings.on_agenda(sittings[p.first], bill, "read", staff)
    perform(bill, "read", staff, {"sitting": sittings[p.first].pk}, today=sittings[p.first].start_date)

    # the public comment period on the first draft (LEG-6), comments spread over its days
    opens, closes = p.period
    period = services.open_period(bill, staff, version=v1, opens_on=opens, closes_on=closes)
    comments = []
    days = (closes - opens).days
    for i, (article, text, _handling, _note) in enumerate(p.comments):
        day = opens + timedelta(days=i * days // len(p.comments))
        with clock.dated(at(day, 8 + i % 10)):
            comments.append(
                services.submit_comment(
                    period, text=text, article=article, name=ctx.fake.name() if i % 3 else "", today=day
                )
            )
    for i, (comment, (_a, _t, handling, note)) in enumerate(zip(comments, p.comments, strict=True)):
        if i in p.hidden:
            services.moderate(comment, staff, publish=False, reason=p.hidden[i])
            continue
        services.moderate(comment, staff, publish=True)
        if handling:
            services.handle(comment, staff, handling=handling, note=note)
    opinions = [
        services.record_opinion(
            bill, staff, kind=kind, source=source, article=article, text=text, received_on=closes - timedelta(days=3)
        )
        for kind, source, article, text in p.opinions
    ]
    adopted = sum(1 for c in comments if c.handling == PublicComment.Handling.ADOPTED)
    services.publish_summary(
        period,
        staff,
        f"《{p.title}（草案）》于{opens:%Y年%-m月%-d日}至{closes:%-m月%-d日}在市人大常委会网站公开征求意见，"
        f"共收到意见建议{len(comments)}条。经法制委员会逐条研究，采纳{adopted}条，部分采纳"
        f"{sum(1 for c in comments if c.handling == PublicComment.Handling.PARTLY)}条；"
        "未采纳的，主要是上位法已有规定或者属于实施中的具体问题，已在意见汇总中逐条说明理由。",
        today=closes + timedelta(days=4),
        at=at(closes + timedelta(days=4)),
    )

    # the second draft: adopted comments on the changed articles are cited automatically; the
    # opinions are cited by the staff (each opinion names the article of the first draft it was
    # about: the second draft keeps the numbers up to the added article)
    changed, added = p.v2
    second = revise(p.chapters, changed, added)
    causes = "\n".join(
        f"第{int_to_cn(_renumbered(o.article, added))}条：{_ref(o)}"
        for o in opinions
        if o.article and (o.article in changed or o.article in added)
    )
    services.add_draft(
        bill,
        upload(f"{p.title}（草案修改稿）.txt", render_draft(p.title, second)),
        staff,
        note="一审后根据征求意见修改",
        causes=causes,
        at=at(closes + timedelta(days=12)),
    )
    day2 = sittings[p.second].start_date
    meetings.on_agenda(sittings[p.second], bill, "read", staff)
    perform(
        bill,
        "read",
        staff,
        {"sitting": sittings[p.second].pk},
        {
            "files": [
                upload(
                    "法制委员会关于法规草案审议结果的报告.txt", f"法制委员会关于《{p.title}（草案）》审议结果的报告。"
                )
            ]
        },
        today=day2,
    )
    services.add_draft(
        bill,
        upload(f"{p.title}（草案表决稿）.txt", render_draft(p.title, revise(second, p.v3))),
        staff,
        note="二审后表决稿",
        at=at(day2, 15),
    )
    _vote(ctx, bill, staff, sittings[p.second])
    perform(bill, "submit_approval", staff, {}, today=day2 + timedelta(days=4))
    perform(bill, "approve", staff, {"approving_body": APPROVING_BODY, "approved_on": p.approved}, today=p.approved)
    perform(
        bill,
        "promulgate",
        staff,
        {
            "announcement": p.announcement,
            "enacting_body": ENACTING_BODY,
            "passed_on": day2,
            "approving_body": APPROVING_BODY,
            "approved_on": p.approved,
            "effective_on": p.effective,
        },
        today=p.promulgated,
    )
    return bill


def _renumbered(n: int, added: dict) -> int:
    return n + sum(1 for k in added if k < n) + (1 if n in added else 0)


def _ref(o: Opinion) -> str:
    return {"cppcc": "政协", "department": "部门", "member": "组成人员", "expert": "专家"}[o.kind] + f"意见#{o.pk}"


def _vote(ctx, bill, staff, sitting):
    """A named vote of the members present at the sitting (votes cast by their own accounts): two abstain."""
    agenda = meetings.vote_at_sitting(sitting, bill, "open_vote", staff, {"kind": "named"})
    ballot = motions.ballots_about(bill).get(state="open")
    options = {o.label: o for o in ballot.options.all()}
    voters = meetings.present_voters(ballot)
    ctx.rng.shuffle(voters)
    with clock.dated(ballot.opened_at + timedelta(seconds=20)):
        for i, voter in enumerate(voters):
            label = "弃权" if i < 2 else "赞成"
            ballots.cast(ballot, voter.user, [options[label]], idempotency_key=f"demo-{ballot.pk}-{voter.pk}")
    meetings.close_at_sitting(agenda, staff)
