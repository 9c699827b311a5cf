"""The public comment pages (/legislation/…): a published comment period's draft, article by
article, with a comment form while it is open."""

from django.urls import include, path

from . import public_views

app_name = "legislation_public"
urlpatterns = [
    path("comments/<int:pk>/", public_views.period, name="period"),
    path("", include("renda.legislation.plan_public_urls")),  # 立法计划: plan_views.py
    path("regulations/", public_views.regulations, name="regulations"),
    path("regulations/<int:pk>/", public_views.regulation, name="regulation"),
]
