"""Demo year 2020 of double contact (双联系), through the bulk service `record_contacts`:

- committee members visit the city's deputies: each member keeps a few deputies to contact
  (联系代表) and sees them through the year, 806 visits in all (the summary: 800余人次);
- the city's deputies contact their constituents month by month (走访, 座谈, 接待 …), the
  people reached adding up to 15,648 person-times (联系群众15600余人次); the county deputies'
  contacts come on top (counted when a summary includes the congresses below).

Built in a few seconds: a few bulk inserts, not one call per contact. Not wired in apps.py
(the lead wires it): `build(ctx)` needs ctx.refs city, members (and counties optionally)."""

from __future__ import annotations

import calendar
import random
from datetime import date

from renda.core.models import Deputy
from renda.demo.context import SEED

from .contacts import record_contacts

YEAR = 2020
MEMBER_VISITS = 806
CITY_PEOPLE = 15_648
COUNTY_PEOPLE = 9_000
VILLAGES = [
    "新建村",
    "联丰村",
    "胜利村",
    "团结村",
    "红旗村",
    "光明村",
    "永丰村",
    "民主村",
    "和平村",
    "友谊村",
    "丰收村",
    "先锋村",
]
# (way, fewest, most people reached) with its weight: a forum reaches a room, a call one person
WAYS = [("visit", 1, 6, 40), ("forum", 8, 30, 20), ("reception", 2, 12, 20), ("phone", 1, 1, 12), ("online", 1, 4, 8)]
MATTERS = [
    "村里的灌溉渠年久失修，春灌时渗漏严重，希望列入水利项目。",
    "通村公路冬季积雪清理不及时，学生上学不便。",
    "牧区饮水安全工程有的水井水质不达标。",
    "农村低保评定程序希望更加公开透明。",
    "河套灌区节水改造后水费上涨，群众负担加重。",
    "乡镇卫生院缺少全科医生，看病要跑到旗县。",
    "农产品销售渠道少，希望发展电商和冷链物流。",
    "老旧小区加装电梯和供暖管网改造进度慢。",
    "城乡客运班次少，偏远嘎查出行难。",
    "草原生态补奖资金发放时间希望提前公布。",
    "村级幼儿园师资不足，留守儿童看护难。",
    "农村人居环境整治后垃圾清运经费没有保障。",
    "盐碱地改良项目希望扩大覆盖面。",
    "养老服务站运营困难，希望政府购买服务。",
    "返乡创业贷款手续繁琐、额度低。",
]


def _day(rng: random.Random, month: int) -> date:
    return date(YEAR, month, rng.randint(1, calendar.monthrange(YEAR, month)[1]))


def _whole_year(deputies):
    """Mandates in office all year (any day of it is a valid contact date)."""
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
    return [d for d in deputies if d.elected_date <= first and (d.ended_date is None or d.ended_date >= last)]


def _region(d: Deputy) -> str:
    return d.delegation.name.removesuffix("代表团") if d.delegation_id else d.congress.region


def member_visit_rows(rng: random.Random, members, deputies, total: int) -> list[dict]:
    """Each member keeps 3–6 deputies to contact (联系代表) and sees one of them about twice a
    month."""
    rows = []
    keeps = {}
    for m in members:
        others = [d for d in deputies if d.person_id != m.person_id]
        keeps[m.pk] = rng.sample(others, min(len(others), rng.randint(3, 6)))
    for i in range(total):
        member = members[i % len(members)]
        deputy = rng.choice(keeps[member.pk])
        on = _day(rng, rng.randint(2, 12))  # January: the sessions
        way = rng.choices(["visit", "forum", "phone"], weights=[6, 3, 1])[0]
        rows.append(
            dict(
                kind="member_visit",
                deputy=deputy,
                member=member,
                on=on,
                place=f"{_region(deputy)}{rng.choice(VILLAGES)}" if way != "phone" else "电话联系",
                way=way,
                people_reached=1,
                matters=rng.choice(MATTERS) if rng.random() < 0.5 else "",
            )
        )
    return rows


def constituent_rows(rng: random.Random, deputies, people: int) -> list[dict]:
    """Contacts by deputy and month until the people reached add up to `people` exactly:
    grass-roots deputies contact more often, January and the spring ploughing less."""
    weights = [2 if d.is_grassroots else 1 for d in deputies]
    month_weights = [3, 4, 8, 9, 10, 10, 9, 8, 10, 10, 9, 6]
    rows, reached = [], 0
    while reached < people:
        month = rng.choices(range(1, 13), weights=month_weights)[0]
        deputy = rng.choices(deputies, weights=weights)[0]
        way, low, high, _ = rng.choices(WAYS, weights=[w[3] for w in WAYS])[0]
        n = min(rng.randint(low, high), people - reached)
        reached += n
        rows.append(
            dict(
                kind="constituents",
                deputy=deputy,
                on=_day(rng, month),
                place=f"{_region(deputy)}{rng.choice(VILLAGES)}" if way != "online" else "网络（微信群）",
                way=way,
                people_reached=n,
                matters=rng.choice(MATTERS) if rng.random() < 0.6 else "",
            )
        )
    return rows


def build(ctx) -> None:
    rng = random.Random(f"{SEED}-contacts")
    city = ctx.refs["city"]
    serving = Deputy.objects.select_related("delegation", "congress")
    city_deputies = _whole_year(serving.filter(congress=city).order_by("pk"))
    members = [m for m in ctx.refs.get("members", []) if m.congress_id == city.pk]
    rows = []
    if members and city_deputies:
        rows += member_visit_rows(rng, members, city_deputies, MEMBER_VISITS)
    if city_deputies:
        rows += constituent_rows(rng, city_deputies, CITY_PEOPLE)
    counties = list((ctx.refs.get("counties") or {}).values())
    if counties:
        county_deputies = _whole_year(serving.filter(congress__in=counties).order_by("pk"))
        if county_deputies:
            rows += constituent_rows(rng, county_deputies, COUNTY_PEOPLE)
    if rows:
        record_contacts(ctx.admin, rows)
