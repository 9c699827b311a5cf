"""立法计划 pages, included under "plans/" by legislation/urls.py (namespace legislation). The
plan's and the need's pages must match LEGISLATIVE_PLAN.url and LEGISLATIVE_NEED.url."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("", plan_views.PlanList.as_view(), name="plans"),
    path("new/", plan_views.plan_create, name="plan_create"),
    path("<int:pk>/", plan_views.plan, name="plan"),
    path("<int:pk>/items/new/", plan_views.plan_add_item, name="plan_add_item"),
    path("items/<int:pk>/bill/", plan_views.item_start_bill, name="plan_item_bill"),
    path("needs/", plan_views.NeedList.as_view(), name="needs"),
    path("needs/new/", plan_views.need_create, name="need_create"),
    path("needs/<int:pk>/", plan_views.need, name="need"),
]
