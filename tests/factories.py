"""A small congress world for tests, built through Renda's services like the demo.

    city ─┬─ county_a (临河区) ── township_a
          └─ county_b (五原县)

with one account per role; `world.users[role]` gives them. Units: unit_a and unit_b
(two city departments), county_unit (a county government)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from renda.core import access, services
from renda.core.models import Body, CommitteeMember, Congress, Deputy, HandlingUnit, Role, User

PASSWORD = "Test-Passw0rd!"


@dataclass
class World:
    admin: User
    city: Congress
    county_a: Congress
    county_b: Congress
    township_a: Congress
    term: object
    county_term: object
    office: Body
    county_office: Body
    unit_a: HandlingUnit
    unit_b: HandlingUnit
    county_unit: HandlingUnit
    deputy: Deputy
    other_deputy: Deputy
    ended_deputy: Deputy
    county_deputy: Deputy
    member: CommitteeMember
    users: dict = field(default_factory=dict)
    # named sample records (add_samples): "suggestion", "filing", "proposal", …
    samples: dict = field(default_factory=dict)


def person(admin, name, **extra):
    fields = dict(
        name=name,
        gender="M",
        ethnicity="汉族",
        birth_date=date(1970, 1, 1),
        party="中共党员",
        education="大学",
        workplace="某单位",
        mobile="13800000000",
    )
    fields.update(extra)
    return services.create_person(admin, **fields)


def build_world() -> World:
    admin = User.objects.create_superuser("root", password=PASSWORD, display_name="超级管理员")
    city = services.create_congress(admin, code="150800000000", region="巴彦淖尔市", level="city")
    county_a = services.create_congress(admin, code="150802000000", region="临河区", level="county", parent=city)
    county_b = services.create_congress(admin, code="150821000000", region="五原县", level="county", parent=city)
    township_a = services.create_congress(
        admin,
        code="150802100000",
        region="临河区狼山镇",
        level="township",
        parent=county_a,
        has_standing_committee=False,
    )
    term = services.create_term(admin, city, 4, date(2017, 1, 6))
    county_term = services.create_term(admin, county_a, 10, date(2016, 12, 20))
    services.create_plenary_session(admin, term, 3, date(2020, 5, 9), date(2020, 5, 11))
    office = services.create_body(admin, city, "巴彦淖尔市人大常委会办公室", "办公室", Body.Kind.OFFICE)
    county_office = services.create_body(admin, county_a, "临河区人大常委会办公室", "办公室", Body.Kind.OFFICE)
    gov = services.create_handling_unit(admin, city, "巴彦淖尔市人民政府", "市政府", HandlingUnit.Kind.GOVERNMENT)
    unit_a = services.create_handling_unit(
        admin, city, "巴彦淖尔市教育局", "市教育局", HandlingUnit.Kind.DEPARTMENT, parent=gov
    )
    unit_b = services.create_handling_unit(
        admin, city, "巴彦淖尔市住房和城乡建设局", "市住建局", HandlingUnit.Kind.DEPARTMENT, parent=gov
    )
    county_unit = services.create_handling_unit(
        admin, county_a, "临河区人民政府", "临河区政府", HandlingUnit.Kind.GOVERNMENT
    )
    delegation = services.create_delegation(admin, term, "临河区代表团")
    deputy = services.create_deputy(
        admin,
        person=person(admin, "王代表", mobile="13900000001"),
        term=term,
        elected_date=term.start_date,
        delegation=delegation,
    )
    other_deputy = services.create_deputy(
        admin,
        person=person(admin, "李代表", mobile="13900000002"),
        term=term,
        elected_date=term.start_date,
        delegation=delegation,
    )
    ended_deputy = services.create_deputy(
        admin, person=person(admin, "赵代表"), term=term, elected_date=term.start_date
    )
    services.end_mandate(admin, ended_deputy, date(2019, 6, 1), "调离本行政区域")
    county_deputy = services.create_deputy(
        admin, person=person(admin, "孙代表"), term=county_term, elected_date=county_term.start_date
    )
    member = services.create_committee_member(
        admin,
        term=term,
        person=person(admin, "周主任"),
        position=CommitteeMember.Position.CHAIR,
        start_date=term.start_date,
    )
    world = World(
        admin=admin,
        city=city,
        county_a=county_a,
        county_b=county_b,
        township_a=township_a,
        term=term,
        county_term=county_term,
        office=office,
        county_office=county_office,
        unit_a=unit_a,
        unit_b=unit_b,
        county_unit=county_unit,
        deputy=deputy,
        other_deputy=other_deputy,
        ended_deputy=ended_deputy,
        county_deputy=county_deputy,
        member=member,
    )

    def account(key, roles, person=None):
        world.users[key] = services.create_account(
            admin, username=key, password=PASSWORD, display_name=key, person=person, roles=roles
        )

    account("admin", [dict(role=Role.ADMIN, congress=city)])
    account("staff", [dict(role=Role.STAFF, congress=city, body=office)])
    account("county_staff", [dict(role=Role.STAFF, congress=county_a, body=county_office)])
    account(
        "director",
        [dict(role=Role.DIRECTOR, congress=city), dict(role=Role.MEMBER, congress=city)],
        person=member.person,
    )
    account("member", [dict(role=Role.MEMBER, congress=city)])
    account("deputy", [dict(role=Role.DEPUTY, congress=city, deputy=deputy)], person=deputy.person)
    account("other_deputy", [dict(role=Role.DEPUTY, congress=city, deputy=other_deputy)], person=other_deputy.person)
    account("unit", [dict(role=Role.UNIT, congress=city, handling_unit=unit_a)])
    account("other_unit", [dict(role=Role.UNIT, congress=city, handling_unit=unit_b)])
    account("noroles", [])
    # 三员分立: the security and audit administrators (appointed by the superuser)
    account("security", [dict(role=Role.SECURITY, congress=city)])
    account("auditor", [dict(role=Role.AUDITOR, congress=city)])
    return world


ROLES = list(access.ROLES)

SUGGESTION_TEXT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)
FILING_TEXT = """巴彦淖尔市人民政府关于加强城区扬尘污染防治工作的通知

