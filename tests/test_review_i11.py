"""Findings of the attacker's review of issue 11's change, each with the test that failed
before its fix."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import Client

from factories import PASSWORD
from renda.core import services, twofactor
from renda.core.models import ApiToken, AuditEntry


def test_pages_that_audit_the_signed_in_user_work(world, client_for):
    """request.user is a lazy wrapper (django-otp's middleware): audit() took its type for the
    model and every page auditing the user answered 500 — enrolment, password change, tokens."""
    client = client_for("deputy")
    response = client.post("/work/tokens/", {"name": "手机"})
    assert response.status_code == 200 and "rd_" in response.content.decode()
    changed = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Mine-2026-only", "new_password2": "Mine-2026-only"},
    )
    assert changed.status_code == 302
    assert AuditEntry.objects.filter(action="change_password", actor=world.users["deputy"]).exists()


def test_a_new_password_must_differ_from_the_current_one(world, client_for):
    """A must-change or expired password was renewed by typing it again."""
    same = client_for("deputy").post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert same.status_code == 200 and "新密码不能与当前密码相同" in same.content.decode()


def test_the_export_entry_cannot_be_rewritten_from_the_query_string(world, client_for):
    client_for("staff").get("/work/deputies/", {"export": "xlsx", "rows": "0", "list": "nothing", "searched": "x"})
    entry = AuditEntry.objects.filter(action="export").latest("seq")
    assert entry.changes["list"] != "nothing" and entry.changes["rows"] != "0" and entry.changes["searched"] is False
    assert "filters" not in entry.changes  # only the list's own filters are recorded


def test_refusals_are_logged_at_most_so_often_per_client(world, settings):
    from renda.core.audit import DENIED_PER_MINUTE

    client = Client(REMOTE_ADDR="192.0.2.66")
    client.force_login(world.users["deputy"])
    for _ in range(DENIED_PER_MINUTE + 15):
        assert client.get("/work/accounts/new/").status_code == 403
    assert AuditEntry.objects.filter(action="denied", ip="192.0.2.66").count() == DENIED_PER_MINUTE


def test_the_system_administrator_cannot_reset_the_auditors_password(world):
    """三员分立: the system administrator would know the password of the one who watches them."""
    with pytest.raises(PermissionDenied):
        services.reset_password(world.users["admin"], world.users["auditor"], "Taken-Over-2026")
    with pytest.raises(PermissionDenied):
        services.reset_password(world.users["admin"], world.users["security"], "Taken-Over-2026")
    services.reset_password(world.users["admin"], world.users["staff"], "Fresh-Start-2026")  # others still


def test_tokens_do_not_outlive_a_reset_password_or_a_second_factor_turned_off(world):
    deputy = world.users["deputy"]
    services.issue_api_token(deputy, "手机")
    services.reset_password(world.users["admin"], deputy, "Fresh-Start-2026")
    assert not ApiToken.objects.filter(user=deputy, revoked_at__isnull=True).exists()
    services.issue_api_token(deputy, "平板")
    twofactor.disable(deputy)
    assert not ApiToken.objects.filter(user=deputy, revoked_at__isnull=True).exists()


def test_an_ipv6_client_is_locked_out_by_its_64(world, settings):
    """Rotating addresses inside one /64 escaped the per-address lock-out."""
    for i in range(settings.RENDA_LOGIN_ADDRESS_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}").post(
            "/accounts/login/", {"username": f"nobody{i}", "password": "wrong"}
        )
    response = Client(REMOTE_ADDR="2001:db8:1:2::ffff").post(
        "/accounts/login/", {"username": "staff", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert (
        Client(REMOTE_ADDR="2001:db8:1:3::1")
        .post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        .status_code
        == 302
    )  # the next /64 is someone else


def test_the_audit_page_takes_dates_at_the_calendars_ends(world, client_for):
    for query in ("until=9999-12-31", "since=0001-01-01"):
        response = client_for("auditor").get(f"/work/audit/?{query}")
        assert response.status_code == 200 and "已忽略" in response.content.decode()


def test_lockouts_show_a_typed_name_that_is_no_account_as_a_hash(world, client_for, settings):
    attacker = Client(REMOTE_ADDR="198.51.100.30")
    for _ in range(settings.RENDA_LOGIN_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "MySecret-Pass1", "password": "x"})
    assert AccessAttempt.objects.filter(username="MySecret-Pass1").exists()
    page = client_for("security").get("/work/lockouts/").content.decode()
    assert "MySecret-Pass1" not in page and "未知账号#" in page
