"""The public pages of the legislative plan (/legislation/…, namespace legislation_public):
the published plans and the form through which anyone proposes a regulation."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("plans/", plan_views.public_plans, name="plans"),
    path("plans/<int:pk>/", plan_views.public_plan, name="plan"),
    path("needs/new/", plan_views.public_need, name="need_new"),
    path("needs/received/", plan_views.public_need_received, name="need_received"),
    path("needs/status/", plan_views.public_need_status, name="need_status"),
]
