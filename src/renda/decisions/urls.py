from django.urls import path

from . import views

app_name = "decisions"
# the resolution's page must match RESOLUTION.url in cases.py
urlpatterns = [
    path("", views.ResolutionList.as_view(), name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.resolution, name="resolution"),
]
