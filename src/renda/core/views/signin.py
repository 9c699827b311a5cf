"""The sign-in pages beyond Django's: the login view (which completes sign-in when no second
step is due), the two-factor pages and the password change. The rules live in core.signin
and core.twofactor; SignInMiddleware sends a session to the step it owes."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from .. import signin, twofactor
from ..forms import LoginForm
from ..services import audit

SETUP_KEY = "renda_2fa_new_key"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=20,
        help_text="身份验证器应用显示的6位数字；手机不在身边时，可输入一个恢复码。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if twofactor.pending(self.request) is None:
            signin.signed_in(self.request, form.get_user())
        return response


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def clean(self):
        cleaned = super().clean()
        # a password an administrator chose (must change) or an expired one is not renewed by typing it again
        password = cleaned.get("new_password1")
        if password and not self.errors and self.user.check_password(password):
            self.add_error("new_password2", ValidationError("新密码不能与当前密码相同。", code="password_unchanged"))
        return cleaned


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = "/work/"
    form_class = PasswordChangeForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(due=signin.password_change_due(self.request.user), **kwargs)

    def form_valid(self, form):
        form.user.must_change_password = False  # saved with the new password
        response = super().form_valid(form)
        audit(form.user, "change_password", form.user, {})
        messages.success(self.request, "密码已修改。")
        return response


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _locked(request):
    """The code step under a lock-out (too many wrong passwords or codes): signed out."""
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, None, credentials)
    return None


@never_cache
@login_required
def verify(request):
    """The code step after the password: a code from the app, or a recovery code."""
    if twofactor.pending(request) != "twofactor_verify":
        return redirect(_next(request))
    locked = _locked(request)
    if locked:
        return locked
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request, form.cleaned_data["code"]):
            signin.signed_in(request, request.user)
            return redirect(_next(request))
        form.add_error("code", "验证码不正确或已使用过，请重新输入。")
    return render(request, "registration/twofactor_verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def setup(request):
    """Enrolment: a new key (kept in the session until confirmed) shown once as a QR code and
    as text; the first code confirms it, then the recovery codes are shown once."""
    if twofactor.device(request.user):
        return redirect("twofactor")
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "身份验证器应用中显示的6位数字。"
    key = request.session.get(SETUP_KEY)
    if request.method == "POST" and key and form.is_valid():
        codes = twofactor.enrol(request, key, form.cleaned_data["code"])
        if codes:
            del request.session[SETUP_KEY]
            signin.signed_in(request, request.user)
            return render(request, "registration/twofactor_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", "验证码不正确：请核对手机时间，并输入应用中当前显示的6位数字。")
    if request.method == "GET" or not key:
        key = twofactor.new_key()
        request.session[SETUP_KEY] = key
    context = {
        "form": form,
        "qr": twofactor.qr_svg(request.user, key),
        "secret": twofactor.secret_text(key),
        "required": twofactor.required(request.user),
        "next": _next(request),
    }
    return render(request, "registration/twofactor_setup.html", context)


@login_required
def overview(request):
    user = request.user
    context = {
        "enabled": twofactor.device(user) is not None,
        "required": twofactor.required(user),
        "codes_left": twofactor.recovery_codes_left(user),
    }
    return render(request, "core/twofactor.html", context)


@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes (the old ones stop working), after a current code."""
    if not twofactor.device(request.user):
        return redirect("twofactor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.check(request, form.cleaned_data["code"]):
            codes = twofactor.new_recovery_codes(request.user)
            audit(request.user, "renew_recovery_codes", request.user, {})
            return render(request, "registration/twofactor_codes.html", {"codes": codes, "next": "/work/"})
        form.add_error("code", "验证码不正确或已使用过。")
    return render(request, "core/twofactor_confirm.html", {"form": form, "action": "recovery"})


@login_required
def disable(request):
    """Turning two-factor sign-in off, after a current code: only where it is optional."""
    if not twofactor.device(request.user):
        return redirect("twofactor")
    if twofactor.required(request.user):
        messages.error(request, "您的角色必须使用两步验证，不能关闭。")
        return redirect("twofactor")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.check(request, form.cleaned_data["code"]):
            twofactor.disable(request.user)
            messages.success(request, "两步验证已关闭。")
            return redirect("twofactor")
        form.add_error("code", "验证码不正确或已使用过。")
    return render(request, "core/twofactor_confirm.html", {"form": form, "action": "disable"})
