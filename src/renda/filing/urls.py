from django.urls import path

from . import views

app_name = "filing"
urlpatterns = [
    path("", views.FilingList.as_view(), name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.create, name="edit"),
    path("proposals/", views.ProposalList.as_view(), name="proposals"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("lower/", views.LowerFilingList.as_view(), name="lower"),
    path("report/", views.annual_report, name="report"),
]
