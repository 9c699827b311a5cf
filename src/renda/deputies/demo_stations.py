"""The demo year's liaison stations (人大代表之家): one in each of the 21 pilot townships, a
city deputy on duty each weekday, a reception day a month in 2020 with the deputies who
received and the matters raised, and a message a quarter through each station's 码上见代表
code, answered or referred to a unit — through the services the pages call. The messages'
wording is invented for the demo."""

from __future__ import annotations

import random
from datetime import date

from renda.core import clock
from renda.core.models import Deputy, HandlingUnit
from renda.core.services import save_record

from . import stations
from .models import LiaisonStation

SEED = "renda-demo-stations"
MATTERS = (
    "灌溉用水调度和渠道维修",
    "村道硬化和路灯安装",
    "农村养老服务和医保报销",
    "河套灌区节水改造补贴",
    "牧区饮水安全和草场补奖",
    "农产品销售和冷链仓储",
    "中小学校车接送和校舍维修",
    "农村人居环境整治和垃圾清运",
)


def build(ctx) -> None:
    townships = ctx.refs.get("townships") or []
    city = ctx.refs.get("city")
    if not townships or city is None:
        return
    rng = random.Random(SEED)
    units = list(HandlingUnit.objects.filter(congress=city, is_active=True).order_by("pk")[:12])
    deputies = list(Deputy.objects.filter(congress=city, status=Deputy.Status.SERVING).order_by("pk"))
    for area in townships:
        with clock.dated(clock.on(date(2019, 12, 20))):
            station = save_record(
                ctx.admin,
                LiaisonStation(
                    congress=city,
                    name=f"{area.region}人大代表之家",
                    kind=LiaisonStation.Kind.HOME,
                    area=area,
                    address=f"{area.region}人民政府院内",
                ),
            )
            on_duty = rng.sample(deputies, min(5, len(deputies)))
            for weekday, deputy in enumerate(on_duty):
                stations.add_duty(ctx.admin, station, deputy, weekday=weekday)
        for month in range(1, 13):
            day = date(2020, month, rng.randint(5, 25))
            with clock.dated(clock.on(day)):
                stations.record_reception(
                    ctx.admin,
                    station,
                    on=day,
                    deputies=rng.sample(on_duty, 2),
                    visitors=rng.randint(6, 30),
                    matters="；".join(rng.sample(MATTERS, 2)),
                )
        _messages(ctx, rng, station, area.region, units)


def _messages(ctx, rng, station, place, units) -> None:
    """One constituent message a quarter through the station's code; the staff answer most
    within a fortnight and refer a matter for a unit (转交办理), as the message page does."""
    code = stations.code_for(station)
    for quarter in range(4):
        sent = date(2020, 3 * quarter + rng.randint(1, 2), rng.randint(1, 20))
        matter = rng.choice(MATTERS)
        with clock.dated(clock.on(sent)):
            message = stations.receive_message(
                code, {"text": f"我是{place}的群众，想反映{matter}方面的问题，希望代表帮助了解情况、协调解决。"}
            )
        with clock.dated(clock.on(date(sent.year, sent.month, sent.day + rng.randint(3, 8)))):
            if units and rng.random() < 0.25:
                unit = rng.choice(units)
                stations.refer(ctx.admin, message, unit, f"您反映的{matter}问题已转交{unit.name}办理，请留意回复。")
            else:
                stations.answer(ctx.admin, message, f"您反映的{matter}问题，代表已在接待日了解情况并向有关部门反映。")
