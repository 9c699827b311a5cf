"""The demo year's liaison stations (人大代表之家): one in each of the 21 pilot townships, a
city deputy on duty each weekday, and a reception day a month in 2020 with the deputies who
received and the matters raised — through the services the staff pages call."""

from __future__ import annotations

import random
from datetime import date

from renda.core import clock
from renda.core.models import Deputy
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
