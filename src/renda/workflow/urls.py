from django.urls import path

from . import views, workbench

app_name = "workflow"
urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("workflow/", views.case_types, name="case_types"),
    path("workflow/diagram/<str:key>.<str:fmt>", views.diagram_source, name="diagram"),
    path("workflow/calendar/", views.calendar_view, name="calendar"),
    path("workflow/case/<str:case_type>/<int:pk>/<str:key>/", views.transition, name="transition"),
]
