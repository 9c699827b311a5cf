"""The public supervision pages and the staff's plan page in a browser, on a desktop and a phone:
no sideways scrolling, the heading in a CJK font, the items as cards on the phone. Screenshots
var/screenshots/sup-public-*.png and sup-plan-*.png (look at them)."""

import pytest

from factories import build_world
from test_supervision_public import build_public_year

from .test_workbench import assert_cjk_renders, login

pytestmark = pytest.mark.browser
SIZES = {"desktop": dict(width=1366, height=900), "phone": dict(width=390, height=844)}


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    return live_server.url, build_public_year(world)


def fits(page, width):
    # measured against the screen: a phone zooms out a page that is too wide (innerWidth grows)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("size", SIZES)
def test_public_plan_and_item(browser, site, shot, size):
    url, year = site
    viewport = SIZES[size]
    context = browser.new_context(viewport=viewport, is_mobile=size == "phone", locale="zh-CN")
    page = context.new_page()
    page.goto(f"{url}/")
    page.click("text=查看监督工作公开")
    page.wait_for_url(f"{url}/supervision/")
    shot(page, f"sup-public-index-{size}")
    page.click("text=2020年度监督工作计划")
    page.wait_for_selector("[data-testid=items]")
    assert_cjk_renders(page, "h2")
    fits(page, viewport["width"])
    text = page.inner_text("main")
    assert "关于2019年度全市环境状况的报告" in text and "已办结" in text and "开展中" in text
    if size == "phone":  # a card per item: its kind and progress as labelled lines
        assert page.locator("[data-testid=item] .cell-label:visible").count() >= 6
    shot(page, f"sup-public-plan-{size}")
    page.click("text=关于2019年度全市环境状况的报告")
    page.wait_for_selector("[data-testid=results]")
    fits(page, viewport["width"])
    assert "满意度测评结果" in page.inner_text("main")
    shot(page, f"sup-public-item-{size}")
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_staff_plan_page(browser, site, shot, size):
    url, year = site
    page = login(browser, url, "staff", mobile=size == "phone")
    page.goto(f"{url}/work/supervision/plans/{year['plan'].pk}/")
    page.wait_for_selector("[data-testid=progress]")
    fits(page, SIZES[size]["width"] if size == "phone" else 1280)
    text = page.inner_text("main")
    assert "共 2 项，已办结 1 项" in text and "调整计划" in text
    shot(page, f"sup-plan-{size}")
    page.context.close()
