"""The public site's page of a deputy's archive: the published summary (counts only)."""

from django.urls import path

from . import views, views_reportback, views_stations

app_name = "deputies_public"
urlpatterns = [
    path("<int:pk>/archive/", views.public_summary, name="archive"),
    # 码上见代表: the page a deputy's or a station's QR code opens (before the token route)
    path("meet/received/", views_stations.meet_received, name="meet_received"),
    path("meet/receipt/", views_stations.meet_receipt, name="meet_receipt"),
    path("meet/<str:token>/", views_stations.meet, name="meet"),
    # report-back (述职): the attendees' evaluation form a report-back's code opens
    path("reportback/thanks/", views_reportback.evaluate_thanks, name="reportback_thanks"),
    path("reportback/<str:token>/", views_reportback.evaluate, name="reportback_evaluate"),
]
