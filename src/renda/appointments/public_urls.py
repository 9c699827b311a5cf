from django.urls import path

from . import views

app_name = "appointments_public"
urlpatterns = [path("", views.notices, name="notices")]
