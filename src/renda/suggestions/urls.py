from django.urls import path

from . import views, views_routing

app_name = "suggestions"
urlpatterns = [
    path("", views.SuggestionList.as_view(), name="index"),
    path("new/", views.create, name="create"),
    path("new/assist/", views.assist, name="assist"),
    path("board/", views.board, name="board"),
    path("units/", views.unit_stats, name="unit_stats"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.create, name="edit"),
    path("<int:pk>/edit/assist/", views.assist, name="assist_edit"),
    # the routing model's retraining log and corrections (views_routing.py)
    path("routing/", views_routing.routing_log, name="routing_log"),
]
