from django.urls import path

from .views import accounts, audit, congresses, deputies, members, personal, units

app_name = "core"
urlpatterns = [
    path("congresses/", congresses.CongressList.as_view(), name="congress_list"),
    path("congresses/new/", congresses.congress_edit, name="congress_create"),
    path("congresses/<int:pk>/", congresses.congress_detail, name="congress_detail"),
    path("congresses/<int:pk>/edit/", congresses.congress_edit, name="congress_edit"),
    path("bodies/", congresses.BodyList.as_view(), name="body_list"),
    path("bodies/new/", congresses.body_edit, name="body_create"),
    path("bodies/<int:pk>/edit/", congresses.body_edit, name="body_edit"),
    path("units/", units.UnitList.as_view(), name="unit_list"),
    path("units/new/", units.unit_edit, name="unit_create"),
    path("units/import/", units.unit_import, name="unit_import"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("members/", members.MemberList.as_view(), name="member_list"),
    path("members/new/", members.member_create, name="member_create"),
    path("members/import/", members.member_import, name="member_import"),
    path("members/<int:pk>/edit/", members.member_edit, name="member_edit"),
    path("deputies/", deputies.DeputyList.as_view(), name="deputy_list"),
    path("deputies/new/", deputies.deputy_edit, name="deputy_create"),
    path("deputies/import/", deputies.deputy_import, name="deputy_import"),
    path("deputies/<int:pk>/", deputies.deputy_detail, name="deputy_detail"),
    path("deputies/<int:pk>/edit/", deputies.deputy_edit, name="deputy_edit"),
    # personal data: one value in full (audited), erasing a submitter's contact (core.personal)
    path("personal/<str:label>/<int:pk>/show/<str:field>/", personal.reveal, name="reveal_personal"),
    path("personal/<str:label>/<int:pk>/erase/", personal.erase, name="erase_contact"),
    path("accounts/", accounts.AccountList.as_view(), name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("notifications/", accounts.notifications, name="notifications"),
    path("tokens/", accounts.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", accounts.api_token_revoke, name="api_token_revoke"),
    path("audit/", audit.AuditLog.as_view(), name="audit_log"),
    path("audit/verify/", audit.audit_verify, name="audit_verify"),
    path("lockouts/", audit.lockouts, name="lockouts"),
]
