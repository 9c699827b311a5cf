"""The demo year's legislative plan (2020): needs from the government, a deputy's suggestion, a
committee and the public; their appraisal (one refused with its reason: a tax matter is no
city's to regulate); the 2020 plan with 《巴彦淖尔市农药污染防治条例》 and
《巴彦淖尔市城市客运交通管理条例》 as 正式项目 and a few 预备/调研 projects, adopted by the
directors' meeting of 10 January and published; in June a public need added as an adjustment.

The bills are not created here: the bills' part of the demo starts them from the formal
projects with `plan_services.start_bill` (or links them with `link_bill`)."""

from __future__ import annotations

from datetime import date

from renda.core import services as core
from renda.core.models import Body, HandlingUnit, User
from renda.suggestions.models import Suggestion
from renda.workflow.engine import perform

from . import plan_services
from .models import Bill
from .plan_models import LegislativeNeed, PlanItem

PLAN_MEETING = 37  # 主任会议第三十七次会议 adopts the 2020 plan
A = Bill.Area
S = LegislativeNeed.Source
C = PlanItem.Category


def build_plan(ctx) -> None:
    city, term = ctx.refs["city"], ctx.refs["term"]
    staff = User.objects.get(username="bangongshi")
    units = {u.short_name: u for u in HandlingUnit.objects.filter(congress=city)}
    bodies = {b.short_name: b for b in Body.objects.filter(congress=city)}
    meeting = core.create_committee_meeting(ctx.admin, term, PLAN_MEETING, date(2020, 1, 10), kind="directors_meeting")

    def gov(unit, title, area, reason, day):
        return plan_services.record_need(
            staff, city, source=S.GOVERNMENT, unit=units[unit], title=title, area=area, reason=reason, on=day
        )

    pesticide = gov(
        "市农牧局",
        "巴彦淖尔市农药污染防治条例",
        A.ECOLOGY,
        "河套灌区农药使用量大，包装废弃物随意丢弃，土壤和乌梁素海水质受到威胁；"
        "需要规范农药经营使用、包装废弃物回收处置和监督管理责任。",
        date(2020, 1, 2),
    )
    transport = gov(
        "市交通运输局",
        "巴彦淖尔市城市客运交通管理条例",
        A.URBAN,
        "城区公交、出租汽车和网约车发展不平衡，经营秩序和服务质量问题突出，群众反映强烈；"
        "需要明确规划建设、经营许可、运营服务和监督检查的规则。",
        date(2020, 1, 3),
    )
    heating = gov(
        "市住建局",
        "巴彦淖尔市城市供热条例",
        A.URBAN,
        "城区集中供热管网老化、收费和服务纠纷多，现行规范性文件效力层级低，需要以法规规范供用热双方权利义务。",
        date(2020, 1, 3),
    )
    # a committee: the lake's protection, studied this year
    lake = plan_services.record_need(
        staff,
        city,
        source=S.COMMITTEE,
        body=bodies["城建环资工委"],
        title="巴彦淖尔市乌梁素海保护条例",
        area=A.ECOLOGY,
        reason="乌梁素海是黄河流域重要湿地，综合治理进入攻坚阶段，需要以法规固定流域综合治理的体制机制和成果。",
        on=date(2020, 1, 6),
    )
    needs = [(pesticide, C.FORMAL, "市农牧局", 6), (transport, C.FORMAL, "市交通运输局", 8)]
    needs += [(heating, C.PREPARATORY, "市住建局", None), (lake, C.RESEARCH, "城建环资工委", None)]

    # a deputy's suggestion (代表建议) asking for rules on property management (suggestions' demo)
    suggestion = Suggestion.objects.filter(congress=city, title__contains="规范物业管理服务").order_by("pk").first()
    if suggestion is not None and suggestion.state != "draft":
        property_need = plan_services.record_need(
            staff,
            city,
            source=S.DEPUTY,
            suggestion=suggestion,
            title="巴彦淖尔市物业管理条例",
            area=A.URBAN,
            reason=f"代表在《{suggestion.title}》中提出：物业服务不规范、业主委员会成立难、维修资金使用难，建议制定地方性法规。",
            on=date(2020, 1, 6),
        )
        needs.append((property_need, C.PREPARATORY, "市住建局", None))

    # the public, through the portal form
    def public(title, area, reason, day, contact, name=""):
        return plan_services.submit_need(
            city, {"title": title, "area": area, "reason": reason, "contact": contact, "proposer": name}, today=day
        )

    dogs = public(
        "巴彦淖尔市养犬管理条例",
        A.GRASSROOTS,
        "城区养犬数量增加，犬只伤人、扰民和污染环境问题多，建议制定养犬管理规定。",
        date(2020, 1, 4),
        "13904781234",
        "王先生",
    )
    needs.append((dogs, C.RESEARCH, "市公安局", None))
    tax = public(
        "巴彦淖尔市个体工商户税收减免办法",
        A.OTHER,
        "疫情影响下个体工商户经营困难，建议地方立法减免个人所得税。",
        date(2020, 1, 5),
        "zhangsan2020@example.cn",
    )

    plan = plan_services.create_plan(
        staff,
        city,
        2020,
        title="巴彦淖尔市人大常委会2020年度立法计划",
        text="坚持党委领导、人大主导、政府依托、各方参与，围绕生态文明建设和城市管理安排立法项目："
        "正式项目2件，预备项目和调研项目若干件。",
        on=date(2020, 1, 6),
    )
    for need, category, drafter, month in needs:
        perform(
            need,
            "accept",
            staff,
            {"plan": plan.pk, "category": category, "drafter": drafter, "planned_month": month or ""},
            today=date(2020, 1, 8),
        )
    perform(
        tax,
        "refuse",
        staff,
        {
            "note": "税收属于国家基本制度，只能制定法律（立法法第十一条），不属于设区的市地方性法规的立法权限"
            "（立法法第八十一条）；已将意见转市税务部门研究。"
        },
        today=date(2020, 1, 8),
    )
    perform(plan, "adopt", staff, {"meeting": meeting.pk}, today=date(2020, 1, 10))
    perform(plan, "publish", staff, {}, today=date(2020, 1, 16))

    # in the course of the year: a public need studied as an adjustment of the published plan
    civility = public(
        "巴彦淖尔市文明行为促进条例",
        A.GRASSROOTS,
        "创建全国文明城市需要以法规倡导文明行为、治理不文明行为，建议列入立法计划。",
        date(2020, 5, 11),
        "0478-8123456",
    )
    perform(
        civility,
        "accept",
        staff,
        {
            "plan": plan.pk,
            "category": C.RESEARCH,
            "drafter": "市文明办",
            "note": "市委部署创建全国文明城市，经主任会议研究增加为调研项目。",
        },
        today=date(2020, 6, 5),
    )
    ctx.refs["legislative_plan"] = plan
