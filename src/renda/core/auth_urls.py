from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm
from .views.audit import signin_history

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("history/", signin_history, name="signin_history"),
    path("password/", auth_views.PasswordChangeView.as_view(success_url="/work/"), name="password_change"),
]
