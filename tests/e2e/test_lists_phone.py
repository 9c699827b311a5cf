"""The list pages on a phone (390×844) and on a desktop (1366×900), over the demo year:
no sideways scrolling, the key fields of the first row in sight, names not broken one
character per line, pages of bounded height. Below 700px each row is a card
(core/_list_body.html, renda.css); a desktop keeps the table."""

import pytest
from django.core.management import call_command

from renda.core.listing import Listing
from renda.demo.context import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PHONE_ROWS = Listing.__dataclass_fields__["phone_per_page"].default
DESKTOP_ROWS = Listing.__dataclass_fields__["per_page"].default

# (account or None for the public, path, shot name, labels of key fields the first card shows)
LISTS = [
    (None, "/deputies/", "portal-deputies", ["人大", "工作单位及职务"]),
    (None, "/suggestions/", "portal-suggestions", ["领衔代表", "办理状态"]),
    (None, "/filing/", "portal-filing", ["制定机关", "审查状态"]),
    ("daibiao1", "/work/suggestions/", "deputy-suggestions", ["领衔代表", "状态"]),
    ("jiaoyuju", "/work/suggestions/", "unit-suggestions", ["主办单位", "状态"]),
    ("bangongshi", "/work/suggestions/", "staff-suggestions", ["编号", "状态"]),
    ("fagongwei", "/work/filing/", "staff-filing", ["制定机关", "状态"]),
    ("zhengfuban", "/work/filing/", "unit-filing", ["文号", "状态"]),
    ("bangongshi", "/work/deputies/", "staff-deputies", ["代表团", "工作单位及职务", "状态"]),
    ("bangongshi", "/work/members/", "staff-members", ["职务", "状态"]),
    ("bangongshi", "/work/party/study/", "staff-party-study", ["日期", "类别"]),
]


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_demo", quiet=True)
    return live_server.url


def open_list(browser, site, account, path, viewport):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, locale="zh-CN")
    page = context.new_page()
    if account:
        page.goto(f"{site}/accounts/login/")
        page.fill("#id_username", account)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click(".login-wrap button[type=submit]")
        page.wait_for_url(f"{site}/work/")
    else:
        page.goto(f"{site}/")
    page.goto(site + path)
    assert page.locator("main h1").count() == 1, path
    return page


def measure(page):
    return page.evaluate(
        "({width: document.scrollingElement.scrollWidth, inner: innerWidth,"
        " height: document.scrollingElement.scrollHeight})"
    )


def title_chars_per_line(page):
    """How many characters of the first row's title (its name) stand on one line: the
    text's length over the number of lines it takes."""
    return page.evaluate(
        """() => {
          const cell = document.querySelector("table.list tbody tr td.title");
          const el = cell.querySelector("a") || cell;
          const range = document.createRange();
          range.selectNodeContents(el);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          const text = el.textContent.trim();
          return {text, lines: tops.size, perLine: text.length / Math.max(tops.size, 1)};
        }"""
    )


def count(page):
    return int(page.locator("main p.muted").filter(has_text="共").first.inner_text().split()[1])


def check_first_row(page, path, labels):
    first = page.locator("table.list tbody tr").first
    assert first.locator("td.title").is_visible(), path
    for label in labels:
        cell = first.locator("td.key, td.action").filter(has_text=label)
        assert cell.count() >= 1, (path, label)
        assert cell.first.is_visible(), (path, label)
    title = title_chars_per_line(page)
    assert title["perLine"] >= min(len(title["text"]), 4), (path, title)


def test_lists_on_a_phone(browser, site, shot):
    for account, path, name, labels in LISTS:
        page = open_list(browser, site, account, path, PHONE)
        m = measure(page)
        assert m["width"] <= m["inner"], (path, m)  # never sideways
        assert page.locator("table.list thead").is_hidden(), path  # rows are cards
        first = page.locator("table.list tbody tr").first
        # every key field of the first card is a visible "label：value" line
        for label in labels:
            line = first.locator("td.key").filter(has_text=f"{label}：")
            assert line.count() >= 1 and line.first.is_visible(), (path, label)
            assert line.first.locator(".cell-label").is_visible(), (path, label)
        check_first_row(page, path, labels)
        rows = page.locator("table.list tbody tr").count()
        assert rows == min(count(page), PHONE_ROWS), (path, rows)
        # a card is a few lines, not a column of single characters
        for box in page.locator("table.list tbody tr").evaluate_all("rs => rs.map(r => r.offsetHeight)"):
            assert box < 260, (path, box)
        assert m["height"] <= 1200 + rows * 190, (path, m)
        shot(page, f"i10-lists-{name}-after")
        page.context.close()

    # the folded fields open on a tap, and the 排序 chips sort without the table's header
    page = open_list(browser, site, None, "/deputies/", PHONE)
    first = page.locator("table.list tbody tr").first
    gender = first.locator("td.minor").filter(has_text="性别：")
    assert gender.is_hidden()
    first.locator("td.fold summary").click()
    assert gender.is_visible()
    assert first.locator("td.fold summary").inner_text().startswith("收起")
    assert measure(page)["width"] <= PHONE["width"]
    shot(page, "i10-lists-portal-deputies-open-after")
    page.click(".sort-chips >> text=姓名")
    assert "sort=person__name" in page.url
    page.context.close()


def test_lists_on_a_desktop(browser, site, shot):
    for account, path, name, labels in LISTS:
        page = open_list(browser, site, account, path, DESKTOP)
        m = measure(page)
        assert m["width"] <= m["inner"], (path, m)
        assert page.locator("table.list thead").is_visible(), path  # the table stays
        assert page.locator(".sort-chips").count() == 0 or page.locator(".sort-chips").is_hidden(), path
        assert page.locator("table.list tbody .cell-label").first.is_hidden(), path
        check_first_row(page, path, labels)
        rows = page.locator("table.list tbody tr").count()
        assert rows == min(count(page), DESKTOP_ROWS), (path, rows)
        assert m["height"] <= 1200 + rows * 110, (path, m)
        shot(page, f"i10-lists-{name}-desktop-after")
        page.context.close()