各旗县区人民政府，市直各有关部门：
为改善城区环境空气质量，根据《中华人民共和国大气污染防治法》，现就加强城区扬尘污染防治工作通知如下。
一、施工单位应当在施工工地设置硬质围挡，并采取覆盖、洒水抑尘等有效防尘降尘措施。
二、本通知自2020年5月1日起施行。
"""


def add_samples(world: World) -> World:
    """One sample record of each case type and of what the routes need, built through the
    services, named in `world.samples` (the authorization matrix builds URLs from them):

    suggestion   registered, published, assigned to unit_a and signed (办理中), by deputy
    draft        a draft suggestion of deputy
    filing       filed by the city government (account "gov_clerk"), registered and published
    proposal     a review proposal received by the city
    deputy_person  the deputy's Person (a mobile: personal data)
    token        an API token of staff
    study, training, report, prestudy, rule   one record of each party register (city)
    text_version the filing's text as a stored file (version 1 of its 备案文件文本)
    ballot       an open secret ballot of the city's deputies
    expert       an expert of the city's think tank (法学, a mobile)
    expert_assignment  that expert assigned to the filing
    <case type>_<state>   a case in each further state the case API's transitions start from
                 (add_case_samples)
    """
    from renda.filing import services as filing_services
    from renda.party import services as party_services
    from renda.party.models import PartyReport, PreStudy, StudySession, Training, WorkRule
    from renda.suggestions import services as suggestion_services
    from renda.workflow.engine import perform

    admin, staff, city = world.admin, world.users["staff"], world.city
    gov = HandlingUnit.objects.get(congress=city, kind=HandlingUnit.Kind.GOVERNMENT)
    world.users["gov_clerk"] = services.create_account(
        admin,
        username="gov_clerk",
        password=PASSWORD,
        display_name="市政府法制科",
        roles=[dict(role=Role.UNIT, congress=city, handling_unit=gov)],
    )

    def draft(title):
        return suggestion_services.save_draft(
            world.users["deputy"],
            lead=world.deputy,
            title=title,
            content=SUGGESTION_TEXT,
            category="农牧水利",
            cosigners=[],
        )

    day = date(2020, 5, 10)
    s = draft("关于加快农村饮水工程改造的建议")
    perform(s, "submit", world.users["deputy"], today=day)
    perform(s, "register", staff, {"category": "农牧水利", "published": "on"}, today=day)
    perform(s, "assign", staff, {"lead_unit": world.unit_a.pk, "period": "3"}, today=day)
    perform(s, "sign", world.users["unit"], today=day)
    world.samples["suggestion"] = s
    world.samples["draft"] = draft("关于改善城区停车难问题的建议")

    filing = filing_services.file_document(
        world.users["gov_clerk"],
        {
            "filer": f"unit:{gov.pk}",
            "kind": "government",
            "title": "巴彦淖尔市人民政府关于加强城区扬尘污染防治工作的通知",
            "document_number": "巴政发〔2020〕12号",
            "adopted_on": date(2020, 4, 16),
            "published_on": date(2020, 4, 20),
            "drafting_explanation": "为落实大气污染防治法，经征求意见和合法性审查，制定本通知。",
            "legal_basis": "《中华人民共和国大气污染防治法》",
            "text": FILING_TEXT,
        },
        today=date(2020, 5, 6),
    )
    perform(filing, "register", staff, {"committee": world.office.pk, "published": "on"}, today=date(2020, 5, 8))
    world.samples["filing"] = filing
    world.samples["proposal"] = filing_services.receive_proposal(
        city,
        {
            "proposer": "张三",
            "proposer_kind": "citizen",
            "contact": "13700000000",
            "address": "巴彦淖尔市临河区",
            "document_title": filing.title,
            "document_number": filing.document_number,
            "issue": "扬尘治理措施的规定是否超越权限。",
            "reasons": "建议审查该通知是否符合上位法。",
        },
        today=date(2020, 6, 1),
    )

    world.samples["deputy_person"] = world.deputy.person  # personal data: the deputy's mobile
    world.samples["token"], _ = services.issue_api_token(staff, "统计接口")
    world.samples["study"] = party_services.save_register(
        admin, StudySession(congress=city, kind=StudySession.Kind.CENTRAL_GROUP, date=day, topic="学习宪法")
    )
    world.samples["training"] = party_services.save_training(
        admin,
        Training(
            congress=city,
            title="代表履职学习培训班",
            audience=Training.Audience.DEPUTIES,
            start_date=day,
            end_date=day,
            organizer="巴彦淖尔市人大常委会",
            hosted=True,
        ),
        [],
    )
    world.samples["report"] = party_services.save_register(
        admin, PartyReport(congress=city, kind="report", date=day, matter="关于工作的报告")
    )
    world.samples["prestudy"] = party_services.save_register(
        admin, PreStudy(congress=city, date=day, matter="年度工作要点")
    )
    world.samples["rule"] = party_services.save_register(
        admin, WorkRule(congress=city, title="审议发言通报制度", action="made", adopted_on=day, adopted_by="主任会议")
    )

    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.ballots import services as ballot_services
    from renda.workflow import documents

    # the filed text as a stored file (downloaded through the one download view)
    upload = SimpleUploadedFile("扬尘污染防治通知.txt", FILING_TEXT.encode("utf-8"), content_type="text/plain")
    world.samples["text_version"] = documents.add_version(filing, "text", upload, world.users["gov_clerk"])
    # an open secret ballot of the city's deputies (the roll: deputy and other_deputy)
    ballot = ballot_services.create_ballot(
        staff,
        congress=city,
        title="关于2021年民生实事项目的票决",
        rule="majority_of_all",
        voters=ballot_services.deputy_roll(world.term),
    )
    world.samples["ballot"] = ballot_services.open_ballot(staff, ballot)
    # the city's think tank: one expert, assigned to the sample filing
    from renda.experts import services as expert_services
    from renda.experts.models import Expert

    law = expert_services.add_field(admin, city, "法学")
    expert = Expert(congress=city, title="教授", workplace="内蒙古大学法学院", mobile="13600000001", appointed_on=day)
    world.samples["expert"] = expert_services.save_expert(admin, expert, [law], name="高立明", gender="M")
    (world.samples["expert_assignment"],) = expert_services.assign(filing, [expert], staff, on=date(2020, 5, 9))
    # the deputy's own activity, recorded by hand (待确认): deputies' archive (issue 15)
    from renda.deputies import services as deputy_services

    world.samples["activity"] = deputy_services.record_activity(
        world.users["deputy"],
        world.deputy,
        kind="contact",
        on=date(2020, 6, 1),
        place="狼山镇村委会",
        people_reached=30,
    )
    add_station_samples(world)
    # the deputy's contact with constituents, a matter raised and a constituent's phone (双联系)
    from renda.deputies import contacts as contact_services

    world.samples["contact"] = contact_services.record_contact(
        world.users["deputy"],
        kind="constituents",
        deputy=world.deputy,
        on=date(2020, 6, 2),
        place="狼山镇新建村",
        way="forum",
        people_reached=12,
        matters="村里的灌溉渠年久失修，希望列入明年水利项目。",
        constituent="王大爷 13912345678",
    )
    add_report_back_samples(world)
    add_supervision_plan_samples(world)
    add_case_samples(world)
    add_supervision_samples(world)
    add_supervision_case_samples(world)
    add_legislation_samples(world)
    add_legislation_plan_samples(world)
    add_appointment_samples(world)
    add_decision_samples(world)
    add_meeting_samples(world)
    return world


def add_station_samples(world: World) -> World:
    """A liaison station of the city, the deputy's 码上见代表 code and a message left through it."""
    from renda.deputies import stations as station_services
    from renda.deputies.models import LiaisonStation

    station = LiaisonStation(
        congress=world.city, name="临河区代表联络站", township="临河区车站街道", address="临河区胜利路1号"
    )
    world.samples["station"] = station_services.save_record(world.users["staff"], station)
    code = station_services.code_for(world.deputy)
    world.samples["meet_code"] = code
    world.samples["meet_message"] = station_services.receive_message(
        code, {"text": "小区门前路灯坏了很久，晚上出行不便。", "name": "王五", "contact": "13800001234"}
    )
    return world


