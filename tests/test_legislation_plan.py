"""The legislative programme and annual plan (issue 13 item 1): needs from the government, a
deputy's suggestion (linked), a committee and the public (the intake form: throttle, receipt,
Chinese errors keeping the input); 立项论证 — accepted into the plan as a project, or refused with
a reason, LEG-1 checked as for a bill; the plan adopted by a directors' meeting, published,
adjusted only with a reason; a formal project starting its bill; scoping; constant queries."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories import SUGGESTION_TEXT, add_legislation_plan_samples
from renda.core import services as core_services
from renda.core.models import CommitteeMeeting
from renda.legislation import plan_services, services
from renda.legislation.models import Bill
from renda.legislation.plan_models import LegislativeNeed, LegislativePlan, PlanItem
from renda.legislation.plan_views import NEEDS_PER_HOUR
from renda.suggestions import services as suggestion_services
from renda.workflow.engine import perform
from renda.workflow.links import links_of
from renda.workflow.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    return core_services.create_committee_meeting(
        world.admin, world.term, 7, date(2020, 1, 10), kind=CommitteeMeeting.Kind.DIRECTORS_MEETING
    )


def need(world, title="样例市城市供热条例", area=Bill.Area.URBAN, unit=None, **extra):
    return plan_services.record_need(
        world.users["staff"],
        world.city,
        source=extra.pop("source", "government"),
        unit=unit or world.unit_a,
        title=title,
        area=area,
        reason="供热管网老化、收费纠纷多，需要以法规规范供用热双方权利义务。",
        **extra,
    )


def accept(world, n, plan, category="formal", **extra):
    data = {"plan": plan.pk, "category": category, "drafter": "市住建局", **extra}
    return perform(n, "accept", world.users["staff"], data, today=date(2020, 1, 8))


def test_the_plan_from_needs_to_publication_and_the_bill(world, meeting, client_for):
    staff = world.users["staff"]
    plan = plan_services.create_plan(staff, world.city, 2020, on=date(2020, 1, 6))
    assert plan.title == "2020年度立法计划" and plan.state == "draft"
    with pytest.raises(ValidationError):  # once a year
        plan_services.create_plan(staff, world.city, 2020)
    heating = need(world)
    accept(world, heating, plan, planned_month=6)
    item = PlanItem.objects.get(need=heating)
    heating.refresh_from_db()
    assert heating.state == "accepted" and heating.decided_on == date(2020, 1, 8)
    assert (item.category, item.area, item.drafter, item.planned_month) == ("formal", "urban", "市住建局", 6)

    perform(plan, "adopt", staff, {"meeting": meeting.pk}, today=date(2020, 1, 10))
    perform(plan, "publish", staff, {}, today=date(2020, 1, 16))
    plan.refresh_from_db()
    assert (plan.adopted_at, plan.adopted_on, plan.published_on) == (meeting, date(2020, 1, 10), date(2020, 1, 16))
    # a directors' member sees the plan but only the staff act
    with pytest.raises(PermissionDenied):
        perform(plan, "adjust", world.users["director"], {"note": "调整"})

    # after adoption a project comes in only with a reason, kept on the plan's timeline
    later = need(world, "样例市物业管理条例")
    with pytest.raises(ValidationError) as exc:
        accept(world, later, plan, "research")
    assert "调整须说明理由" in str(exc.value)
    accept(world, later, plan, "research", note="市委部署，经主任会议研究增加。")
    adjusted = Event.objects.for_case(plan).get(transition="adjust")
    assert "样例市物业管理条例" in adjusted.note and "市委部署" in adjusted.note

    # the formal project starts its bill; the plan page shows its progress
    bill = plan_services.start_bill(item, staff)
    assert (bill.title, bill.area, bill.drafter) == ("样例市城市供热条例", "urban", "市住建局")
    assert [v.other for v in links_of(item, staff)] == [bill]
    with pytest.raises(ValidationError):
        plan_services.start_bill(item, staff)
    research = PlanItem.objects.get(need=later)
    with pytest.raises(ValidationError):  # only formal projects
        plan_services.start_bill(research, staff)
    page = client_for("director").get(reverse("legislation:plan", args=[plan.pk])).content.decode()
    assert "起草中" in page and "样例市物业管理条例" in page and "已启动起草 <strong>1</strong>" in page


def test_start_bill_from_the_page(world, client_for):
    add_legislation_plan_samples(world)
    item = world.samples["lp_item"]
    r = client_for("staff").post(reverse("legislation:plan_item_bill", args=[item.pk]))
    bill = Bill.objects.get(title="样例市校园周边安全管理条例")
    assert r.status_code == 302 and r["Location"] == reverse("legislation:bill", args=[bill.pk])
    assert plan_services.bills_of([item])[item.pk] == bill
    assert client_for("member").post(reverse("legislation:plan_item_bill", args=[item.pk])).status_code == 403


def test_refusal_needs_a_reason(world):
    n = need(world)
    with pytest.raises(ValidationError):
        perform(n, "refuse", world.users["staff"], {"note": ""})
    perform(n, "refuse", world.users["staff"], {"note": "现行法律已有规定，无需另行立法。"}, today=date(2020, 2, 3))
    n.refresh_from_db()
    assert n.state == "refused" and n.decided_on == date(2020, 2, 3)
    assert Event.objects.for_case(n).get(transition="refuse").note == "现行法律已有规定，无需另行立法。"
    assert not PlanItem.objects.exists()


def test_leg1_outside_the_four_areas_needs_a_legal_basis(world):
    plan = plan_services.create_plan(world.users["staff"], world.city, 2020)
    tax = need(world, "样例市个体工商户税收减免办法", area=Bill.Area.OTHER)
    with pytest.raises(ValidationError) as exc:
        accept(world, tax, plan)
    # the same message as for a bill, from the one check
    assert exc.value.message_dict["area_basis"] == [services.OUTSIDE_SCOPE]
    tax.refresh_from_db()
    assert tax.state == "received" and not PlanItem.objects.exists()
    accept(world, tax, plan, area_basis="《中华人民共和国某法》第十条授权")
    assert PlanItem.objects.get().area_basis == "《中华人民共和国某法》第十条授权"
    # adding a project directly goes through the same check
    with pytest.raises(ValidationError) as exc:
        plan_services.add_item(
            world.users["staff"], plan, title="某条例", category="formal", area="other", drafter="市财政局"
        )
    assert exc.value.message_dict["area_basis"] == [services.OUTSIDE_SCOPE]


def test_a_deputys_need_links_the_suggestion(world):
    s = suggestion_services.save_draft(
        world.users["deputy"],
        lead=world.deputy,
        title="关于规范物业管理服务的建议",
        content=SUGGESTION_TEXT,
        category="城乡建设",
        cosigners=[],
    )
    perform(s, "submit", world.users["deputy"])
    perform(s, "register", world.users["staff"], {"category": "城乡建设", "published": "on"})
    with pytest.raises(ValidationError):
        need(world, source="deputy", unit=world.unit_a)
    n = plan_services.record_need(
        world.users["staff"],
        world.city,
        source="deputy",
        suggestion=s,
        title="样例市物业管理条例",
        area=Bill.Area.URBAN,
        reason="代表建议提出物业服务不规范，建议制定地方性法规。",
    )
    (view,) = links_of(n, world.users["staff"])
    assert view.other == s and view.phrase == "源于…"
    assert [v.other for v in links_of(s, world.users["staff"])] == [n]


def test_staff_and_a_department_record_needs_from_the_form(world, client_for):
    url = reverse("legislation:need_create")
    form = {
        "source": "government",
        "title": "样例市校园安全条例",
        "area": "grassroots",
        "reason": "短",
        "unit": world.unit_a.pk,
    }
    unit = client_for("unit")
    r = unit.post(url, form)
    assert r.status_code == 422 and "至少10个字" in r.content.decode() and "样例市校园安全条例" in r.content.decode()
    form["reason"] = "校园周边交通和治安问题突出，需要以法规明确各方责任。"
    r = unit.post(url, {**form, "unit": world.unit_b.pk})  # not its own department
    assert r.status_code == 422 and "unit" in r.context["form"].errors
    assert unit.post(url, form).status_code == 302
    n = LegislativeNeed.objects.get()
    assert (n.source, n.unit, n.state) == ("government", world.unit_a, "received")
    # the staff: a committee's need names the committee
    r = client_for("staff").post(url, {**form, "source": "committee", "unit": ""})
    assert r.status_code == 422 and "请选择提出建议的专门委员会或工作委员会" in r.content.decode()
    assert client_for("deputy").get(url).status_code == 403


PUBLIC_FORM = {
    "proposer": "王先生",
    "contact": "13904781234",
    "title": "样例市养犬管理条例",
    "area": "grassroots",
    "reason": "城区犬只伤人扰民问题多，建议制定养犬管理规定。",
}


def test_the_public_need_form(world, client_for):
    cache.clear()
    public = client_for("public")
    url = reverse("legislation_public:need_new")
    assert "提出立法项目建议" in public.get(url).content.decode()
    r = public.post(url, {**PUBLIC_FORM, "reason": "太短", "contact": "123"})
    page = r.content.decode()
    assert r.status_code == 200 and "至少10个字" in page and "请填写有效的电话号码或电子邮箱" in page
    assert "样例市养犬管理条例" in page and "王先生" in page  # what was typed is kept
    r = public.post(url, PUBLIC_FORM)
    assert r.status_code == 302 and r["Location"] == reverse("legislation_public:need_received")
    n = LegislativeNeed.objects.get()
    assert (n.source, n.state, n.congress, n.contact) == ("public", "received", world.city, "13904781234")
    assert n.receipt in public.get(r["Location"]).content.decode()
    # the robot trap: nothing kept
    assert public.post(url, {**PUBLIC_FORM, "website": "http://spam"}).status_code == 302
    assert LegislativeNeed.objects.count() == 1
    # the contact is for the staff only
    need_url = reverse("legislation:need", args=[n.pk])
    assert "13904781234" in client_for("staff").get(need_url).content.decode()
    member_page = client_for("member").get(need_url).content.decode()
    assert "13904781234" not in member_page and "王先生" not in member_page
    cache.clear()


def test_the_public_need_form_is_throttled(world, client_for):
    cache.clear()
    public = client_for("public")
    url = reverse("legislation_public:need_new")
    for _ in range(NEEDS_PER_HOUR):
        assert public.post(url, PUBLIC_FORM).status_code == 302
    refused = public.post(url, PUBLIC_FORM)
    page = refused.content.decode()
    assert refused.status_code == 429 and "提交过于频繁" in page and "样例市养犬管理条例" in page
    assert LegislativeNeed.objects.count() == NEEDS_PER_HOUR
    cache.clear()


def test_scoping(world, client_for):
    add_legislation_plan_samples(world)
    s = world.samples
    mine, public_need = s["lp_need"], s["lp_need_public"]
    other = need(world, "样例市道路交通安全条例", unit=world.unit_b)
    needs = reverse("legislation:needs")
    unit_page = client_for("unit").get(needs).content.decode()
    assert mine.title in unit_page and other.title not in unit_page and public_need.title not in unit_page
    assert client_for("other_unit").get(reverse("legislation:need", args=[mine.pk])).status_code == 404
    assert client_for("unit").get(reverse("legislation:need", args=[mine.pk])).status_code == 200
    staff_page = client_for("staff").get(needs).content.decode()
    assert all(t in staff_page for t in (mine.title, other.title, public_need.title))
    assert client_for("deputy").get(reverse("legislation:need", args=[mine.pk])).status_code == 404
    # the public sees published plans only
    public = client_for("public")
    listing = public.get(reverse("legislation_public:plans")).content.decode()
    assert s["lp_plan"].title in listing and s["lp_plan_draft"].title not in listing
    assert s["lp_plan_adopted"].title not in listing
    assert public.get(reverse("legislation_public:plan", args=[s["lp_plan_draft"].pk])).status_code == 404
    page = public.get(reverse("legislation_public:plan", args=[s["lp_plan"].pk])).content.decode()
    assert "样例市校园周边安全管理条例" in page and "正式项目" in page
    # a deputy sees the published plan at work, not the draft
    assert client_for("deputy").get(reverse("legislation:plan", args=[s["lp_plan_draft"].pk])).status_code == 404


def _queries(c, url):
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx)


def test_list_and_plan_pages_take_constant_queries(world, client_for):
    staff = world.users["staff"]
    plan = plan_services.create_plan(staff, world.city, 2020)
    c = client_for("staff")

    def fill(count, start):
        for n in range(start, start + count):
            x = need(world, f"样例市第{n}号条例", unit=world.unit_a if n % 2 else world.unit_b)
            accept(world, x, plan, "formal" if n % 3 else "research")
            item = PlanItem.objects.get(need=x)
            if n % 3:
                plan_services.start_bill(item, staff)
        for n in range(start, start + count):
            plan_services.submit_need(world.city, {**PUBLIC_FORM, "title": f"公众建议{n}"})

    fill(3, 0)
    urls = [
        reverse("legislation:needs"),
        reverse("legislation:plan", args=[plan.pk]),
        reverse("legislation:plans"),
    ]
    few = [_queries(c, u) for u in urls]
    fill(27, 3)
    assert [_queries(c, u) for u in urls] == few
    perform(
        plan,
        "adopt",
        staff,
        {
            "meeting": core_services.create_committee_meeting(
                world.admin, world.term, 8, date(2020, 1, 10), kind="directors_meeting"
            ).pk
        },
    )
    perform(plan, "publish", staff, {})
    public = client_for("public")
    assert _queries(public, reverse("legislation_public:plan", args=[plan.pk])) <= few[1]
    assert LegislativePlan.objects.count() == 1


def test_metrics_count_the_records_of_the_year(world):
    from renda.reports import metrics

    add_legislation_plan_samples(world)
    refused = need(world, "样例市税收条例", area=Bill.Area.OTHER, on=date(2020, 4, 1))
    perform(refused, "refuse", world.users["staff"], {"note": "不属于立法权限。"}, today=date(2020, 4, 2))
    scope = metrics.Scope(world.city, metrics.Period.year(2020))
    figures = {
        key: metrics.compute(f"legislation.{key}", scope).value
        for key in ("needs_received", "needs_from_public", "needs_refused", "plan_items", "plan_formal_items")
    }
    assert figures == {
        "needs_received": 4,
        "needs_from_public": 1,
        "needs_refused": 1,
        "plan_items": 1,
        "plan_formal_items": 1,
    }
    assert (
        metrics.compute("legislation.needs_received", metrics.Scope(world.city, metrics.Period.year(2019))).value == 0
    )


def test_the_proposer_follows_the_need_by_receipt(world, client_for):
    cache.clear()
    n = plan_services.submit_need(world.city, {**PUBLIC_FORM})
    public = client_for("public")
    url = reverse("legislation_public:need_status")
    page = public.get(url, {"receipt": n.receipt, "contact": "1234"}).content.decode()
    assert "正在进行立项论证" in page
    assert "查询码或联系方式不符" in public.get(url, {"receipt": n.receipt, "contact": "9999"}).content.decode()
    perform(n, "refuse", world.users["staff"], {"note": "现行法规已有规定，无需另行立法。"})
    page = public.get(url, {"receipt": n.receipt, "contact": "1234"}).content.decode()
    assert "不予立项" in page and "现行法规已有规定" in page
    # a need recorded at work is not looked up by the public
    other = need(world)
    page = public.get(url, {"receipt": other.receipt, "contact": "1234"}).content.decode()
    assert "查询码或联系方式不符" in page and other.title not in page
    cache.clear()


def test_the_proposer_learns_the_plan_only_once_published(world, meeting, client_for):
    cache.clear()
    staff = world.users["staff"]
    plan = plan_services.create_plan(staff, world.city, 2020, title="样例市2020年度立法计划草稿", on=date(2020, 1, 6))
    n = plan_services.submit_need(world.city, {**PUBLIC_FORM})
    accept(world, n, plan, category="preparatory")
    public = client_for("public")
    url = reverse("legislation_public:need_status")
    for step in (None, "adopt"):
        if step:
            perform(plan, step, staff, {"meeting": meeting.pk}, today=date(2020, 1, 10))
        page = public.get(url, {"receipt": n.receipt, "contact": "1234"}).content.decode()
        assert "已通过立项论证，待立法计划公布后告知" in page
        assert plan.title not in page and "预备项目" not in page
    perform(plan, "publish", staff, {}, today=date(2020, 1, 16))
    page = public.get(url, {"receipt": n.receipt, "contact": "1234"}).content.decode()
    assert plan.title in page and reverse("legislation_public:plan", args=[plan.pk]) in page
    assert "待立法计划公布后告知" not in page
    cache.clear()


def test_plan_forms_refuse_with_422_and_keep_the_input(world, client_for):
    staff = client_for("staff")
    url = reverse("legislation:plan_create")
    r = staff.post(url, {"congress": world.city.pk, "kind": "plan", "year": "1900", "title": "样例计划名称"})
    assert r.status_code == 422 and "样例计划名称" in r.content.decode()
    plan = plan_services.create_plan(world.users["staff"], world.city, 2020, on=date(2020, 1, 6))
    url = reverse("legislation:plan_add_item", args=[plan.pk])
    r = staff.post(url, {"title": "样例市某某条例", "category": "formal", "area": "urban", "drafter": ""})
    assert r.status_code == 422 and "样例市某某条例" in r.content.decode()
    assert not plan.items.exists()
    assert staff.get(url).status_code == 200


def test_list_breadcrumbs_are_reversed_and_not_repeated(world, client_for):
    staff = client_for("staff")
    index, plans = reverse("legislation:index"), reverse("legislation:plans")
    r = staff.get(plans)
    assert [(str(label), str(url)) for label, url in r.context["breadcrumbs"]] == [
        ("地方立法", index),
        ("立法规划和年度立法计划", ""),
    ]
    r = staff.get(reverse("legislation:needs"))
    assert [(str(label), str(url)) for label, url in r.context["breadcrumbs"]] == [
        ("地方立法", index),
        ("立法计划", plans),
        ("立法项目建议", ""),
    ]
    assert f'href="{plans}"' in r.content.decode()
