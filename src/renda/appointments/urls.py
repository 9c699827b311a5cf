from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("", views.BatchList.as_view(), name="index"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/results/", views.results, name="results"),
    path("exams/", views.my_exams, name="my_exams"),
    path("exams/start/<int:pk>/", views.exam_start, name="exam_start"),
    path("exams/<int:pk>/", views.exam, name="exam"),
]
