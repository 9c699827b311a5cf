from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/data/", views.dashboard_data, name="dashboard_data"),
    path("metrics/", views.metric_list, name="metric_list"),
    path("metrics/<str:metric_id>/", views.metric_detail, name="metric_detail"),
]
