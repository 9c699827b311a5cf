from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.SuggestionList.as_view(), name="index"),
    path("new/", views.create, name="create"),
    path("board/", views.board, name="board"),
    path("units/", views.unit_stats, name="unit_stats"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.create, name="edit"),
]
