"""Issue 10, points 7 and 8 in a browser: Chinese error pages with a way back, and the
流程图 as pictures; desktop and phone, no sideways scrolling of the page."""

import pytest

from factories import PASSWORD, build_world

from .conftest import SCREENSHOTS
from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser
SIZES = {"desktop": ({"width": 1366, "height": 900}, False), "phone": ({"width": 390, "height": 844}, True)}


@pytest.fixture
def site(live_server, transactional_db):
    build_world()
    return live_server.url


def open_page(browser, site, size, username=None):
    viewport, mobile = SIZES[size]
    page = browser.new_context(viewport=viewport, is_mobile=mobile, locale="zh-CN").new_page()
    if username:
        page.goto(f"{site}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click(".login-wrap button[type=submit]")
        page.wait_for_url(f"{site}/work/")
    return page


@pytest.mark.parametrize("size", SIZES)
def test_error_pages(browser, site, shot, size):
    page = open_page(browser, site, size, "staff")
    page.goto(f"{site}/work/no-such-page/")
    assert page.inner_text("h1") == "页面不存在"
    assert_cjk_renders(page)
    assert_no_horizontal_overflow(page)
    shot(page, f"i10-7-404-work-{size}-after")
    page.click("text=返回工作台")
    page.wait_for_url(f"{site}/work/")
    page.context.close()

    page = open_page(browser, site, size, "deputy")
    page.goto(f"{site}/work/workflow/")
    assert page.inner_text("h1") == "无权访问此页面"
    assert "只有机关工作人员可以查看流程定义。" in page.inner_text("main")
    assert_no_horizontal_overflow(page)
    shot(page, f"i10-7-403-{size}-after")
    page.click("text=返回上一页")  # back to the workbench it came from
    page.wait_for_url(f"{site}/work/")
    page.context.close()

    page = open_page(browser, site, size)
    page.goto(f"{site}/no-such-page/")
    assert page.inner_text("h1") == "页面不存在"
    assert_no_horizontal_overflow(page)
    shot(page, f"i10-7-404-public-{size}-after")
    page.click("text=返回门户首页")
    page.wait_for_url(f"{site}/")
    for _ in range(6):
        page.goto(f"{site}/accounts/login/")
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong-password")
        page.click(".login-wrap button[type=submit]")
    assert page.inner_text("h1") == "登录已暂时锁定"
    assert_no_horizontal_overflow(page)
    shot(page, f"i10-7-locked-{size}-after")
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_workflow_diagrams(browser, site, shot, size):
    page = open_page(browser, site, size, "staff")
    page.goto(f"{site}/work/workflow/")
    for key, state in (("suggestion", "待交办"), ("filing", "纠正情况待核实")):
        section = page.locator(f"section.workflow[data-case-type={key}]")
        box = section.locator(".diagram-box")
        assert box.locator("svg text", has_text=state).count() == 1
        assert_cjk_renders(page, f"section.workflow[data-case-type={key}] svg .state text")
        # a picture wider than its box scrolls inside it, and then the hint says so
        wide = box.evaluate("b => b.scrollWidth > b.clientWidth + 1")
        assert not wide or section.locator(".diagram-hint").is_visible()
        section.screenshot(path=str(SCREENSHOTS / f"i10-8-workflow-{key}-{size}-after.png"))
    assert_no_horizontal_overflow(page)
    shot(page, f"i10-8-workflow-page-{size}-after")
    page.goto(f"{site}/work/workflow/calendar/")
    assert "国务院办公厅公布的节假日安排" in page.inner_text("main")
    shot(page, f"i10-8-calendar-{size}-after")
    page.context.close()
