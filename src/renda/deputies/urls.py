from django.urls import path

from . import views, views_contacts, views_roster

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
    path("contacts/", views_contacts.contact_list, name="contacts"),
    path("contacts/new/", views_contacts.contact_edit, name="contact_create"),
    path("contacts/<int:pk>/", views_contacts.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", views_contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/suggest/", views_contacts.contact_suggest, name="contact_suggest"),
]
