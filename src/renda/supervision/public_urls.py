"""The public supervision pages (/supervision/…): published plans, published items with
their reports, opinions, responses and satisfaction results."""

from django.urls import path

from . import public_views

app_name = "supervision_public"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("plans/<int:pk>/", public_views.plan, name="plan"),
    path("items/", public_views.items, name="items"),
    path("items/<slug:kind>/<int:pk>/", public_views.item, name="item"),
]
