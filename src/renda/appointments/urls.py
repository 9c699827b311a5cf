from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("", views.BatchList.as_view(), name="index"),
    path("batches/new/", views.batch_new, name="batch_new"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/nominations/new/", views.nomination_new, name="nomination_new"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("batches/<int:pk>/oath/", views.oath_new, name="oath_new"),
    path("questions/", views.QuestionList.as_view(), name="questions"),
    path("questions/new/", views.question_new, name="question_new"),
    path("questions/import/", views.question_import, name="question_import"),
    path("people/<int:pk>/", views.person, name="person"),
    path("batches/<int:pk>/results/", views.results, name="results"),
    path("exams/", views.my_exams, name="my_exams"),
    path("exams/start/<int:pk>/", views.exam_start, name="exam_start"),
    path("exams/<int:pk>/", views.exam, name="exam"),
]
