"""A small congress world for tests, built through Renda's services like the demo.

    city ─┬─ county_a (临河区) ── township_a
          └─ county_b (五原县)

with one account per role; `world.users[role]` gives them. Units: unit_a and unit_b
(two city departments), county_unit (a county government)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from renda.core import services
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
    return world


ROLES = [
    "admin",
    "staff",
    "county_staff",
    "director",
    "member",
    "deputy",
    "other_deputy",
    "unit",
    "other_unit",
    "noroles",
    "public",
]
