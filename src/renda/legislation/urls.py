from django.urls import include, path

from . import views

app_name = "legislation"
# the bill's page must match BILL.url in cases.py
urlpatterns = [
    path("", views.BillList.as_view(), name="index"),
    path("new/", views.bill_new, name="bill_new"),
    path("<int:pk>/", views.bill, name="bill"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("<int:pk>/drafts/new/", views.draft_new, name="draft_new"),
    path("<int:pk>/drafts/<int:number>/causes/", views.cause_add, name="cause_add"),
    path("<int:pk>/periods/new/", views.period_new, name="period_new"),
    path("<int:pk>/opinions/new/", views.opinion_new, name="opinion_new"),
    path("<int:pk>/speak/", views.speak, name="speak"),
    path("<int:pk>/word/", views.export_word, name="word"),
    path("causes/<int:pk>/remove/", views.cause_remove, name="cause_remove"),
    path("comments/<int:pk>/", views.comments, name="comments"),
    path("plans/", include("renda.legislation.plan_urls")),  # 立法计划: plan_views.py
    path("comments/<int:pk>/summary/", views.summary_new, name="summary_new"),
    path("comment/<int:pk>/", views.comment_act, name="comment_act"),
]
