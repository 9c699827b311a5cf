"""The supervision work pages (/work/supervision/…). The plan pages come from plan_urls."""

from django.urls import include, path

app_name = "supervision"
urlpatterns = [
    path("plans/", include("renda.supervision.plan_urls")),
]
