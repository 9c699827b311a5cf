from django.urls import path

from . import (
    views,
    views_contacts,
    views_offline,
    views_reportback,
    views_reportback_paper,
    views_roster,
    views_stations,
)

app_name = "deputies"
urlpatterns = [
    path("roster/", views_roster.roster, name="roster"),
    path("roster/elect/", views_roster.elect, name="elect"),
    path("roster/<int:pk>/event/", views_roster.record_event, name="record_event"),
    path("<int:pk>/archive/", views.archive_page, name="archive"),
    path("<int:pk>/archive.docx", views.archive_docx, name="archive_docx"),
    path("activities/", views.my_activities, name="activities"),
    path("activities/new/", views.activity_edit, name="activity_create"),
    path("activities/queue/", views.queue, name="queue"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/review/", views.activity_review, name="activity_review"),
    path("evaluation/", views.evaluation, name="evaluation"),
    # liaison stations and 码上见代表
    path("stations/", views_stations.stations, name="stations"),
    path("stations/new/", views_stations.station_edit, name="station_create"),
    path("stations/<int:pk>/", views_stations.station_detail, name="station"),
    path("stations/<int:pk>/edit/", views_stations.station_edit, name="station_edit"),
    path("stations/<int:pk>/reception/", views_stations.reception_create, name="reception_create"),
    path("stations/<int:pk>/code/", views_stations.station_code, name="station_code"),
    path("<int:pk>/code/", views_stations.deputy_code, name="deputy_code"),
    path("messages/", views_stations.message_list, name="messages"),
    path("messages/<int:pk>/", views_stations.message_detail, name="message"),
    # the installable web app (views_offline): the worker claims the scope /work/
    path("sw.js", views_offline.service_worker, name="sw"),
    path("app.webmanifest", views_offline.manifest, name="webmanifest"),
    path("offline/token/", views_offline.token, name="token"),
    path("contacts/", views_contacts.contact_list, name="contacts"),
    path("contacts/new/", views_contacts.contact_edit, name="contact_create"),
    path("contacts/<int:pk>/", views_contacts.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", views_contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/suggest/", views_contacts.contact_suggest, name="contact_suggest"),
    # report-back (述职)
    path("reportbacks/", views_reportback.reportback_list, name="reportbacks"),
    path("reportbacks/new/", views_reportback.reportback_create, name="reportback_create"),
    path("reportbacks/pending/", views_reportback.not_reported, name="reportbacks_pending"),
    path("reportbacks/<int:pk>/", views_reportback.reportback_detail, name="reportback"),
    path("reportbacks/<int:pk>/held/", views_reportback.reportback_held, name="reportback_held"),
    path("reportbacks/<int:pk>/evaluation/", views_reportback.reportback_evaluation, name="reportback_evaluation"),
    # report-back: the hall's paper evaluation forms
    path("reportbacks/<int:pk>/paper/", views_reportback_paper.reportback_paper, name="reportback_paper"),
]