DRAFT_V1 = "第一条　为了保护历史文化街区，制定本条例。\n第二条　本市行政区域内历史文化街区的保护，适用本条例。\n第三条　市人民政府负责历史文化街区保护工作。\n"
DRAFT_V2 = (
    "第一条　为了加强历史文化街区的保护和利用，制定本条例。\n"
    "第二条　本市行政区域内历史文化街区的保护，适用本条例。\n"
    "第三条　市人民政府负责历史文化街区保护工作，区人民政府负责本辖区的保护工作。\n"
    "第四条　任何单位和个人都有保护历史文化街区的义务。\n"
)


def add_voting_members(world: World, names=("赵委员", "钱委员")) -> list:
    """Members of the city's standing committee with accounts `m0`, `m1`, … (browser paths in
    which members vote from their own pages)."""
    admin, users = world.admin, []
    for i, name in enumerate(names):
        person = services.create_person(admin, name=name, gender="M")
        services.create_committee_member(
            admin, term=world.term, person=person, position=CommitteeMember.Position.MEMBER,
            start_date=world.term.start_date,
        )  # fmt: skip
        users.append(services.create_account(
            admin, username=f"m{i}", password=PASSWORD, display_name=name, person=person,
            roles=[dict(role="member", congress=world.city)],
        ))  # fmt: skip
    return users


def add_legislation_samples(world: World) -> None:
    """Bills of the city, one in each state a transition of the case API starts from (named
    `bill_<state>`), the ones past drafting with two drafts; a published comment period open
    around today on the second draft (`comment_period`) with a published comment
    (`public_comment`, with a contact, cited by article 3 of the second draft: `bill_cause`)
    and a pending one; an unpublished period (`comment_period_draft`); a promulgated
    regulation (`bill_promulgated`)."""
    from renda.ballots import motions
    from renda.ballots import services as ballot_services
    from renda.legislation import services as legislation
    from renda.legislation.models import Bill
    from renda.workflow.engine import perform

    staff, admin = world.users["staff"], world.users["admin"]
    sitting = world.samples["sitting"]  # add_supervision_case_samples: 2020-10-09
    day = date(2020, 10, 9)

    def vote(bill):
        ballot = motions.ballots_about(bill).get(state="open")
        for voter in ballot.voters.select_related("user"):
            option = ballot.options.get(label="赞成")
            ballot_services.cast(ballot, voter.user, [option.pk], idempotency_key=f"sample-{voter.pk}")

    def bill(state, *steps, n=0):
        case = legislation.create_bill(
            staff,
            congress=world.city,
            title=f"样例市历史文化街区保护条例{state}",
            area=Bill.Area.HERITAGE,
            drafter="市文化和旅游局",
            readings_required=2,
        )
        legislation.add_draft(case, DRAFT_V1, staff, note="起草单位送审稿")
        legislation.add_draft(case, DRAFT_V2, staff, note="修改稿")
        for key, data, *files in steps:
            if key == "vote":
                vote(case)
                continue
            perform(case, key, staff, data, {"files": files[0]} if files else None, today=day)
        world.samples[f"bill_{state}"] = case
        return case

    def report():
        from django.core.files.uploadedfile import SimpleUploadedFile

        return [
            SimpleUploadedFile(
                "审议结果的报告.txt", "法制委员会关于审议结果的报告。".encode(), content_type="text/plain"
            )
        ]

    submit = ("submit", {})
    read1 = ("read", {"sitting": sitting.pk})
    read2 = ("read", {"sitting": sitting.pk}, report())
    bill("drafting")
    bill("submitted", submit)
    bill("reading", submit, read1)
    bill("ready", submit, read1, ("read", {"sitting": sitting.pk}, report()))
    bill("voting", submit, read1, ("read", {"sitting": sitting.pk}, report()), ("open_vote", {"kind": "secret"}))
    heard = (submit, read1, read2, ("open_vote", {"kind": "named"}), ("vote", {}), ("close_vote", {}))
    bill("passed", *heard)
    bill("approval", *heard[:2], ("read", {"sitting": sitting.pk}, report()), *heard[3:], ("submit_approval", {}))
    approved = bill(
        "approved",
        *heard[:2],
        ("read", {"sitting": sitting.pk}, report()),
        *heard[3:],
        ("submit_approval", {}),
        ("approve", {"approving_body": "内蒙古自治区人大常委会", "approved_on": "2020-12-01"}),
    )
    version = legislation.drafts(approved).last()
    today = timezone.localdate()
    period = legislation.open_period(
        approved, staff, version=version, opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=30)
    )
    world.samples["comment_period"] = period
    comment = legislation.submit_comment(
        period, text="建议明确街区内建筑修缮的补助标准。", article=3, contact="13900000009"
    )
    world.samples["public_comment"] = legislation.moderate(comment, admin, publish=True)
    legislation.submit_comment(period, text="建议增加公众参与的规定。")
    # a cause of article 3 of the second draft: the published comment (legislation:cause_remove)
    world.samples["bill_cause"] = legislation.add_cause(approved, version, 3, world.samples["public_comment"], staff)
    # a promulgated regulation (公告): public on /legislation/regulations/
    bill(
        "promulgated",
        *heard[:2],
        ("read", {"sitting": sitting.pk}, report()),
        *heard[3:],
        ("submit_approval", {}),
        ("approve", {"approving_body": "内蒙古自治区人大常委会", "approved_on": "2020-10-09"}),
        (
            "promulgate",
            {
                "announcement": "第1号",
                "enacting_body": "样例市人大常委会",
                "passed_on": "2020-10-09",
                "approving_body": "内蒙古自治区人大常委会",
                "approved_on": "2020-10-09",
                "effective_on": "2021-03-01",
            },
        ),
    )
    world.samples["comment_period_draft"] = legislation.open_period(
        world.samples["bill_reading"],
        staff,
        version=legislation.drafts(world.samples["bill_reading"]).last(),
        opens_on=today,
        closes_on=today + timedelta(days=30),
        published=False,
    )


