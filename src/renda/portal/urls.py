from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("deputies/", views.DeputyDirectory.as_view(), name="deputies"),
    path("suggestions/", views.PublicSuggestions.as_view(), name="suggestions"),
    path("suggestions/<int:pk>/", views.suggestion, name="suggestion"),
    path("open-api/", views.open_api, name="open_api"),
]
