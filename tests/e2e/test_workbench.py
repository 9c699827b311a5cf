"""Each kind of user signs in through the real login page and sees their 工作台."""

import pytest
from playwright.sync_api import expect

from factories import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    build_world()
    return live_server.url


def login(browser, site, username, *, mobile=False):
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if mobile else {"width": 1280, "height": 800},
        is_mobile=mobile,
        locale="zh-CN",
    )
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit], .login-wrap button[type=submit]")
    page.wait_for_url(f"{site}/work/")
    return page


def platform_fonts(page, selector):
    """The fonts Chromium actually used to draw the text of `selector` (DevTools)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def assert_cjk_renders(page, selector="h1"):
    fonts = platform_fonts(page, selector)
    families = {f["familyName"] for f in fonts}
    assert any("CJK" in f or "Noto Sans" in f for f in families), families
    assert all(f["glyphCount"] > 0 for f in fonts)


def assert_no_horizontal_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize(
    "username,expect",
    [
        ("staff", ["新增代表", "导入代表", "我的待办"]),
        ("director", ["我的待办", "即将到期"]),
        ("unit", ["本单位信息", "我的单位", "巴彦淖尔市教育局"]),
    ],
)
def test_desk_workbench(browser, site, shot, username, expect):
    page = login(browser, site, username)
    text = page.inner_text("main")
    for words in expect:
        assert words in text
    assert_cjk_renders(page)
    assert_no_horizontal_overflow(page)
    shot(page, f"workbench-{username}")
    page.context.close()


def test_deputy_workbench_on_a_phone(browser, site, shot):
    page = login(browser, site, "deputy", mobile=True)
    assert "我的代表信息" in page.inner_text("main")
    assert "我的代表资格" in page.inner_text("main")
    assert_cjk_renders(page)
    assert_no_horizontal_overflow(page)
    # the main action is a large touch target
    box = page.locator(".quick .btn").first.bounding_box()
    assert box["height"] >= 44
    shot(page, "workbench-deputy-phone")
    page.click("text=我的代表信息")
    # the deputy sees their own contact data: masked, then in full on request (in place, by renda.js)
    assert "139****0001" in page.inner_text("main") and "13900000001" not in page.inner_text("main")
    page.click("text=显示完整号码")
    # expect() rather than a string wait_for_function, which the page's CSP forbids to eval
    expect(page.locator("main")).to_contain_text("13900000001")
    assert "显示完整号码" not in page.inner_text("main")
    shot(page, "deputy-self-phone")
    page.context.close()


def test_wrong_password_keeps_username_and_explains(browser, site, shot):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", "wrong-password")
    page.click(".login-wrap button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text(".login-wrap")
    assert page.input_value("#id_username") == "staff"
    shot(page, "login-error")
    context.close()


def test_staff_form_errors_and_lists(browser, site, shot):
    page = login(browser, site, "staff")
    page.goto(f"{site}/work/deputies/new/")
    page.fill("#id_name", "测试代表")
    page.fill("#id_mobile", "123")
    page.click("main button[type=submit]")
    assert "请输入11位手机号码。" in page.inner_text("main")
    assert page.input_value("#id_name") == "测试代表"
    shot(page, "deputy-form-errors")
    page.goto(f"{site}/work/deputies/")
    assert "王代表" in page.inner_text("main")
    assert_cjk_renders(page, "table tbody td a")
    shot(page, "deputy-list")
    page.goto(f"{site}/work/congresses/")
    shot(page, "congress-list")
    page.context.close()


def test_public_portal(browser, site, shot):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site}/")
    assert "巴彦淖尔市人大" in page.inner_text("header")
    assert_cjk_renders(page, "h1")
    shot(page, "portal-home")
    page.click("text=代表名录")
    assert "王代表" in page.inner_text("main") and "赵代表" not in page.inner_text("main")
    shot(page, "portal-deputies")
    context.close()
