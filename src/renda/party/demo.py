"""The 2020 party and self-building records behind the seed's figures (sections 一 and 六):
12 central-group study sessions, 5 theory seminars, 2 lectures, 30 collective studies,
1 training of committee members, 6 deputy trainings, 6 trainings held with 550余
participants, 12 reports to and 7 requests for study by the municipal party committee,
10 work rules; 8 pre-studies, one of them linked (涉及) to the filing whose written review
opinion it agreed. Topics are realistic, dates invented; every figure is counted from them."""

from datetime import date, timedelta

from renda.core.models import CommitteeMember, Deputy
from renda.workflow.links import find_cases

from . import services
from .models import PartyReport, PreStudy, StudySession, Training, WorkRule

CENTRAL_TOPICS = [
    "传达学习习近平总书记在全国两会期间的重要讲话精神",
    "学习《中国共产党党组工作条例》",
    "学习习近平总书记关于统筹推进疫情防控和经济社会发展的重要论述",
    "学习习近平总书记参加内蒙古代表团审议时的重要讲话精神",
    "学习《习近平谈治国理政》第三卷",
    "学习习近平总书记关于坚持和完善人民代表大会制度的重要思想",
    "学习中央人大工作会议精神（专题研讨准备）",
    "学习习近平总书记在中央第七次西藏工作座谈会上的重要讲话",
    "学习党的十九届五中全会精神",
    "学习《中华人民共和国民法典》",
    "学习习近平法治思想",
    "学习自治区党委十届十三次全会精神",
]
SEMINARS = [
    "坚持和完善人民代表大会制度理论研讨",
    "新时代地方人大监督工作创新研讨",
    "设区的市立法质量提升研讨",
    "人大代表作用发挥机制研讨",
    "预算联网监督与全口径审查研讨",
]
LECTURES = [
    ("《中华人民共和国民法典》专题辅导", "自治区人大常委会法工委专家"),
    ("党的十九届五中全会精神专题辅导", "市委党校教授"),
]
REPORTS = [
    "市人大常委会2020年工作要点",
    "疫情防控期间人大工作安排",
    "市四届人大三次会议筹备情况",
    "2020年立法计划执行情况",
    "《巴彦淖尔市农药污染防治条例》审议情况",
    "《巴彦淖尔市城市客运交通管理条例》审议情况",
    "常委会2020年监督工作计划执行情况",
    "专题询问工作开展情况",
    "人事任免工作情况",
    "代表建议办理情况",
    "民生实事项目人大代表票决制试点情况",
    "市人大常委会2020年工作总结",
]
REQUESTS = [
    "2020年立法计划编制",
    "2020年监督工作计划",
    "大气污染防治专题询问方案",
    "审计查出问题整改专题询问方案",
    "民生实事项目人大代表票决制实施意见",
    "2021年立法计划编制",
    "市四届人大四次会议有关事项",
]
PRE_STUDIES = [
    "2020年立法计划（草案）",
    "2020年监督工作计划（草案）",
    "人事任免事项",
    "专题询问实施方案",
    "民生实事项目票决办法",
    "预算联网监督系统建设方案",
    "代表建议重点督办事项",
]
# the party group agrees the written review opinion before it is sent (filing demo: 07.txt,
# registered on 22 June, opinion sent in July)
OPINION_STUDY = (
    date(2020, 7, 2),
    "关于《巴彦淖尔市中心城区巡游出租汽车管理办法》书面审查意见的前置研究",
    "同意法制工作委员会的审查意见：该办法设定的服务质量保证金没有法律、行政法规依据，"
    "按程序向市人民政府发出书面审查意见，督促其纠正。",
    "巴彦淖尔市人民政府关于印发巴彦淖尔市中心城区巡游出租汽车管理办法的通知",
)
RULES = [
    ("市人大常委会党组工作规则", "revised"),
    ("常委会组成人员审议发言通报制度", "made"),
    ("代表建议办理工作办法", "revised"),
    ("规范性文件备案审查工作规程", "revised"),
    ("审议意见研究处理情况跟踪监督办法", "made"),
    ("问题清单台账管理和限时销号办法", "made"),
    ("人大代表履职档案管理办法", "made"),
    ("组成人员联系代表办法", "revised"),
    ("机关公文处理办法", "revised"),
    ("预算联网监督工作规程", "made"),
]


