from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("congresses/", views.CongressList.as_view(), name="congress_list"),
    path("congresses/new/", views.congress_edit, name="congress_create"),
    path("congresses/<int:pk>/", views.congress_detail, name="congress_detail"),
    path("congresses/<int:pk>/edit/", views.congress_edit, name="congress_edit"),
    path("bodies/", views.BodyList.as_view(), name="body_list"),
    path("bodies/new/", views.body_edit, name="body_create"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("units/", views.UnitList.as_view(), name="unit_list"),
    path("units/new/", views.unit_edit, name="unit_create"),
    path("units/import/", views.unit_import, name="unit_import"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("members/", views.MemberList.as_view(), name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/import/", views.member_import, name="member_import"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("deputies/", views.DeputyList.as_view(), name="deputy_list"),
    path("deputies/new/", views.deputy_edit, name="deputy_create"),
    path("deputies/import/", views.deputy_import, name="deputy_import"),
    path("deputies/<int:pk>/", views.deputy_detail, name="deputy_detail"),
    path("deputies/<int:pk>/edit/", views.deputy_edit, name="deputy_edit"),
    path("accounts/", views.AccountList.as_view(), name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("notifications/", views.notifications, name="notifications"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