def add_legislation_plan_samples(world: World) -> None:
    """lp_plan: the city's 2020 legislative plan, adopted and published, with a formal project
    (lp_item) accepted from unit_a's need (lp_need_accepted); lp_plan_draft: the 2021 plan, a draft;
    lp_plan_adopted: the 2021—2025 programme, adopted at lp_meeting (a directors' meeting), not published;
    lp_need: unit_a's (市教育局) need awaiting appraisal; lp_need_public: one from the public."""
    from renda.core.models import CommitteeMeeting
    from renda.legislation import plan_services
    from renda.legislation.models import Bill
    from renda.workflow.engine import perform

    admin, staff, city = world.admin, world.users["staff"], world.city
    meeting = services.create_committee_meeting(
        admin, world.term, 6, date(2020, 1, 10), kind=CommitteeMeeting.Kind.DIRECTORS_MEETING
    )
    plan = plan_services.create_plan(staff, city, 2020, on=date(2020, 1, 6))

    def need(title, **extra):
        return plan_services.record_need(
            staff,
            city,
            source="government",
            unit=world.unit_a,
            title=title,
            area=Bill.Area.URBAN,
            reason="校园周边交通和安全问题突出，需要以地方性法规规范。",
            **extra,
        )

    accepted = need("样例市校园周边安全管理条例", on=date(2020, 1, 3))
    perform(
        accepted,
        "accept",
        staff,
        {"plan": plan.pk, "category": "formal", "drafter": "市教育局"},
        today=date(2020, 1, 8),
    )
    perform(plan, "adopt", staff, {"meeting": meeting.pk}, today=date(2020, 1, 10))
    perform(plan, "publish", staff, {}, today=date(2020, 1, 16))
    world.samples.update(
        lp_plan=plan,
        lp_item=plan.items.get(),
        lp_need_accepted=accepted,
        lp_need=need("样例市学前教育条例", on=date(2020, 3, 2)),
        lp_need_public=plan_services.submit_need(
            city,
            {
                "title": "样例市养犬管理条例",
                "area": Bill.Area.GRASSROOTS,
                "reason": "犬只扰民伤人问题多，建议立法规范。",
                "contact": "13900001234",
            },
            today=date(2020, 3, 3),
        ),
        lp_plan_draft=plan_services.create_plan(staff, city, 2021, on=date(2020, 11, 2)),
        lp_plan_adopted=plan_services.create_plan(
            staff, city, 2021, kind="programme", title="样例市2021—2025年立法规划", on=date(2020, 11, 2)
        ),
        lp_meeting=meeting,
    )
    perform(world.samples["lp_plan_adopted"], "adopt", staff, {"meeting": meeting.pk}, today=date(2020, 11, 20))


