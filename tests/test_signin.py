"""Sign-in (issue 11): two-factor sign-in, session timeouts, the password policy and the
must-change flag, and lock-out by account and by address. Codes come from the device's key
(django-otp's TOTP), never from a real clock."""

from __future__ import annotations

from binascii import unhexlify
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from factories import PASSWORD
from renda.core import services, signin, twofactor
from renda.core.models import AuditEntry, Body, Role, User


@pytest.fixture
def people(db, settings):
    """A congress with a staff account (second factor required) and a committee member's
    (optional), enforcement on as in production."""
    settings.RENDA_2FA_ENFORCE = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off: the tests type fast
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    root = User.objects.create_superuser("root", password=PASSWORD)
    city = services.create_congress(root, code="150800000000", region="巴彦淖尔市", level="city")
    office = services.create_body(root, city, "巴彦淖尔市人大常委会办公室", "办公室", Body.Kind.OFFICE)
    staff = services.create_account(
        root, username="staff", password=PASSWORD, roles=[dict(role=Role.STAFF, congress=city, body=office)]
    )
    member = services.create_account(
        root, username="member", password=PASSWORD, roles=[dict(role=Role.MEMBER, congress=city)]
    )
    return {"root": root, "city": city, "staff": staff, "member": member}


def code_for(key_hex: str) -> str:
    return f"{TOTP(unhexlify(key_hex), step=30, t0=0, digits=6).token():06d}"


