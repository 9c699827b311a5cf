from django.urls import path

from . import views

app_name = "bench_bare"
urlpatterns = [path("insert", views.insert, name="insert")]
