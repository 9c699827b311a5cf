from django.urls import path

from . import views

app_name = "ballots"
urlpatterns = [
    path("<int:pk>/", views.ballot, name="ballot"),
]
