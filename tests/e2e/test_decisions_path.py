"""A resolution walked in a real browser: staff draft it on the form, put it on a sitting's
agenda, open the vote; two of the three members vote 赞成 on the ballot page (a majority of all);
staff close the vote and publish it; the public reads it (number, text) on the portal, on a phone
without sideways scrolling. Screenshots dec01–dec07."""

import pytest
from playwright.sync_api import expect

from factories import add_voting_members, build_world
from renda.core import services as core_services

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

TITLE = "关于批准2019年市本级财政决算的决议"


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    admin = world.admin
    core_services.create_committee_meeting(admin, world.term, 22, world.term.start_date.replace(year=2020, month=8))
    add_voting_members(world)
    return live_server.url


def act(page, label, selects=None):
    page.click(f"[data-testid=actions] >> text={label}")
    for selector, value in (selects or {}).items():
        page.select_option(selector, label=value)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_a_resolution_from_draft_to_the_portal(browser, site, shot):
    staff = login(browser, site, "staff")
    staff.goto(f"{site}/work/decisions/new/")
    staff.fill("#id_title", TITLE)
    staff.select_option("#id_kind", label="决议")
    staff.select_option("#id_subject", label="批准决算")
    staff.fill("#id_proposer", "市人民政府")
    staff.fill("#id_draft", "会议审查了市人民政府提出的2019年市本级财政决算，决定予以批准。")
    shot(staff, "dec01-staff-draft-form")
    staff.click("main button[type=submit]")
    expect(staff.locator("[data-testid=state]")).to_have_text("起草中")
    assert_cjk_renders(staff)
    act(staff, "列入会议议程", {"#id_sitting": "巴彦淖尔市四届人大常委会第二十二次会议"})
    expect(staff.locator("[data-testid=state]")).to_have_text("已列入议程")
    act(staff, "交付表决", {"#id_kind": "记名投票"})
    expect(staff.locator("[data-testid=state]")).to_have_text("表决中")
    shot(staff, "dec02-staff-vote-open")
    case_url = staff.url
    ballot_url = staff.locator("[data-testid=ballots] a").first.get_attribute("href")

    for username in ("director", "m0"):
        member = login(browser, site, username, mobile=username == "m0")
        member.goto(site + ballot_url)
        member.get_by_label("赞成", exact=True).check()
        if username == "m0":
            shot(member, "dec03-member-ballot")
        member.click("main button[type=submit]")
        expect(member.locator("main")).to_contain_text("投票成功")
        member.context.close()

    staff.goto(case_url)
    act(staff, "结束表决并计票")
    expect(staff.locator("[data-testid=state]")).to_have_text("已通过")
    expect(staff.locator("[data-testid=ballots]")).to_contain_text("通过")
    shot(staff, "dec04-staff-adopted")
    act(staff, "公布")
    expect(staff.locator("[data-testid=state]")).to_have_text("已公布")
    expect(staff.locator("header.case-header")).to_contain_text("巴人常发〔")
    shot(staff, "dec05-staff-published")
    staff.context.close()

    visitor = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = visitor.new_page()
    page.goto(f"{site}/decisions/")
    expect(page.locator("main")).to_contain_text(TITLE)
    assert_no_horizontal_overflow(page)
    shot(page, "dec06-public-list-phone")
    page.click(f"main >> text={TITLE}")
    expect(page.locator("[data-testid=resolution]")).to_contain_text("决定予以批准")
    assert_cjk_renders(page, "h2")
    assert_no_horizontal_overflow(page)
    shot(page, "dec07-public-resolution-phone")
    visitor.close()
