"""年度监督工作计划: the list, a plan's page (PLAN.url: /work/supervision/plans/<pk>/), drafting a
plan and adding an item. Included under "plans/" by supervision/urls.py (namespace supervision)."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("", plan_views.PlanList.as_view(), name="plans"),
    path("new/", plan_views.create, name="plan_create"),
    path("<int:pk>/", plan_views.detail, name="plan"),
    path("<int:pk>/items/new/", plan_views.add_item, name="plan_add_item"),
]
