"""Two-factor sign-in in a browser: a staff account enrols (QR code and secret shown, a code
from the secret confirms it, recovery codes shown once), then signs in again with a code."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from factories import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db, settings):
    settings.RENDA_2FA_ENFORCE = True
    build_world()
    return live_server.url


def code(secret_text: str, offset: int = 0) -> str:
    """The authenticator app's code for the secret shown on the page (`offset` time steps on)."""
    b32 = secret_text.replace(" ", "")
    totp = TOTP(b32decode(b32 + "=" * (-len(b32) % 8)), step=30, t0=0, digits=6)
    totp.time = totp.time + offset * 30
    return f"{totp.token():06d}"


def test_staff_enrol_then_sign_in_with_a_code(browser, site, shot):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    assert "身份验证器" in page.inner_text(".login-wrap")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click(".login-wrap button[type=submit]")
    page.wait_for_url(f"{site}/accounts/2fa/setup/**")
    assert page.locator("[data-testid=qr] svg").bounding_box()["width"] >= 150
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "twofactor-setup-phone")
    secret = page.inner_text("[data-testid=secret]")
    page.goto(f"{site}/work/units/")  # nothing else is reachable before enrolment
    page.wait_for_url(f"{site}/accounts/2fa/setup/**")
    secret = page.inner_text("[data-testid=secret]")  # a new key each time the page is shown
    page.fill("#id_code", code(secret))
    page.click(".login-wrap button[type=submit]")
    codes = page.locator("[data-testid=recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    shot(page, "twofactor-recovery-codes")
    page.click("text=我已保存，继续")
    page.wait_for_url(f"{site}/work/units/")
    context.close()

    # signing in again: the code step; the next step's code (the enrolment used this one)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click(".login-wrap button[type=submit]")
    page.wait_for_url(f"{site}/accounts/2fa/verify/**")
    page.fill("#id_code", "000000" if code(secret, 1) != "000000" else "111111")
    page.click(".login-wrap button[type=submit]")
    assert "验证码不正确" in page.inner_text(".login-wrap")
    shot(page, "twofactor-verify-error")
    page.fill("#id_code", codes[0])
    page.click(".login-wrap button[type=submit]")
    page.wait_for_url(f"{site}/work/")
    context.close()