def sign_in(username, password=PASSWORD, ip="10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return client, response


def enrolled(user):
    """Gives `user` a confirmed authenticator and recovery codes; returns (device, codes)."""
    device = TOTPDevice.objects.create(user=user, name=twofactor.DEVICE_NAME, confirmed=True)
    return device, twofactor.new_recovery_codes(user)


# --- two-factor ---


def test_a_required_account_enrols_before_reaching_anything(people):
    client, response = sign_in("staff")
    assert response.status_code == 302
    # every page leads to enrolment; the API refuses the session in Chinese
    response = client.get("/work/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/?next=")
    assert client.get("/work/units/")["Location"].startswith("/accounts/2fa/setup/")
    api = client.get("/api/units")
    assert api.status_code == 403 and "完成登录验证" in api.json()["detail"]

    page = client.get("/accounts/2fa/setup/")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "设置两步验证" in body and "须启用两步验证" in body
    key = client.session["renda_2fa_new_key"]
    assert twofactor.secret_text(key) in body
    assert not TOTPDevice.objects.filter(user=people["staff"]).exists()  # nothing stored before it is confirmed

    wrong = client.post("/accounts/2fa/setup/", {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert client.get("/work/").status_code == 302

    done = client.post("/accounts/2fa/setup/", {"code": code_for(key), "next": "/work/"})
    assert done.status_code == 200
    codes = StaticToken.objects.filter(device__user=people["staff"]).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=people["staff"]).confirmed
    assert client.get("/work/").status_code == 200
    assert AuditEntry.objects.filter(action="enable_2fa", object_id=str(people["staff"].pk)).exists()


def test_an_enrolled_account_gives_a_code_after_its_password(people):
    device, _ = enrolled(people["staff"])
    client, response = sign_in("staff")
    verify = client.get("/work/units/")
    assert verify["Location"] == "/accounts/2fa/verify/?next=%2Fwork%2Funits%2F"
    assert "验证码" in client.get(verify["Location"]).content.decode()

    wrong = client.post("/accounts/2fa/verify/", {"code": "12345a"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    # a wrong code is a failed sign-in: axes counts it against the account
    assert AccessAttempt.objects.filter(username="staff").get().failures_since_start == 1

    right = client.post("/accounts/2fa/verify/", {"code": code_for(device.key), "next": "/work/units/"})
    assert right.status_code == 302 and right["Location"] == "/work/units/"
    assert client.get("/work/units/").status_code == 200
    # sign-in complete: the account's failures are forgotten
    assert not AccessAttempt.objects.filter(username="staff").exists()


def test_a_recovery_code_works_once(people):
    _, codes = enrolled(people["staff"])
    client, _ = sign_in("staff")
    assert client.post("/accounts/2fa/verify/", {"code": codes[0].upper()}).status_code == 302
    assert client.get("/work/").status_code == 200
    again, _ = sign_in("staff")
    response = again.post("/accounts/2fa/verify/", {"code": codes[0]})
    assert response.status_code == 200 and "已使用过" in response.content.decode()
    assert again.get("/work/").status_code == 302
    assert twofactor.recovery_codes_left(people["staff"]) == 9


def test_wrong_codes_lock_the_account_and_sign_the_session_out(people, settings):
    enrolled(people["staff"])
    client, _ = sign_in("staff")
    for _ in range(settings.RENDA_LOGIN_FAILURE_LIMIT - 1):
        assert client.post("/accounts/2fa/verify/", {"code": "000001"}).status_code == 200
    locked = client.post("/accounts/2fa/verify/", {"code": "000001"})
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # a fresh password sign-in is refused while locked, even from another address
    assert sign_in("staff", ip="10.9.9.9")[1].status_code == 429


def test_an_optional_account_signs_in_with_its_password_and_may_turn_two_factor_on_and_off(people):
    client, _ = sign_in("member")
    assert client.get("/work/").status_code == 200
    client.get("/accounts/2fa/setup/")
    key = client.session["renda_2fa_new_key"]
    assert client.post("/accounts/2fa/setup/", {"code": code_for(key)}).status_code == 200
    # from now on the member gives a code too
    later, _ = sign_in("member")
    assert later.get("/work/")["Location"].startswith("/accounts/2fa/verify/")
    # turning it off takes a current code; a wrong one changes nothing
    device = TOTPDevice.objects.get(user=people["member"])
    assert "验证码不正确" in client.post("/accounts/2fa/disable/", {"code": "12345678"}).content.decode()
    device.last_t = -1  # the enrolment code's time step was used: the same code is refused as a replay
    device.save()
    assert client.post("/accounts/2fa/disable/", {"code": code_for(device.key)})["Location"] == "/accounts/2fa/"
    assert not TOTPDevice.objects.filter(user=people["member"]).exists()
    assert not StaticToken.objects.filter(device__user=people["member"]).exists()


def test_a_required_account_cannot_turn_two_factor_off_but_renews_its_recovery_codes(people):
    device, old = enrolled(people["staff"])
    client, _ = sign_in("staff")
    client.post("/accounts/2fa/verify/", {"code": old[0]})
    response = client.get("/accounts/2fa/disable/", follow=True)
    assert "不能关闭" in response.content.decode()
    assert TOTPDevice.objects.filter(user=people["staff"]).exists()
    renewed = client.post("/accounts/2fa/recovery-codes/", {"code": code_for(device.key)})
    new = list(StaticToken.objects.filter(device__user=people["staff"]).values_list("token", flat=True))
    assert renewed.status_code == 200 and len(new) == 10 and all(code in renewed.content.decode() for code in new)
    assert not set(old) & set(new)


def test_enforcement_off_requires_nothing(people, settings):
    settings.RENDA_2FA_ENFORCE = False
    client, _ = sign_in("staff")
    assert client.get("/work/").status_code == 200
    assert "身份验证器" not in Client().get("/accounts/login/").content.decode()


# --- session timeouts ---


def rewind(client, **seconds):
    session = client.session
    for key, by in seconds.items():
        session[key] -= by
    session.save()


def test_an_idle_session_is_signed_out_with_a_message(people, settings):
    client, _ = sign_in("member")
    assert client.get("/work/").status_code == 200
    idle = settings.RENDA_SESSION_IDLE_MINUTES * 60
    rewind(client, renda_seen_at=idle - 30, renda_signed_in_at=idle - 30)
    assert client.get("/work/").status_code == 200  # still within the limit: the visit renews it
    rewind(client, renda_seen_at=idle + 1, renda_signed_in_at=idle + 1)
    response = client.get("/work/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fwork%2Funits%2F"
    assert "_auth_user_id" not in client.session
    assert "长时间未操作，已自动退出，请重新登录" in client.get(response["Location"]).content.decode()


def test_a_session_ends_after_its_maximum_lifetime_however_active(people, settings):
    client, _ = sign_in("member")
    rewind(client, renda_signed_in_at=settings.RENDA_SESSION_MAX_HOURS * 3600 + 1)
    assert client.get("/work/")["Location"].startswith("/accounts/login/")


def test_last_seen_is_written_at_most_once_a_minute(people):
    client, _ = sign_in("member")
    rewind(client, renda_seen_at=30)
    before = client.session["renda_seen_at"]
    client.get("/work/")
    assert client.session["renda_seen_at"] == before
    rewind(client, renda_seen_at=40)  # 70 seconds ago now
    client.get("/work/")
    assert client.session["renda_seen_at"] > before + 30


# --- passwords ---


@pytest.mark.parametrize(
    "password, ok",
    [("qzxvkmwp", False), ("qzxvKMWP", False), ("qzxv4729", False), ("qzxvKM47", True), ("qzxv47#$", True)],
)
def test_passwords_need_three_of_four_character_classes(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError) as error:
            validate_password(password)
        assert "密码须至少包含大写字母、小写字母、数字、符号中的3类。" in error.value.messages


def test_password_rules_refuse_short_common_and_username_like_ones_in_chinese(people):
    user = people["member"]
    for password in ("Ab1!", "Password1", "Member2024!"):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
            validate_password(password, user)
        assert all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in error.value.messages)


def test_an_account_made_by_an_administrator_changes_its_password_first(people, settings):
    settings.RENDA_2FA_ENFORCE = False  # the administrator here signs in without a second factor
    admin = Client()
    services.grant_role(people["root"], people["root"], role=Role.ADMIN, congress=people["city"])
    admin.force_login(people["root"])
    response = admin.post(
        "/work/accounts/new/",
        {
            "username": "newcomer",
            "display_name": "新同志",
            "password": "Initial-2026x",
            "role": Role.MEMBER,
            "congress": people["city"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="newcomer").must_change_password

    client, _ = sign_in("newcomer", "Initial-2026x")
    assert client.get("/work/")["Location"] == "/accounts/password/"
    assert client.get("/work/units/")["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/").content.decode()
    assert "您的密码由管理员设置" in page
    weak = client.post(
        "/accounts/password/",
        {"old_password": "Initial-2026x", "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert weak.status_code == 200 and "密码须至少包含" in weak.content.decode()
    changed = client.post(
        "/accounts/password/",
        {"old_password": "Initial-2026x", "new_password1": "Mine-2026-only", "new_password2": "Mine-2026-only"},
    )
    assert changed.status_code == 302
    assert not User.objects.get(username="newcomer").must_change_password
    assert client.get("/work/").status_code == 200


def test_a_password_reset_by_an_administrator_must_be_changed(people):
    services.grant_role(people["root"], people["root"], role=Role.ADMIN, congress=people["city"])
    services.reset_password(people["root"], people["member"], "Reset-2026-pw")
    client, _ = sign_in("member", "Reset-2026-pw")
    assert client.get("/work/")["Location"] == "/accounts/password/"
    assert AuditEntry.objects.filter(action="reset_password", object_id=str(people["member"].pk)).exists()


def test_an_old_password_must_be_changed_when_a_maximum_age_is_set(people, settings):
    User.objects.filter(pk=people["member"].pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client, _ = sign_in("member")
    assert client.get("/work/").status_code == 200  # no maximum by default
    settings.RENDA_PASSWORD_MAX_AGE_DAYS = 90
    assert client.get("/work/")["Location"] == "/accounts/password/"
    assert "已使用较长时间" in client.get("/accounts/password/").content.decode()


# --- lock-out by account and by address ---


def test_one_address_trying_many_accounts_is_locked(people, settings):
    settings.RENDA_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(5):
        assert sign_in(f"guess{n}", "wrong", ip="10.6.6.6")[1].status_code == 200
    assert sign_in("guess5", "wrong", ip="10.6.6.6")[1].status_code == 429
    # the address is locked, even for a right password; other addresses are not
    assert sign_in("member", ip="10.6.6.6")[1].status_code == 429
    assert sign_in("member", ip="10.7.7.7")[1].status_code == 302
    assert signin.unlock(ip="10.6.6.6") > 0
    assert sign_in("member", ip="10.6.6.6")[1].status_code == 302


def test_many_addresses_attacking_one_account_lock_the_account(people, settings):
    for n in range(settings.RENDA_LOGIN_FAILURE_LIMIT):
        assert sign_in("member", "wrong", ip=f"10.1.1.{n}")[1].status_code in (200, 429)
    assert sign_in("member", ip="10.2.2.2")[1].status_code == 429
    assert sign_in("staff", ip="10.1.1.0")[1].status_code == 302  # those addresses are not locked
    call_command("unlock", username="member")
    assert sign_in("member", ip="10.2.2.2")[1].status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_an_address_count(people, settings):
    settings.RENDA_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for n in range(3):
        sign_in(f"guess{n}", "wrong", ip="10.6.6.6")
    assert sign_in("member", ip="10.6.6.6")[1].status_code == 302
    sign_in("guess9", "wrong", ip="10.6.6.6")
    assert sign_in("staff", ip="10.6.6.6")[1].status_code == 429
