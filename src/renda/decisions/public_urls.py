"""The public pages (/decisions/…): published resolutions and decisions with their adopted text."""

from django.urls import path

from . import public_views

app_name = "decisions_public"
urlpatterns = [
    path("", public_views.PublicResolutions.as_view(), name="index"),
    path("<int:pk>/", public_views.resolution, name="resolution"),
]
