from django.urls import include, path

from . import views

app_name = "legislation"
# the bill's page must match BILL.url in cases.py
urlpatterns = [
    path("", views.BillList.as_view(), name="index"),
    path("<int:pk>/", views.bill, name="bill"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("comments/<int:pk>/", views.comments, name="comments"),
    path("plans/", include("renda.legislation.plan_urls")),  # 立法计划: plan_views.py
]