def add_supervision_plan_samples(world: World) -> None:
    """sup_plan: the city's 2020 supervision plan, adopted by a directors' meeting and published,
    with a published investigation (sup_item, concluded) and a work report not published
    (sup_item_private); sup_plan_draft: the city's 2021 plan, a draft. The body in charge is a
    working committee (sup_body); the sitting and the directors' meeting are of the city's term."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.core.models import CommitteeMeeting
    from renda.supervision import services as supervision
    from renda.workflow.engine import perform

    admin, staff, city = world.admin, world.users["staff"], world.city
    body = services.create_body(
        admin, city, "巴彦淖尔市人大常委会财政经济工作委员会", "财经工委", Body.Kind.WORKING_COMMITTEE
    )
    meeting = services.create_committee_meeting(
        admin, world.term, 5, date(2020, 2, 20), kind=CommitteeMeeting.Kind.DIRECTORS_MEETING
    )
    sitting = services.create_committee_meeting(admin, world.term, 22, date(2020, 12, 18))
    plan = supervision.create_plan(staff, city, 2020, text="围绕全市中心工作确定监督重点。", on=date(2020, 2, 10))
    item = supervision.add_item(
        staff,
        plan,
        "investigation",
        title="关于全市义务教育均衡发展情况的调研",
        body=body,
        organ=world.unit_a,
        on=date(2020, 2, 12),
    )
    private = supervision.add_item(
        staff,
        plan,
        "work_report",
        title="关于全市公共卫生体系建设情况的报告",
        body=body,
        organ=world.unit_b,
        sitting=sitting,
        on=date(2020, 2, 12),
    )
    perform(plan, "adopt", staff, {"meeting": meeting.pk}, today=date(2020, 2, 20))
    perform(plan, "publish", staff, {}, today=date(2020, 2, 24))
    upload = SimpleUploadedFile("调研报告.txt", "关于全市义务教育均衡发展情况的调研报告。".encode(), "text/plain")
    perform(item, "start", staff, {"team": [world.member.pk]}, today=date(2020, 4, 8))
    perform(item, "report", staff, {}, {"files": [upload]}, today=date(2020, 5, 12))
    perform(item, "conclude", staff, {"publish": "on"}, today=date(2020, 5, 20))
    world.samples.update(
        sup_body=body,
        sup_plan=plan,
        sup_item=item,
        sup_item_private=private,
        sup_plan_draft=supervision.create_plan(staff, city, 2021, on=date(2020, 11, 2)),
    )


def add_supervision_samples(world: World) -> None:
    """Supervision items of the city about unit_a (市教育局), one of each kind, for the pages'
    declarations (supervision/expected.py):

    supervision_report         a work report scheduled for a sitting (待报送报告初稿), not published
    supervision_inspection     a law-enforcement inspection, planned
    supervision_investigation  an investigation concluded and published (everyone signed in reads it)
    supervision_inquiry        a special inquiry, planned
    supervision_interpellation a 质询案 of five members (four more members, with accounts, join
                               the committee: a satisfaction vote's roll needs everyone's account)
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.supervision import services as supervision
    from renda.workflow.engine import perform

    admin, staff, city, samples = world.admin, world.users["staff"], world.city, world.samples
    day = date(2020, 3, 2)
    body = services.create_body(
        admin, city, "巴彦淖尔市人大常委会教育科学文化卫生工作委员会", "教科文卫工委", Body.Kind.WORKING_COMMITTEE
    )
    sitting = services.create_committee_meeting(admin, world.term, 21, date(2020, 10, 9))
    common = dict(congress=city, body=body, organ=world.unit_a, on=day)
    report = supervision.add_item(staff, None, "work_report", title="关于全市义务教育均衡发展情况的报告", **common)
    perform(report, "schedule", staff, {"sitting": sitting.pk}, today=day)
    samples["supervision_report"] = report
    samples["supervision_inspection"] = supervision.add_item(
        staff, None, "law_inspection", title="教育法执法检查", law_title="《中华人民共和国教育法》", **common
    )
    investigation = supervision.add_item(staff, None, "investigation", title="关于学前教育的专题调研", **common)
    perform(investigation, "start", staff, {"team": [world.member.pk]}, today=day)
    upload = SimpleUploadedFile("调研报告.txt", "关于学前教育的调研报告。".encode(), content_type="text/plain")
    perform(investigation, "report", staff, {}, {"files": [upload]}, today=date(2020, 4, 1))
    perform(investigation, "conclude", staff, {"publish": "on"}, today=date(2020, 4, 2))
    samples["supervision_investigation"] = investigation
    samples["supervision_inquiry"] = supervision.add_item(
        staff, None, "inquiry", title="关于校园安全的专题询问", **common
    )
    samples["supervision_question"] = supervision.add_question(
        staff, samples["supervision_inquiry"], world.member.person, "校园周边交通安全隐患何时整治？", "教育局局长",
        promises="年底前完成校园周边交通设施改造。",
    )  # fmt: skip
    members = [world.member]
    for n in range(1, 5):
        p = person(admin, f"委员{n}号")
        members.append(
            services.create_committee_member(
                admin,
                term=world.term,
                person=p,
                position=CommitteeMember.Position.MEMBER,
                start_date=world.term.start_date,
            )
        )
        services.create_account(
            admin, username=f"weiyuan{n}", password=PASSWORD, display_name=f"委员{n}号", person=p,
            roles=[dict(role=Role.MEMBER, congress=city)],
        )  # fmt: skip
    samples["supervision_interpellation"] = supervision.propose_interpellation(
        staff,
        city,
        title="关于校舍安全问题的质询案",
        organ=world.unit_a,
        questions="部分校舍存在安全隐患，整改为何迟迟未完成？",
        proposers=members,
        body=body,
        on=day,
    )


