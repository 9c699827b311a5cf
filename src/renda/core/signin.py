"""Sign-in beyond the password: the steps a signed-in session must still take (a second
factor, a new password), session timeouts, and the lock-out limits (django-axes).

One middleware, SignInMiddleware, keeps a session to these rules on every request:
1. a session idle for RENDA_SESSION_IDLE_MINUTES, or older than RENDA_SESSION_MAX_HOURS,
   is signed out and sent to the login page with a message;
2. until it has passed its second factor (core.twofactor), a session may only reach the
   second-factor pages, logout and static files;
3. then, an account whose password an administrator chose (or that is older than
   RENDA_PASSWORD_MAX_AGE_DAYS) may only reach the password change page.
Bearer API tokens (renda token create) carry no session and are not concerned."""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from . import twofactor

SIGNED_IN_AT = "renda_signed_in_at"
SEEN_AT = "renda_seen_at"
SEEN_WRITE_EVERY = 60  # seconds: last-seen is written at most once a minute, not on every request
TIMEOUT_MESSAGE = "长时间未操作，已自动退出，请重新登录。"


def start_session(request) -> None:
    """Called on sign-in (core.apps connects it to user_logged_in)."""
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


def session_expired(request) -> bool:
    """True when the session is past its idle or absolute limit; otherwise notes the visit."""
    now = timezone.now().timestamp()
    session = request.session
    if SIGNED_IN_AT not in session:  # a session from before this rule: its clock starts now
        start_session(request)
        return False
    if now - session[SIGNED_IN_AT] > settings.RENDA_SESSION_MAX_HOURS * 3600:
        return True
    if now - session.get(SEEN_AT, session[SIGNED_IN_AT]) > settings.RENDA_SESSION_IDLE_MINUTES * 60:
        return True
    if now - session.get(SEEN_AT, 0) >= SEEN_WRITE_EVERY:
        session[SEEN_AT] = now
    return False


def password_change_due(user) -> bool:
    if user.must_change_password:
        return True
    days = settings.RENDA_PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return False
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > timedelta(days=days)


def pending_step(request) -> str | None:
    """The URL name of the step this signed-in session must take first, if any."""
    user = request.user
    step = twofactor.pending(request)
    if step:
        return step
    if password_change_due(user):
        return "password_change"
    return None


class SignInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            answer = self.check(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def check(self, request):
        api = request.path.startswith("/api/")
        if session_expired(request):
            logout(request)
            if api:  # the API answers the now anonymous request itself (401)
                return None
            messages.info(request, TIMEOUT_MESSAGE)
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if request.path.startswith(settings.STATIC_URL):
            return None
        step = pending_step(request)
        if step is None:
            return None
        if request.path in (reverse(step), reverse("logout")):
            return None
        if api:
            return JsonResponse({"detail": "请先在网页上完成登录验证。"}, status=403)
        target = reverse(step)
        if request.method == "GET" and step != "password_change":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


# --- lock-out (django-axes) ---


def failure_limit(request, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: axes compares the larger of an account's and an address's failure
    counts with one limit; this gives each its own (RENDA_LOGIN_FAILURE_LIMIT for an account,
    RENDA_LOGIN_ADDRESS_FAILURE_LIMIT for an address), answering a limit that the larger
    count has reached exactly when either count has reached its own."""
    by_account, by_address = (
        qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        for qs in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    )
    if by_account >= settings.RENDA_LOGIN_FAILURE_LIMIT or by_address >= settings.RENDA_LOGIN_ADDRESS_FAILURE_LIMIT:
        return 1
    return max(by_account, by_address) + 1


def signed_in(request, user) -> None:
    """Sign-in is complete (password and, where due, second factor): the account's failures
    are forgotten (AXES_RESET_ON_SUCCESS is off, see settings)."""
    reset(username=user.get_username())


def unlock(*, username: str | None = None, ip: str | None = None) -> int:
    """Lifts the lock-out of an account, of an address, or of both (the security
    administrator's page and `renda unlock` call it); returns the failure records removed."""
    if not username and not ip:
        raise ValueError("unlock() needs a username or an address")
    removed = 0
    if username:
        removed += reset(username=username)
    if ip:
        removed += reset(ip=ip)
    return removed
