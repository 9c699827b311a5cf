from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("", views.case_types, name="case_types"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("case/<str:case_type>/<int:pk>/<str:key>/", views.transition, name="transition"),
]
