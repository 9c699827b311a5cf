from django.contrib.auth import views as auth_views
from django.urls import path

from .views import signin
from .views.audit import signin_history

urlpatterns = [
    path("login/", signin.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", signin.PasswordChangeView.as_view(), name="password_change"),
    path("2fa/", signin.overview, name="twofactor"),
    path("2fa/verify/", signin.verify, name="twofactor_verify"),
    path("2fa/setup/", signin.setup, name="twofactor_setup"),
    path("2fa/recovery-codes/", signin.recovery_codes, name="twofactor_recovery"),
    path("2fa/disable/", signin.disable, name="twofactor_disable"),
    path("history/", signin_history, name="signin_history"),
]
