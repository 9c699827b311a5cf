"""The public site's page of a deputy's archive: the published summary (counts only)."""

from django.urls import path

from . import views

app_name = "deputies_public"
urlpatterns = [
    path("<int:pk>/archive/", views.public_summary, name="archive"),
]
