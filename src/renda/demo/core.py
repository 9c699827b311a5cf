"""Core part of the demo year: Bayannur's congress tree, terms, bodies, units,
committee members, deputies and demo accounts, as they stood in 2020."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password

from renda.core import services
from renda.core.models import Body, CommitteeMember, Congress, Deputy, HandlingUnit, Person, Role

from .context import DEMO_PASSWORD, DemoContext

DATA = Path(__file__).parent / "data"
CITY_CODE = "150800000000"

# Livelihood-project voting pilots (seed: 4 旗县, 21 苏木乡镇、街道). Which ones is not
# public: these are chosen for the demo.
PILOTS = {"临河区": 7, "五原县": 5, "杭锦后旗": 5, "乌拉特前旗": 4}
# Share of the city's deputies per delegation, after the 7th-census populations.
DELEGATION_SHARE = {
    "临河区": 0.36,
    "五原县": 0.15,
    "磴口县": 0.07,
    "乌拉特前旗": 0.16,
    "乌拉特中旗": 0.09,
    "乌拉特后旗": 0.05,
    "杭锦后旗": 0.12,
}
CITY_DEPUTIES = 300
COUNTY_DEPUTIES = {
    "临河区": 220,
    "五原县": 170,
    "磴口县": 130,
    "乌拉特前旗": 180,
    "乌拉特中旗": 140,
    "乌拉特后旗": 120,
    "杭锦后旗": 170,
}

BODY_KIND = {
    "法定委员会": Body.Kind.STATUTORY,
    "人大专门委员会": Body.Kind.SPECIAL_COMMITTEE,
    "办事机构": Body.Kind.OFFICE,
    "工作委员会": Body.Kind.WORKING_COMMITTEE,
}
UNIT_KIND = {
    "government": HandlingUnit.Kind.GOVERNMENT,
    "department": HandlingUnit.Kind.DEPARTMENT,
    "直属特设机构": HandlingUnit.Kind.DEPARTMENT,
    "直属机构": HandlingUnit.Kind.DEPARTMENT,
    "派出机构": HandlingUnit.Kind.DEPARTMENT,
    "监委": HandlingUnit.Kind.SUPERVISORY_COMMISSION,
    "法院": HandlingUnit.Kind.COURT,
    "检察院": HandlingUnit.Kind.PROCURATORATE,
    "county_government": HandlingUnit.Kind.LOWER_GOVERNMENT,
}

ETHNICITIES = [("汉族", 0.90), ("蒙古族", 0.075), ("回族", 0.012), ("满族", 0.008), ("达斡尔族", 0.005)]
PARTIES = [
    ("中共党员", 0.72),
    ("群众", 0.12),
    ("无党派人士", 0.06),
    ("民盟盟员", 0.03),
    ("民建会员", 0.03),
    ("九三学社社员", 0.02),
    ("农工党党员", 0.02),
]
EDUCATION = [("大学", 0.55), ("研究生", 0.15), ("大专", 0.2), ("高中", 0.1)]
OCCUPATIONS = [
    (Deputy.Occupation.FARMER, 0.22),
    (Deputy.Occupation.WORKER, 0.12),
    (Deputy.Occupation.PROFESSIONAL, 0.2),
    (Deputy.Occupation.OFFICIAL, 0.28),
    (Deputy.Occupation.ENTERPRISE, 0.14),
    (Deputy.Occupation.OTHER, 0.04),
]


def _csv(name):
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _pick(rng, weighted):
    roll, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if roll < acc:
            return value
    return weighted[-1][0]


# Faker's zh_CN given names are not split by sex; these common ones are.
GIVEN_MALE = (
    "建国 国庆 志强 永刚 海军 建军 振华 文斌 宏伟 立新 国强 俊杰 德胜 学军 玉山 金宝 巴图 "
    "朝鲁 额尔敦 斯琴 海涛 晓东 伟 军 鹏 磊 斌 勇 刚 明"
).split()
GIVEN_FEMALE = (
    "秀英 桂英 丽娟 海燕 晓燕 红梅 淑珍 玉兰 春花 美玲 静 敏 丽 娜 婷 芳 雪梅 慧敏 "
    "乌兰 其其格 萨仁 琳 霞 艳 颖 洁 玉梅 凤英"
).split()


def _person(ctx: DemoContext, workplace: str, *, min_age=30, max_age=62) -> Person:
    rng, fake = ctx.rng, ctx.fake
    gender = "F" if rng.random() < 0.3 else "M"
    name = fake.last_name() + rng.choice(GIVEN_FEMALE if gender == "F" else GIVEN_MALE)
    birth = date(2020, 1, 1) - timedelta(days=rng.randint(min_age * 365, max_age * 365))
    mobile = "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))
    return services.create_person(
        ctx.admin,
        name=name,
        gender=gender,
        ethnicity=_pick(rng, ETHNICITIES),
        birth_date=birth,
        party=_pick(rng, PARTIES),
        education=_pick(rng, EDUCATION),
        workplace=workplace,
        mobile=mobile,
    )


def _workplace(ctx, occupation, region, towns):
    rng, fake = ctx.rng, ctx.fake
    town = rng.choice(towns) if towns else region
    if occupation == Deputy.Occupation.FARMER:
        return f"{region}{town}{fake.last_name()}家{rng.choice(['村', '嘎查'])}{rng.choice(['党支部书记', '村民委员会主任', '种植大户', '养殖户'])}"
    if occupation == Deputy.Occupation.WORKER:
        return f"{fake.company()}{rng.choice(['一线职工', '班组长', '技术员'])}"
    if occupation == Deputy.Occupation.PROFESSIONAL:
        return f"{region}{rng.choice(['人民医院', '第一中学', '农牧业技术推广中心', '实验小学', '律师事务所'])}{rng.choice(['主任医师', '教师', '高级农艺师', '律师', '副校长'])}"
    if occupation == Deputy.Occupation.OFFICIAL:
        return (
            f"{region}{town}{rng.choice(['党委书记', '镇长', '副旗长', '局长', '街道党工委书记'])}"
            if towns
            else f"{region}{rng.choice(['发展和改革委员会主任', '农牧局局长', '住房和城乡建设局局长'])}"
        )
    if occupation == Deputy.Occupation.ENTERPRISE:
        return f"{fake.company()}{rng.choice(['董事长', '总经理'])}"
    return f"{region}{rng.choice(['社区居民委员会主任', '个体工商户', '志愿者协会会长'])}"


def build(ctx: DemoContext) -> None:
    admin = ctx.admin
    divisions = _csv("divisions.csv")
    by_parent: dict[str, list[dict]] = {}
    for row in divisions:
        by_parent.setdefault(row["parent_code"], []).append(row)
    city_row = next(r for r in divisions if r["code"] == CITY_CODE)

    # --- the congress tree: the city, its 7 counties, the 21 pilot townships
    city = services.create_congress(admin, code=CITY_CODE, region=city_row["name"], level=Congress.Level.CITY)
    counties, towns_of = {}, {}
    for row in by_parent[CITY_CODE]:
        counties[row["name"]] = services.create_congress(
            admin, code=row["code"], region=row["name"], level=Congress.Level.COUNTY, parent=city
        )
        towns_of[row["name"]] = [t["name"] for t in by_parent.get(row["code"], []) if t["type"] in ("镇", "乡", "苏木")]
    townships = []
    for county_name, quota in PILOTS.items():
        county = counties[county_name]
        towns = [t for t in by_parent[county.code] if t["type"] in ("镇", "乡", "苏木")][:quota]
        for t in towns:
            townships.append(
                services.create_congress(
                    admin,
                    code=t["code"],
                    region=f"{county_name}{t['name']}",
                    level=Congress.Level.TOWNSHIP,
                    parent=county,
                    has_standing_committee=False,
                )
            )

    # --- terms and sessions (the 4th term ran 2017-2022; dates invented)
    term = services.create_term(admin, city, 4, date(2017, 1, 6), date(2022, 2, 11))
    sessions = [
        services.create_plenary_session(admin, term, 1, date(2017, 1, 6), date(2017, 1, 9)),
        services.create_plenary_session(admin, term, 2, date(2018, 1, 20), date(2018, 1, 23)),
        services.create_plenary_session(admin, term, 3, date(2020, 5, 9), date(2020, 5, 11)),
    ]
    county_terms = {
        name: services.create_term(admin, c, 10, date(2016, 12, 20), date(2021, 12, 31)) for name, c in counties.items()
    }
    for c in townships:
        services.create_term(admin, c, 18, date(2016, 12, 1), date(2021, 12, 31))

    # --- bodies of the city congress and an office for each county's standing committee
    bodies = {
        "常委会": services.create_body(
            admin, city, f"{city.region}人民代表大会常务委员会", "常委会", Body.Kind.STANDING_COMMITTEE, order=0
        )
    }
    for order, row in enumerate(_csv("bodies.csv"), start=1):
        if row["category"] not in BODY_KIND or row["short_name"] == "人选任工委":
            continue  # 主任会议 is a meeting, not a body; 人选任工委 is an older name of 代表工委
        bodies[row["short_name"]] = services.create_body(
            admin, city, row["name"], row["short_name"], BODY_KIND[row["category"]], order=order
        )
    county_offices = {
        name: services.create_body(admin, c, f"{name}人大常委会办公室", "办公室", Body.Kind.OFFICE)
        for name, c in counties.items()
    }

    # --- handling units: 一府一委两院, the government's departments, the county governments
    units = {}
    government = None
    for row in _csv("units.csv"):
        kind = UNIT_KIND[row["kind"]]
        parent = government if kind == HandlingUnit.Kind.DEPARTMENT else None
        unit = services.create_handling_unit(admin, city, row["name"], row["short_name"], kind, parent=parent)
        units[row["short_name"]] = unit
        if kind == HandlingUnit.Kind.GOVERNMENT:
            government = unit
    for name, c in counties.items():
        services.create_handling_unit(admin, c, f"{name}人民政府", f"{name}政府", HandlingUnit.Kind.GOVERNMENT)

    # --- the standing committee: chair, 6 vice-chairs, secretary-general, 30 members
    seats = (
        [CommitteeMember.Position.CHAIR]
        + [CommitteeMember.Position.VICE_CHAIR] * 6
        + [CommitteeMember.Position.SECRETARY_GENERAL]
        + [CommitteeMember.Position.MEMBER] * 30
    )
    working = [b for b in bodies.values() if b.kind in (Body.Kind.WORKING_COMMITTEE, Body.Kind.SPECIAL_COMMITTEE)]
    members = []
    for i, position in enumerate(seats):
        title = dict(CommitteeMember.Position.choices)[position]
        body = (
            bodies["办公室"]
            if position == CommitteeMember.Position.SECRETARY_GENERAL
            else (working[i % len(working)] if position == CommitteeMember.Position.MEMBER and i % 2 == 0 else None)
        )
        person = _person(ctx, f"{city.region}人大常委会{title}", min_age=45, max_age=62)
        members.append(
            services.create_committee_member(
                admin, term=term, person=person, position=position, start_date=term.start_date, body=body
            )
        )

    # --- city deputies, by delegation (indirect election by the county congresses)
    deputies = []
    # The chair, vice-chairs and secretary-general are city deputies too (elected from
    # them); they sit in the 临河区 delegation, where the city's seat is.
    leaders = members[:8]
    quotas = {name: round(CITY_DEPUTIES * share) for name, share in DELEGATION_SHARE.items()}
    quotas["临河区"] += CITY_DEPUTIES - sum(quotas.values()) - len(leaders)
    delegations = {}
    for name, quota in quotas.items():
        delegation = delegations[name] = services.create_delegation(admin, term, f"{name}代表团")
        constituency = services.create_constituency(admin, term, f"{name}人民代表大会")
        groups = [services.create_deputy_group(admin, term, f"{name}第{n}代表小组") for n in range(1, 3 + quota // 40)]
        for i in range(quota):
            occupation = _pick(ctx.rng, OCCUPATIONS)
            person = _person(ctx, _workplace(ctx, occupation, name, towns_of[name]))
            deputies.append(
                services.create_deputy(
                    admin,
                    person=person,
                    term=term,
                    elected_date=term.start_date,
                    delegation=delegation,
                    group=groups[i % len(groups)],
                    constituency=constituency,
                    occupation=occupation,
                    is_grassroots=occupation in (Deputy.Occupation.FARMER, Deputy.Occupation.WORKER),
                )
            )
    for member in leaders:
        deputies.append(
            services.create_deputy(
                admin,
                person=member.person,
                term=term,
                elected_date=term.start_date,
                delegation=delegations["临河区"],
                occupation=Deputy.Occupation.OFFICIAL,
            )
        )

    # --- county deputies, elected directly by constituencies (选区)
    for name, count in COUNTY_DEPUTIES.items():
        county_term = county_terms[name]
        towns = towns_of[name] or [name]
        constituencies = {}
        for i in range(count):
            town = towns[i % len(towns)]
            if town not in constituencies:
                constituencies[town] = services.create_constituency(admin, county_term, f"{town}选区")
            occupation = _pick(ctx.rng, OCCUPATIONS)
            person = _person(ctx, _workplace(ctx, occupation, name, towns_of[name]))
            services.create_deputy(
                admin,
                person=person,
                term=county_term,
                elected_date=county_term.start_date,
                constituency=constituencies[town],
                occupation=occupation,
                is_grassroots=occupation in (Deputy.Occupation.FARMER, Deputy.Occupation.WORKER),
            )

    # --- demo accounts, one or more for each role
    password_hash = make_password(DEMO_PASSWORD)  # Argon2 is slow on purpose: hash the shared password once

    def account(username, display, description, roles, person=None):
        services.create_account(
            admin, username=username, password_hash=password_hash, display_name=display, person=person, roles=roles
        )
        ctx.account(username, description)

    account(
        "bangongshi",
        "办公室 王晓燕",
        "机关工作人员（市人大常委会办公室）",
        [dict(role=Role.STAFF, congress=city, body=bodies["办公室"])],
    )
    account(
        "daibiaogongwei",
        "代表工委 李建国",
        "机关工作人员（代表工作委员会）",
        [dict(role=Role.STAFF, congress=city, body=bodies["代表工委"])],
    )
    account(
        "fagongwei",
        "法工委 张敏",
        "机关工作人员（法制工作委员会）",
        [dict(role=Role.STAFF, congress=city, body=bodies["法工委"])],
    )
    account(
        "zhuren",
        members[0].person.name,
        "主任会议成员（常委会主任）",
        [dict(role=Role.DIRECTOR, congress=city), dict(role=Role.MEMBER, congress=city)],
        person=members[0].person,
    )
    account(
        "weiyuan",
        members[10].person.name,
        "常委会组成人员（委员）",
        [dict(role=Role.MEMBER, congress=city)],
        person=members[10].person,
    )
    for n, deputy in enumerate((deputies[0], deputies[150]), start=1):
        account(
            f"daibiao{n}",
            deputy.person.name,
            f"市人大代表（{deputy.delegation}）",
            [dict(role=Role.DEPUTY, congress=city, deputy=deputy)],
            person=deputy.person,
        )
    for username, short in (("jiaoyuju", "市教育局"), ("zhujianju", "市住建局"), ("weijianwei", "市卫健委")):
        unit = units[short]
        account(
            username,
            f"{short}联络员",
            f"承办单位工作人员（{unit.name}）",
            [dict(role=Role.UNIT, congress=city, handling_unit=unit)],
        )
    # The government's general office also files the government's own normative
    # documents with the standing committee (备案), so it acts for both.
    account(
        "zhengfuban",
        "市政府办联络员",
        f"承办单位工作人员（{units['市政府办'].name}，兼办市政府规范性文件报备）",
        [
            dict(role=Role.UNIT, congress=city, handling_unit=units["市政府办"]),
            dict(role=Role.UNIT, congress=city, handling_unit=units["市政府"]),
        ],
    )
    account(
        "linhe",
        "临河区人大 赵鹏",
        "机关工作人员（临河区人大常委会办公室）",
        [dict(role=Role.STAFF, congress=counties["临河区"], body=county_offices["临河区"])],
    )
    # 三员分立: the security and audit administrators, appointed by the deployment's superuser.
    account(
        "anquan",
        "安全管理员 周涛",
        "安全管理员（查询操作记录、解除登录锁定）",
        [dict(role=Role.SECURITY, congress=city)],
    )
    account(
        "shenji", "审计管理员 孙丽", "审计管理员（查阅、导出、核验操作记录）", [dict(role=Role.AUDITOR, congress=city)]
    )

    ctx.refs.update(
        city=city,
        counties=counties,
        townships=townships,
        term=term,
        sessions=sessions,
        county_terms=county_terms,
        bodies=bodies,
        units=units,
        members=members,
        deputies=deputies,
    )