def add_supervision_case_samples(world: World) -> None:
    """A supervision item of each kind in each state a transition of the case API starts from
    (named `<case type>_<state>`), reported by unit_a, not published; a plan drafted and one
    adopted. The deliberation loop is driven on work reports (other kinds declare it on a state
    that does not allow it)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.core.models import CommitteeMeeting
    from renda.supervision import services as supervision
    from renda.supervision.models import Interpellation
    from renda.workflow.engine import perform

    staff, unit, director, admin = (world.users[r] for r in ("staff", "unit", "director", "admin"))
    samples = world.samples
    sitting = services.create_committee_meeting(admin, world.term, 23, date(2020, 10, 9))
    meeting = services.create_committee_meeting(
        admin, world.term, 40, date(2020, 1, 20), kind=CommitteeMeeting.Kind.DIRECTORS_MEETING
    )
    world.samples["sitting"], world.samples["directors_meeting"] = sitting, meeting
    day = date(2020, 6, 1)

    def moved(case, *steps):
        for key, by, data, *files in steps:
            perform(case, key, by, data, {"files": files[0]} if files else None, today=day)
        return case

    def upload():
        return [SimpleUploadedFile("报告.txt", "关于有关工作情况的报告。".encode(), content_type="text/plain")]

    def item(kind, n, *steps, **fields):
        case = supervision.add_item(
            staff,
            None,
            kind,
            congress=world.city,
            title=f"监督事项样例{kind}{n}",
            body=world.office,
            organ=world.unit_a,
            on=date(2020, 3, 2),
            **fields,
        )
        return moved(case, *steps)

    schedule = ("schedule", staff, {"sitting": sitting.pk})
    draft = ("submit_draft", unit, {}, upload())
    final = ("submit_report", unit, {}, upload())
    heard = (schedule, draft, final, ("distribute", staff, {}), ("deliberate", staff, {}))
    opinions = ("send_opinions", staff, {"opinions": "一、加强统筹协调。二、加大投入。"})
    respond = ("respond", unit, {"response": "已逐项研究落实审议意见。", "signed_by": "张局长"})
    samples["work_report_planned"] = item("work_report", 1)
    samples["work_report_awaiting_draft"] = item("work_report", 2, schedule)
    samples["work_report_draft_submitted"] = item("work_report", 3, schedule, draft)
    samples["work_report_report_submitted"] = item("work_report", 4, schedule, draft, final)
    samples["work_report_distributed"] = item("work_report", 5, schedule, draft, final, ("distribute", staff, {}))
    deliberated = item("work_report", 6, *heard)
    supervision.record_speech(staff, deliberated, world.member.person, "建议进一步加大工作力度，补齐短板。")
    samples["work_report_deliberated"] = deliberated
    samples["work_report_opinions_sent"] = item("work_report", 7, *heard, opinions)
    samples["work_report_response_received"] = item("work_report", 8, *heard, opinions, respond)
    samples["work_report_voting"] = item("work_report", 9, *heard, ("open_vote", staff, {}))
    samples["work_report_re_reporting"] = item(
        "work_report", 10, *heard, ("open_vote", staff, {}), ("close_vote", staff, {})
    )
    law = dict(law_title="《中华人民共和国传染病防治法》")
    team = ("start", staff, {"team": [world.member.pk]})
    samples["law_inspection_planned"] = item("law_inspection", 1, **law)
    samples["law_inspection_inspecting"] = item("law_inspection", 2, team, **law)
    samples["law_inspection_reported"] = item("law_inspection", 3, team, ("report", staff, {}, upload()), **law)
    samples["law_inspection_distributed"] = item(
        "law_inspection",
        4,
        team,
        ("report", staff, {}, upload()),
        ("submit_to_sitting", staff, {"sitting": sitting.pk}),
        **law,
    )
    samples["investigation_planned"] = item("investigation", 1)
    samples["investigation_underway"] = item("investigation", 2, team)
    samples["investigation_reported"] = item("investigation", 3, team, ("report", staff, {}, upload()))
    samples["inquiry_planned"] = item("inquiry", 1)
    samples["inquiry_prepared"] = item("inquiry", 2, schedule)
    samples["interpellation_submitted"] = Interpellation.objects.create(
        congress=world.city,
        title="关于城区供热问题的质询案",
        organ=world.unit_a,
        body=world.office,
        questions="城区部分小区供热不达标的原因和整改措施。",
        planned_on=date(2020, 11, 2),
    )
    samples["interpellation_accepted"] = moved(
        Interpellation.objects.create(
            congress=world.city,
            title="关于农村饮水安全的质询案",
            organ=world.unit_a,
            body=world.office,
            questions="农村饮水工程管护不到位的原因。",
            planned_on=date(2020, 11, 2),
        ),
        ("accept", director, {"answer_mode": "written"}),
    )
    samples["supervision_plan_draft"] = supervision.create_plan(staff, world.city, 2022)
    adopted = supervision.create_plan(staff, world.city, 2023)
    samples["supervision_plan_adopted"] = moved(adopted, ("adopt", director, {"meeting": meeting.pk}))


def add_appointment_samples(world: World) -> None:
    """任免案 of the city nominated by the mayor through unit_a (the oversight roles and unit_a find
    them), one in each state a transition starts from, named `appointment_batch_<state>`, built
    through the services and `perform`; a question bank of three; a nominee with an account
    (`nominee`, no role: no role of the matrix finds their exam, `appointment_exam`). Votes are cast
    by the committee's members (after add_supervision_samples: five members, each with an account)."""
    from renda.appointments import services as appointments
    from renda.appointments.models import Nomination
    from renda.ballots import services as ballot_services
    from renda.workflow.engine import perform

    admin, staff, city, samples = world.admin, world.users["staff"], world.city, world.samples
    day = date(2020, 9, 1)
    sitting = services.create_committee_meeting(admin, world.term, 24, date(2020, 10, 20))
    for stem, options, answers in (
        ("地方各级人大常委会由哪一机关选举产生？", ["本级人民代表大会", "上级人大常委会"], [0]),
        ("常委会表决任免案，以什么多数通过？", ["全体组成人员的过半数", "出席人员的过半数"], [0]),
        ("宪法宣誓的誓词包括哪些内容？", ["忠于宪法", "接受人民监督", "服从上级"], [0, 1]),
    ):
        appointments.add_question(staff, city, category="宪法", stem=stem, options=options, answers=answers)
    nominee_person = person(admin, "任拟任", mobile="13700000001")
    world.users["nominee"] = services.create_account(
        admin, username="nominee", password=PASSWORD, display_name="任拟任", person=nominee_person, roles=[]
    )

    def batch(n, *steps, people=(("appoint", "市教育局局长"),), nominee=None):
        b = appointments.create_batch(
            staff, congress=city, title=f"任免案样例{n}", nominator="mayor", unit=world.unit_a, sitting=sitting
        )
        for i, (kind, post) in enumerate(people):
            who = nominee if nominee and i == 0 else person(admin, f"拟任{n}{i}号")
            appointments.add_nomination(staff, b, person=who, post=post, kind=kind, exam_required=False)
        for key, by, data in steps:
            perform(b, key, by, data, today=day)
        return b

    def vote_all(b, by):
        for nom in b.nominations.select_related("ballot"):
            if nom.ballot and nom.ballot.state == "open":
                yes = nom.ballot.options.get(label="赞成")
                for v in nom.ballot.voters.select_related("user"):
                    ballot_services.cast(nom.ballot, v.user, [yes], idempotency_key=f"s{nom.pk}-{v.user_id}")

    submit = ("submit", staff, {})
    examined = (submit, ("examine", staff, {}))
    samples["appointment_batch_drafting"] = batch(1)
    samples["appointment_batch_submitted"] = batch(2, submit)
    samples["appointment_batch_examined"] = batch(3, *examined)
    samples["appointment_batch_voting"] = batch(
        4, *examined, ("open_votes", staff, {}), people=(("appoint", "市教育局副局长"), ("appoint", "市住建局局长"))
    )
    samples["appointment_batch_voting_last"] = batch(8, *examined, ("open_votes", staff, {}))
    decided = batch(5, *examined, ("open_votes", staff, {}))
    vote_all(decided, staff)
    perform(decided, "decide", staff, {}, today=day)
    samples["appointment_batch_decided"] = decided
    notified = batch(6, *examined, ("open_votes", staff, {}))
    vote_all(notified, staff)
    perform(notified, "decide", staff, {}, today=day)
    perform(notified, "notify", staff, {}, today=day)
    appointments.record_oath(
        staff,
        notified,
        on=date(2020, 10, 21),
        mode="individual",
        nominations=list(notified.nominations.all()),
        administered_by="周主任",
    )
    samples["appointment_batch_notified"] = notified
    # published: the appointee's 任职经历 (a Tenure opened by the notice); a drafting nomination
    samples["appointment_person"] = notified.nominations.get().person
    samples["appointment_nomination_drafting"] = samples["appointment_batch_drafting"].nominations.get()
    # the nominee's exam on a submitted batch (nobody of the matrix is that nominee)
    exam_batch = batch(7, nominee=nominee_person)
    Nomination.objects.filter(batch=exam_batch).update(exam_required=True)
    perform(exam_batch, "submit", staff, {}, today=day)
    nomination = exam_batch.nominations.get()
    samples["appointment_nomination"] = nomination
    samples["appointment_exam"] = appointments.start_exam(world.users["nominee"], nomination)


