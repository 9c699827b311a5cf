"""Issue 10 (points 5 and 10) in a browser: clickable to-dos and clocks, and the phone menu
that keeps its icon and reaches 修改密码."""

import pytest

from factories import add_samples, build_world

from .test_workbench import assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    add_samples(build_world())
    return live_server.url


def test_clocks_link_their_cases_and_the_phone_menu_works(browser, site, shot):
    page = login(browser, site, "unit", mobile=True)
    clock = page.locator("[data-testid=clock] a").first
    assert "责任方：巴彦淖尔市教育局" in page.inner_text("[data-testid=clock] >> nth=0")
    assert_no_horizontal_overflow(page)
    toggle = page.locator(".menu-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.inner_text() == "✕"
    # the icon stays visible: white on the red bar, not on .btn:hover's light grey
    style = toggle.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert style[0] == "rgb(255, 255, 255)" and style[1].startswith("rgba(255, 255, 255, 0.")  # see-through
    assert page.locator(".sidenav >> text=修改密码").is_visible()
    shot(page, "i10-10-phone-menu-unit-e2e")
    href = clock.get_attribute("href")
    toggle.click()
    clock.click()
    page.wait_for_url(f"{site}{href}")
    page.context.close()
