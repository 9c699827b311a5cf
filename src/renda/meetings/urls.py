from django.urls import path

from . import views, views_groups, views_minutes, views_plenary, views_video

app_name = "meetings"
urlpatterns = [
    path("", views.SittingList.as_view(), name="index"),
    path("<int:pk>/", views.sitting, name="sitting"),
    path("<int:pk>/agenda/add/", views.add_item, name="add_item"),
    path("<int:pk>/agenda/<int:item>/move/<str:direction>/", views.move_item, name="move_item"),
    path("<int:pk>/agenda/<int:item>/remove/", views.remove_item, name="remove_item"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/<int:row>/approve/", views.approve_leave, name="approve_leave"),
    path("<int:pk>/observers/", views.observers, name="observers"),
    path("<int:pk>/minutes.docx", views_minutes.minutes_docx, name="minutes_docx"),
    path("<int:pk>/minutes.pdf", views_minutes.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/attendance.docx", views_minutes.attendance_docx, name="attendance_docx"),
    path("<int:pk>/attendance.pdf", views_minutes.attendance_pdf, name="attendance_pdf"),
]
urlpatterns += [path("<int:pk>/video/", views_video.room, name="video"), path("<int:pk>/video/joined", views_video.joined, name="video_joined")]  # fmt: skip

from . import views_hall  # noqa: E402

# the hall (issue 14 items 3–4): console, screen, their status and event stream
urlpatterns += [
    path("<int:pk>/console/", views_hall.console, name="console"),
    path("<int:pk>/console/<int:item>/open/", views_hall.open_vote, name="open_vote"),
    path("<int:pk>/console/<int:item>/close/", views_hall.close_vote, name="close_vote"),
    path("<int:pk>/screen/", views_hall.screen, name="screen"),
    path("<int:pk>/live.json", views_hall.live_json, name="live"),
    path("<int:pk>/events", views_hall.events, name="events"),
]

# group deliberation (分组审议) and speeches: views_groups
urlpatterns += [
    path("<int:pk>/groups/", views_groups.groups_page, name="groups"),
    path("<int:pk>/groups/add/", views_groups.add_group, name="add_group"),
    path("<int:pk>/groups/<int:group>/members/", views_groups.group_members, name="group_members"),
    path("<int:pk>/speeches/add/", views_groups.add_speech, name="add_speech"),
    path("<int:pk>/speeches/circulate/", views_groups.circulate, name="circulate"),
    path("<int:pk>/speeches/", views_groups.speeches, name="speeches"),
]

# the plenary session (人民代表大会会议) as a sitting: views_plenary
urlpatterns += [
    path("sessions/<int:pk>/", views_plenary.session, name="session"),
    path("sessions/<int:pk>/agenda/add/", views_plenary.add_item, name="session_add_item"),
    path("sessions/<int:pk>/attendance/", views_plenary.attendance, name="session_attendance"),
]