def add_decision_samples(world: World) -> None:
    """Resolutions of the city, one in each state a transition of the case API starts from
    (named `resolution_<state>`; `resolution_withdrawable` is scheduled too), each with a draft;
    `resolution_published` (published, the public's) decides the sample work report. Votes are
    cast by the committee's members (after add_supervision_samples: each with an account)."""
    from renda.ballots import motions
    from renda.ballots import services as ballot_services
    from renda.decisions import services as decisions
    from renda.workflow.engine import perform

    staff, samples = world.users["staff"], world.samples
    sitting = samples["sitting"]  # add_supervision_case_samples: 2020-10-09
    day = date(2020, 10, 9)

    def vote_for(item):
        ballot = motions.ballots_about(item).get(state="open")
        yes = ballot.options.get(label="赞成")
        for voter in ballot.voters.select_related("user"):
            ballot_services.cast(ballot, voter.user, [yes], idempotency_key=f"sample-r{item.pk}-{voter.pk}")

    def resolution(state, *steps, matter=None):
        item = decisions.create_resolution(
            staff,
            congress=world.city,
            title=f"关于样例事项的决议（{state}）",
            kind="resolution",
            subject="work_report" if matter else "major_matter",
            proposer="主任会议",
            matter=matter,
            draft="一、同意……\n二、要求……",
        )
        for key, data in steps:
            if key == "vote":
                vote_for(item)
            else:
                perform(item, key, staff, data, today=day)
        samples[f"resolution_{state}"] = item
        return item

    scheduled = ("schedule", {"sitting": sitting.pk})
    voted = (scheduled, ("open_vote", {"kind": "secret"}), ("vote", {}), ("close_vote", {}))
    resolution("drafting")
    resolution("scheduled", scheduled)
    resolution("withdrawable", scheduled)
    resolution("voting", scheduled, ("open_vote", {"kind": "named"}))
    resolution("adopted", *voted)
    resolution("published", *voted, ("publish", {}), matter=samples.get("supervision_report"))


def add_case_samples(world: World) -> None:
    """One case in each state from which a transition goes that the samples above do not
    reach, so that the authorization matrix performs every transition of the case API once
    (each named `<case type>_<state>`). They are kept out of everyone's way: the filings are
    a county's resolutions filed with the city (filer: county_staff), not published; the
    petitions are deputy's, assigned to unit_a. The sample filing gets its review points
    recorded (all "no problem"), so that it may be concluded."""
    from renda.filing import services as filing_services
    from renda.filing.models import STANDARDS
    from renda.suggestions import services as suggestion_services
    from renda.workflow.engine import perform
    from workflow_app.models import Petition

    staff, unit, deputy, county = (world.users[r] for r in ("staff", "unit", "deputy", "county_staff"))
    day, samples = date(2020, 5, 10), world.samples

    def moved(case, *steps):
        for key, by, data in steps:
            perform(case, key, by, data, today=day)
        return case

    # suggestions of deputy (other_deputy co-signs the first)
    def suggestion(n, *steps, cosigners=()):
        draft = suggestion_services.save_draft(
            deputy,
            lead=world.deputy,
            title=f"关于改善农村道路第{n}段的建议",
            content=SUGGESTION_TEXT,
            category="农牧水利",
            cosigners=list(cosigners),
        )
        return moved(draft, ("submit", deputy, {}), *steps)

    register = ("register", staff, {"category": "农牧水利", "published": "on"})
    assign = ("assign", staff, {"lead_unit": world.unit_a.pk, "period": "3"})
    handle = (register, assign, ("sign", unit, {}))
    assisted = ("assign", staff, {"lead_unit": world.unit_a.pk, "assisting_units": [world.unit_b.pk], "period": "3"})
    samples["suggestion_cosigning"] = suggestion(1, cosigners=[world.other_deputy])
    samples["suggestion_submitted"] = suggestion(2)
    samples["suggestion_registered"] = suggestion(3, register)
    samples["suggestion_assigned"] = suggestion(4, register, assisted)  # unit_b assists
    samples["suggestion_extension_requested"] = suggestion(
        5, *handle, ("request_extension", unit, {"note": "涉及多个部门，需协调资金。"})
    )
    reply = {"category": "B", "text": "已列入年度计划，分两年完成管网改造。" * 2, "signed_by": "张局长"}
    samples["suggestion_replied"] = suggestion(6, *handle, ("reply", unit, reply))

    # filings of the county congress with the city, reviewed by the city's office (staff)
    def filing(n, *steps, submit=True):
        case = filing_services.file_document(
            county,
            {
                "filer": f"congress:{world.county_a.pk}",
                "kind": "resolution",
                "title": f"临河区人大常委会关于城区环境治理的决定（{n}）",
                "document_number": f"临人常发〔2020〕{n}号",
                "adopted_on": date(2020, 4, 16),
                "published_on": date(2020, 4, 20),
                "drafting_explanation": "为加强城区环境治理，制定本决定。",
                "legal_basis": "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》",
                "text": "临河区人民代表大会常务委员会关于加强城区环境治理的决定。" * 3,
            },
            submit=submit,
            today=date(2020, 5, 6),
        )
        return moved(case, *steps)

    checked = {key: "ok" for key, _, _ in STANDARDS}
    registered = ("register", staff, {"committee": world.office.pk})
    problem = {"problem_summary": "超越权限设定罚款。", "note": "请说明制定依据。"}
    opinion = {**problem, "opinion": "该决定第二条设定罚款，超越地方人大常委会权限，请予纠正。", "reply_period": "30"}
    samples["filing_draft"] = filing(1, submit=False)
    samples["filing_submitted"] = filing(2)
    samples["filing_incomplete"] = filing(3, ("request_material", staff, {"note": "请补充起草说明。"}))
    samples["filing_communicating"] = filing(4, registered, ("communicate", staff, problem))
    samples["filing_opinion_sent"] = filing(5, registered, ("send_opinion", staff, opinion))
    report = {"correction": "已废止该决定第二条。", "corrected_on": date(2020, 5, 9)}
    samples["filing_correction_reported"] = filing(
        6, registered, ("send_opinion", staff, opinion), ("report_correction", county, report)
    )
    samples["filing_annulment_proposed"] = filing(
        7, registered, ("propose_annulment", staff, {"note": "制定机关拒不纠正。"})
    )
    samples["filing_closed"] = filing(8, registered, ("record_review", staff, checked), ("conclude", staff, {}))
    # the sample filing's review points are recorded: it may be concluded
    moved(samples["filing"], ("record_review", staff, checked))
    # a review proposal on the closed filing, accepted: its feedback falls due
    proposal = filing_services.receive_proposal(
        world.city,
        {
            "proposer": "李四",
            "proposer_kind": "citizen",
            "contact": "13700000001",
            "document_title": samples["filing_closed"].title,
            "issue": "是否超越权限设定罚款。",
            "reasons": "建议审查。",
        },
        today=date(2020, 6, 1),
    )
    samples["proposal_accepted"] = moved(proposal, ("accept", staff, {"filing": samples["filing_closed"].pk}))

    # petitions (tests/workflow_app) of deputy
    def petition(*steps):
        return moved(
            Petition.objects.create(congress=world.city, author=world.deputy, title="关于校车安全的请求"), *steps
        )

    to_unit = ("assign", staff, {"unit": world.unit_a.pk})
    samples["petition_draft"] = petition()
    samples["petition_submitted"] = petition(("submit", deputy, {}))
    samples["petition_assigned"] = petition(("submit", deputy, {}), to_unit)
    samples["petition_suspended"] = petition(("submit", deputy, {}), to_unit, ("suspend", staff, {"note": "待调查。"}))
    samples["petition_answered"] = petition(("submit", deputy, {}), to_unit, ("answer", unit, {}))
    add_problem_samples(world)


