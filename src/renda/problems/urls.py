from django.urls import path

from . import views

app_name = "problems"
urlpatterns = [
    path("", views.Ledger.as_view(), name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("lists/<int:pk>/", views.problem_list, name="list"),
    path("open/<str:label>/<int:pk>/", views.open_for, name="open"),
]
