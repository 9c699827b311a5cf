"""The legislative plan in a browser: a citizen proposes a regulation on the portal (an error
first, the text kept; then the receipt); the staff appraise it on the need's page — accepted into
the draft plan as a 调研项目 through the transition form —, record the directors' meeting's
adoption and publish; the plan's page on a phone without sideways scrolling; the public plan."""

from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from factories import add_legislation_plan_samples, build_world
from renda.legislation.plan_models import LegislativeNeed

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    cache.clear()
    world = build_world()
    add_legislation_plan_samples(world)
    return {"url": live_server.url, "world": world}


def test_a_public_need_into_the_plan(browser, site, shot):
    url, s = site["url"], site["world"].samples
    public = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN").new_page()
    public.goto(f"{url}/legislation/needs/new/")
    public.fill("#id_title", "样例市文明行为促进条例")
    public.select_option("#id_area", "grassroots")
    public.fill("#id_reason", "太短")
    public.fill("#id_contact", "13904781234")
    public.click("main button[type=submit]")
    expect(public.locator("main")).to_contain_text("至少10个字")
    assert public.input_value("#id_title") == "样例市文明行为促进条例"
    shot(public, "lp01-public-need-error")
    public.fill("#id_reason", "创建全国文明城市需要以法规倡导文明行为、治理不文明行为。")
    public.click("main button[type=submit]")
    expect(public.locator("[data-testid=receipt]")).to_be_visible()
    assert_no_horizontal_overflow(public)
    shot(public, "lp02-public-need-received")
    need = LegislativeNeed.objects.get(title="样例市文明行为促进条例")

    staff = login(browser, url, "staff")
    staff.goto(f"{url}/work/legislation/plans/needs/")
    shot(staff, "lp03-staff-needs")
    staff.goto(f"{url}/work/legislation/plans/needs/{need.pk}/")
    assert_cjk_renders(staff)
    staff.click("[data-testid=actions] >> text=立项：列入计划")
    staff.select_option("#id_plan", str(s["lp_plan_draft"].pk))
    staff.select_option("#id_category", "research")
    staff.fill("#id_drafter", "市文明办")
    staff.click("main button[type=submit]")
    expect(staff.locator("[data-testid=state]")).to_have_text("已列入计划")
    plan = s["lp_plan_draft"]
    staff.goto(f"{url}/work/legislation/plans/{plan.pk}/")
    expect(staff.locator("[data-testid=items]")).to_contain_text("样例市文明行为促进条例")
    staff.click("[data-testid=actions] >> text=主任会议通过")
    staff.select_option("#id_meeting", str(s["lp_meeting"].pk))
    staff.click("main button[type=submit]")
    expect(staff.locator("[data-testid=state]")).to_have_text("主任会议已通过")
    staff.click("[data-testid=actions] >> text=公布")
    staff.click("main button[type=submit]")
    expect(staff.locator("[data-testid=state]")).to_have_text("已公布")
    shot(staff, "lp04-staff-plan")

    director = login(browser, url, "director", mobile=True)
    director.goto(f"{url}/work/legislation/plans/{s['lp_plan'].pk}/")
    expect(director.locator("[data-testid=item-progress]").first).to_contain_text("未启动起草")
    assert_no_horizontal_overflow(director)
    shot(director, "lp05-director-plan-phone")

    public.goto(f"{url}/legislation/plans/")
    expect(public.locator("[data-testid=plans]")).to_contain_text(plan.title)
    public.goto(f"{url}/legislation/plans/{plan.pk}/")
    expect(public.locator("[data-testid=items]")).to_contain_text("样例市文明行为促进条例")
    assert_no_horizontal_overflow(public)
    shot(public, "lp06-public-plan")
    assert date(2020, 1, 1) <= s["lp_plan"].adopted_on