def add_problem_samples(world: World) -> None:
    """Problems found by the sample filing (opened by staff, the office in charge), for unit_a
    to rectify, one in each state a transition starts from: `problem` (待整改),
    `problem_rectifying`, `problem_closure_requested` (with its evidence), `problem_closed`;
    and their list, `problem_list`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.problems.services import open_problem
    from renda.workflow.engine import perform

    staff, unit = world.users["staff"], world.users["unit"]
    day, source = date(2020, 6, 1), world.samples["filing"]

    def problem(n, *steps):
        item = open_problem(
            source,
            staff,
            title=f"扬尘治理问题（{n}）",
            unit=world.unit_a,
            due_on=date(2020, 9, 30),
            measures="落实施工工地围挡和洒水抑尘。",
            on=day,
        )
        for key, by, data, files in steps:
            perform(item, key, by, data, files, today=day)
        return item

    def evidence():
        return {"files": [SimpleUploadedFile("整改报告.txt", "已完成围挡。".encode(), content_type="text/plain")]}

    sign = ("sign", unit, {}, None)
    ask = ("request_closure", unit, {"note": "已整改完毕。"}, None)
    samples = world.samples
    samples["problem"] = problem(1)
    samples["problem_list"] = samples["problem"].problem_list
    samples["problem_rectifying"] = problem(2, sign)
    samples["problem_closure_requested"] = problem(3, sign, (*ask[:3], evidence()))
    samples["problem_closed"] = problem(4, sign, (*ask[:3], evidence()), ("accept_closure", staff, {}, None))


def add_meeting_samples(world: World) -> None:
    """The city's sitting `sitting` (2020-10-09) gets an agenda item (`meeting_item`, the first
    candidate the manifests offer), the chair's leave request (`meeting_leave`), a deliberation
    group convened by the chair (`meeting_group`); `plenary_session`: the city's third session."""
    from renda.meetings import services as meetings

    admin, sitting = world.admin, world.samples["sitting"]
    first = meetings.agenda_candidates(sitting, admin)[0]
    world.samples["meeting_item"] = meetings.add_item(sitting, first.case, first.transition.key, admin)
    world.samples["meeting_leave"] = meetings.request_leave(sitting, world.member.person, "公务出差", admin)
    # group deliberation (meetings.groups) and the plenary session as a sitting
    from renda.core.models import PlenarySession
    from renda.meetings import groups

    world.samples["meeting_group"] = groups.create_group(sitting, "第一组", admin, convener=world.member.person)
    world.samples["plenary_session"] = PlenarySession.objects.get(term=world.term, number=3)


def add_report_back_samples(world: World) -> World:
    """The deputy's report-back to their electoral unit (述职): held, its evaluation open."""
    from renda.deputies import reportback as rb_services

    staff = world.users["staff"]
    rb = rb_services.schedule(
        staff, world.deputy, scheduled_on=date(2020, 6, 10), unit_name="临河区人大常委会", place="临河区人大会议室"
    )
    rb_services.record_held(staff, rb, held_on=date(2020, 6, 10), report="一年来，本人认真履行代表职责……", attendees=30)
    world.samples["report_back"] = rb_services.open_evaluation(staff, rb)
    # the matrix names a route's argument by its pk: the code's page is keyed by the token
    world.samples["report_back_code"] = SimpleNamespace(pk=rb.token)
    return world
