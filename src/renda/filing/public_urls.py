from django.urls import path

from . import public

app_name = "filing_public"
urlpatterns = [
    path("", public.PublicFilings.as_view(), name="index"),
    path("<int:pk>/", public.document, name="document"),
    path("proposals/new/", public.propose, name="propose"),
    path("proposals/received/", public.received, name="received"),
    path("proposals/status/", public.status, name="status"),
    path("proposals/", public.answers, name="answers"),
]
