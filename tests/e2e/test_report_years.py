"""Issue 10, point 1 in a browser: with records only in 2020 (as in the demo), the work
summary opens on 2020 with its figures, and the suggestion list's 年度 chips are the years
the suggestions were submitted in. Look at the screenshots (i10-1-*-e2e.png)."""

import re

import pytest

from factories import add_samples, build_world
from renda.reports import metrics
from renda.reports.metrics import Period, Scope

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    world = add_samples(build_world())
    return live_server.url, world


@pytest.mark.parametrize("mobile", [False, True], ids=["desktop", "phone"])
def test_summary_opens_on_the_year_with_records(browser, site, shot, mobile):
    url, world = site
    received = metrics.compute("suggestions.received", Scope(world.city, Period.year(2020))).value
    page = login(browser, url, "staff", mobile=mobile)
    page.goto(f"{url}/work/reports/summary/")
    assert page.locator("#scope-year").input_value() == "2020"
    text = page.inner_text("main")
    assert "2020年巴彦淖尔市人大常委会工作综述" in text
    assert f"全年收到代表建议{received}件" in text and received > 0
    assert_cjk_renders(page)
    if not mobile:
        assert_no_horizontal_overflow(page)
    shot(page, f"i10-1-summary{'-phone' if mobile else ''}-e2e")
    page.context.close()


def test_suggestion_list_year_chips(browser, site, shot):
    url, world = site
    page = login(browser, url, "staff")
    page.goto(f"{url}/work/suggestions/")
    chips = page.locator('.chips[aria-label="年度"] .chip')
    assert chips.all_inner_texts() == ["全部", "2020年"]
    chips.nth(1).click()
    page.wait_for_url(re.compile(r"year=2020"))
    assert re.search(r"共 [1-9]\d* 条", page.inner_text("main"))
    shot(page, "i10-1-suggestions-year2020-e2e")
    page.context.close()
