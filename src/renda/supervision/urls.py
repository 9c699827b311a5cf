from django.urls import include, path

from . import views

app_name = "supervision"
# the items' pages must match each CaseType.url in cases.py
urlpatterns = [
    path("", views.ItemList.as_view(), name="index"),
    path("plans/", include("renda.supervision.plan_urls")),  # plan pages: plan_views.py
    path("dues/", views.dues, name="dues"),
    path("reading/", views.reading, name="reading"),
    path("new/", views.add, name="add"),
    path("interpellations/new/", views.interpellation_new, name="interpellation_new"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("investigations/<int:pk>/", views.investigation, name="investigation"),
    path("inquiries/<int:pk>/", views.inquiry, name="inquiry"),
    path("interpellations/<int:pk>/", views.interpellation, name="interpellation"),
    path("inquiries/<int:pk>/questions/new/", views.question, name="question"),
    path("<str:slug>/<int:pk>/speeches/new/", views.speech, name="speech"),
    path("<str:slug>/<int:pk>/activities/new/", views.activity, name="activity"),
]
