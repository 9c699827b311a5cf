"""Passwords, login throttling, CSRF, the append-only audit trail, production settings."""

import os
import subprocess
import sys

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from renda.core.models import AuditEntry, User


def test_passwords_are_hashed_with_argon2(world):
    assert world.users["staff"].password.startswith("argon2$argon2id$")


def test_production_hasher_is_argon2():
    out = subprocess.run(
        [sys.executable, "-c", "from renda.config import settings; print(settings.PASSWORD_HASHERS[0])"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "renda.config.settings"},
    )
    assert out.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_login_works_and_is_throttled(world, password, settings):
    client = Client()
    response = client.post("/accounts/login/", {"username": "staff", "password": password})
    assert response.status_code == 302 and response["Location"] == "/work/"
    other = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = other.post("/accounts/login/", {"username": "deputy", "password": "wrong"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = other.post("/accounts/login/", {"username": "deputy", "password": "wrong"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    # even the right password is refused while locked
    response = other.post("/accounts/login/", {"username": "deputy", "password": password})
    assert response.status_code == 429


def test_login_form_requires_csrf(world, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "staff", "password": password})
    assert response.status_code == 403


def test_audit_trail_cannot_be_edited(world):
    entry = AuditEntry.objects.first()
    entry.action = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    for sql in ("UPDATE core_auditentry SET action = 'forged'", "DELETE FROM core_auditentry"):
        with pytest.raises(DatabaseError):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert not AuditEntry.objects.filter(action="forged").exists()


def test_demo_secret_is_refused_in_production():
    env = {k: v for k, v in os.environ.items() if k not in ("RENDA_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(RENDA_DEBUG="0", DJANGO_SETTINGS_MODULE="renda.config.settings")
    out = subprocess.run([sys.executable, "-m", "renda", "check"], capture_output=True, text=True, env=env)
    assert out.returncode != 0
    assert "RENDA_SECRET_KEY" in out.stderr
    env["RENDA_SECRET_KEY"] = "a-real-secret-for-this-test-only-0123456789"
    env["RENDA_DATA_KEYS"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="  # personal data (test_personal_data)
    out = subprocess.run(
        [sys.executable, "-m", "renda", "check", "--deploy", "--fail-level", "ERROR"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0, out.stderr


def test_security_headers(world, client_for):
    response = client_for("staff").get("/work/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_inactive_user_cannot_log_in(world, password):
    User.objects.filter(username="member").update(is_active=False)
    response = Client().post("/accounts/login/", {"username": "member", "password": password})
    assert response.status_code == 200


def test_the_client_address_behind_trusted_proxies(rf, settings):
    from renda.core.http import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4", REMOTE_ADDR="10.0.0.1")
    settings.RENDA_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"  # no proxy: the header is the client's own words
    settings.RENDA_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"  # what our proxy saw, not what the client claimed
    settings.RENDA_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.1"  # fewer entries than proxies: fall back
