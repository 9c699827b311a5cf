"""The deputy writes a suggestion on a phone (issue 10, point 3): one tap from the 工作台,
similar suggestions and the proposed category appear while typing, a refused 提交 keeps
the form and leaves no draft, the breadcrumb follows the state; staff find the proposal
pre-selected at 立案 with the similar suggestions as links."""

import re

import pytest
from playwright.sync_api import expect

from factories import PASSWORD, build_world
from renda.suggestions import routing, services
from renda.suggestions.models import Suggestion
from renda.workflow.engine import perform

pytestmark = pytest.mark.browser

WATER = "一些苏木乡镇的农村饮水工程管网老化，夏季经常停水，群众反映强烈。建议加大饮水安全工程投入，建立长效管护机制。"
SCHOOL = "一些苏木乡镇的农村牧区学校校舍陈旧，教师不足，学生上学路途远。建议改善办学条件，加强乡村教师队伍建设。"
CONTENT = "临河区部分农村饮水工程管网老化，夏季用水高峰时段经常停水，群众反映强烈。建议市水利局将管网改造纳入年度计划，加大资金投入，建立长效管护机制。"


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    world = build_world()
    for i in range(12):
        for text, category in ((WATER, "农牧水利"), (SCHOOL, "教育文体")):
            s = services.save_draft(
                world.users["other_deputy"],
                lead=world.other_deputy,
                title=f"关于第{i}件{category}事项的建议",
                content=f"{text}（第{i}件）",
                category="其他",
                cosigners=[],
            )
            perform(s, "submit", world.users["other_deputy"])
            perform(s, "register", world.users["staff"], {"category": category, "published": "on"})
    routing.retrain(world.city)
    return live_server.url, world


def login(browser, url, username, mobile):
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if mobile else {"width": 1366, "height": 900},
        is_mobile=mobile,
        locale="zh-CN",
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-wrap button[type=submit]")
    page.wait_for_url(f"{url}/work/")
    return page, errors


def no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_deputy_writes_on_a_phone(browser, site, shot):
    url, world = site
    page, errors = login(browser, url, "deputy", mobile=True)
    shot(page, "i10-3-workbench-after")
    page.click(".quick >> text=提出建议")  # one tap from the workbench
    page.wait_for_url(f"{url}/work/suggestions/new/")
    assert page.input_value("#id_category") == ""  # no silent default
    page.type("#id_title", "关于农村饮水的建议")
    page.type("#id_content", CONTENT[:60], delay=5)
    # while typing, without pressing 检查
    page.wait_for_selector("[data-assist-similar]:not([hidden]) li a")
    # expect() polls from Playwright's own world: a string wait_for_function is eval'd in the
    # page and the page's CSP (script-src 'self') forbids that
    expect(page.locator("#id_category")).to_have_value("农牧水利")
    reason = page.inner_text("[data-testid=category-reason]")
    assert re.match(r"系统建议：农牧水利（\d+%）", reason)
    links = page.locator("[data-assist-similar] li a")
    assert links.count() >= 1 and all(
        "/work/suggestions/" in links.nth(i).get_attribute("href") for i in range(links.count())
    )
    no_sideways_scrolling(page)
    shot(page, "i10-3-writing-after")

    # a 提交 refused as incomplete: the form is kept, no draft is written
    page.fill("#id_content", "饮水管网老化。")
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "内容过短" in page.inner_text("main") and page.input_value("#id_title") == "关于农村饮水的建议"
    assert not Suggestion.objects.filter(lead_deputy=world.deputy).exists()
    no_sideways_scrolling(page)
    shot(page, "i10-3-refused-after")

    page.fill("#id_content", CONTENT)
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r"/work/suggestions/\d+/$"))
    crumbs = page.inner_text(".breadcrumbs")
    assert "待立案" in crumbs and "草稿" not in crumbs
    no_sideways_scrolling(page)
    shot(page, "i10-3-submitted-after")
    assert errors == []
    s = Suggestion.objects.get(lead_deputy=world.deputy)
    assert s.state == "submitted" and s.category == "农牧水利"
    page.context.close()

    staff, errors = login(browser, url, "staff", mobile=False)
    staff.goto(f"{url}/work/workflow/case/suggestion/{s.pk}/register/")
    assert staff.input_value("#id_category") == "农牧水利"
    assert staff.locator("[data-testid=hints] a[href^='/work/suggestions/']").count() >= 1
    no_sideways_scrolling(staff)
    shot(staff, "i10-3-register-after")
    staff.context.close()
