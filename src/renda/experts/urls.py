from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.ExpertList.as_view(), name="list"),
    path("new/", views.expert_edit, name="create"),
    path("<int:pk>/", views.expert_detail, name="detail"),
    path("<int:pk>/edit/", views.expert_edit, name="edit"),
    path("assign/<str:label>/<int:pk>/", views.assign, name="assign"),
    path("assignments/<int:pk>/opinion/", views.record_opinion, name="opinion"),
]
