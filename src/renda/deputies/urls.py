from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/elect/", views.elect, name="elect"),
    path("roster/<int:pk>/event/", views.record_event, name="record_event"),
]
