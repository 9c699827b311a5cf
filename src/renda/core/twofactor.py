"""Two-factor sign-in with django-otp: a TOTP device (an authenticator app) and a static
device holding ten single-use recovery codes.

Required for the roles in RENDA_2FA_REQUIRED_ROLES (when RENDA_2FA_ENFORCE is on), optional
for the others. A session that has a confirmed device but has not given a code, or that must
have one and has none, is held at the code step or at enrolment (core.signin)."""

from __future__ import annotations

import re
from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .services import audit, revoke_tokens

RECOVERY_CODES = 10
TOTP_TOKEN = re.compile(r"^\d{6}$")
DEVICE_NAME = "身份验证器"


def required(user) -> bool:
    """Whether this account must have a second factor (by its roles, when enforced)."""
    if not settings.RENDA_2FA_ENFORCE:
        return False
    wanted = set(settings.RENDA_2FA_REQUIRED_ROLES)
    return user.is_superuser and "admin" in wanted or user.roles.filter(role__in=wanted).exists()


def device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending(request) -> str | None:
    """The second-factor step this session must take: "twofactor_verify", "twofactor_setup"
    or None. Accounts that enrolled are asked for their code even when not required."""
    # OTPMiddleware gives the session's user is_verified(); the user login() has just set has none
    is_verified = getattr(request.user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if device(request.user):
        return "twofactor_verify"
    if required(request.user):
        return "twofactor_setup"
    return None


# --- enrolment ---


def new_key() -> str:
    return random_hex(20)


def secret_text(key: str) -> str:
    """The key as an authenticator app takes it when typed in (base32, in groups of four)."""
    b32 = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def qr_svg(user, key: str) -> str:
    """The otpauth:// address of a new device as an inline SVG QR code (no image library)."""
    url = TOTPDevice(user=user, key=key, name=DEVICE_NAME).config_url
    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")


def totp_now(key: str) -> TOTP:
    return TOTP(unhexlify(key), step=30, t0=0, digits=6)


@transaction.atomic
def enrol(request, key: str, token: str) -> list[str] | None:
    """Confirms a device with its first code: saves it, marks the session verified and returns
    the recovery codes (shown once). None when the code is wrong."""
    user = request.user
    totp = totp_now(key)
    token = token.strip().replace(" ", "")
    if not TOTP_TOKEN.match(token) or not totp.verify(int(token), tolerance=1):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    totp_device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True, last_t=totp.t())
    codes = new_recovery_codes(user)
    otp_login(request, totp_device)
    audit(user, "enable_2fa", user, {})
    return codes


def new_recovery_codes(user) -> list[str]:
    """Replaces the account's recovery codes with ten new ones (each usable once)."""
    static, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "恢复码"})
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# --- the code step ---


def check(request, token: str):
    """Verifies a code (6 digits: the authenticator app; otherwise a recovery code, which is
    used up) against the signed-in account's devices; returns the device or None. A wrong code
    is a failed sign-in: axes counts it and the audit log records it."""
    user = request.user
    token = token.strip().replace(" ", "").lower()
    if TOTP_TOKEN.match(token):
        candidates = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
    found = None
    if token:
        with transaction.atomic():
            for candidate in candidates.select_for_update():
                if candidate.verify_token(token):
                    found = candidate
                    break
    if found is None:
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request, reason="otp"
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)  # locked out: signed out too; AxesMiddleware answers with its page
    return found


def verify(request, token: str):
    """The code step: on success the session is marked verified (django_otp.login)."""
    found = check(request, token)
    if found is not None:
        otp_login(request, found)
    return found


@transaction.atomic
def disable(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit(user, "disable_2fa", user, {"tokens_revoked": revoke_tokens(user)})
