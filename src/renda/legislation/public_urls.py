"""The public comment pages (/legislation/…): a published comment period's draft, article by
article, with a comment form while it is open."""

from django.urls import path

from . import public_views

app_name = "legislation_public"
urlpatterns = [path("comments/<int:pk>/", public_views.period, name="period")]