def build(ctx) -> None:
    admin, city = ctx.admin, ctx.refs["city"]
    office = ctx.refs["bodies"]["办公室"]

    def study(kind, day, topic, speaker=""):
        services.save_register(
            admin, StudySession(congress=city, kind=kind, date=day, topic=topic, speaker=speaker, body=office)
        )

    for month, topic in enumerate(CENTRAL_TOPICS, start=1):
        study(StudySession.Kind.CENTRAL_GROUP, date(2020, month, 20), topic)
    for n, topic in enumerate(SEMINARS):
        study(StudySession.Kind.SEMINAR, date(2020, 3 + 2 * n, 12), topic)
    for n, (topic, speaker) in enumerate(LECTURES):
        study(StudySession.Kind.LECTURE, date(2020, 6 + 5 * n, 9), topic, speaker)
    day = date(2020, 1, 8)
    for n in range(30):  # fortnightly collective study of the offices, except in the holidays
        study(
            StudySession.Kind.COLLECTIVE, day, f"机关集体学习（第{n + 1}次）：{CENTRAL_TOPICS[n % len(CENTRAL_TOPICS)]}"
        )
        day += timedelta(days=12)

    members = [m.person for m in CommitteeMember.objects.filter(congress=city).select_related("person")]
    deputies = [d.person for d in Deputy.objects.filter(congress=city).select_related("person").order_by("id")]
    trainings = [
        ("常委会组成人员履职能力专题培训班", Training.Audience.MEMBERS, date(2020, 7, 14), True, members[:36]),
        ("市人大代表履职学习培训班（第一期）", Training.Audience.DEPUTIES, date(2020, 6, 16), True, deputies[0:104]),
        ("市人大代表履职学习培训班（第二期）", Training.Audience.DEPUTIES, date(2020, 7, 21), True, deputies[104:208]),
        ("市人大代表履职学习培训班（第三期）", Training.Audience.DEPUTIES, date(2020, 8, 18), True, deputies[196:300]),
        ("基层人大代表专题培训班（乌拉特前旗）", Training.Audience.DEPUTIES, date(2020, 9, 22), True, deputies[50:154]),
        ("新任人大代表初任培训班", Training.Audience.DEPUTIES, date(2020, 10, 27), True, deputies[150:254]),
        (
            "自治区人大代表履职培训班（巴彦淖尔市代表参训）",
            Training.Audience.DEPUTIES,
            date(2020, 11, 10),
            False,
            deputies[0:20],
        ),
    ]
    for title, audience, start, hosted, people in trainings:
        training = Training(
            congress=city,
            title=title,
            audience=audience,
            start_date=start,
            end_date=start + timedelta(days=2),
            place="巴彦淖尔市委党校" if hosted else "呼和浩特市",
            organizer="巴彦淖尔市人大常委会" if hosted else "内蒙古自治区人大常委会",
            hosted=hosted,
        )
        services.save_training(admin, training, people)

    for n, matter in enumerate(REPORTS):
        services.save_register(
            admin,
            PartyReport(
                congress=city,
                kind=PartyReport.Kind.REPORT,
                date=date(2020, n + 1, 25),
                matter=f"关于{matter}的报告",
                document_number=f"巴人常党报〔2020〕{n + 1}号",
            ),
        )
    for n, matter in enumerate(REQUESTS):
        services.save_register(
            admin,
            PartyReport(
                congress=city,
                kind=PartyReport.Kind.REQUEST,
                date=date(2020, 1 + n * 2 if n < 6 else 12, 10),
                matter=f"关于{matter}的请示",
                document_number=f"巴人常党请〔2020〕{n + 1}号",
            ),
        )
    for n, matter in enumerate(PRE_STUDIES):
        services.save_register(
            admin,
            PreStudy(
                congress=city,
                date=date(2020, 1 + n, 6),
                matter=matter,
                conclusion="原则同意，按程序提请主任会议（常委会会议）审议。",
            ),
        )
    day, matter, conclusion, case_title = OPINION_STUDY
    opinion_study = services.save_register(
        admin, PreStudy(congress=city, date=day, matter=matter, conclusion=conclusion)
    )

    def link_opinion_study():  # once the filing demo has filed the document
        found = find_cases(admin, case_title, congress=city)
        if found:
            services.save_prestudy(admin, opinion_study, found[0])

    ctx.later.append(link_opinion_study)
    for n, (title, action) in enumerate(RULES):
        services.save_register(
            admin,
            WorkRule(
                congress=city, title=title, action=action, adopted_on=date(2020, 2 + n, 15), adopted_by="主任会议"
            ),
        )
