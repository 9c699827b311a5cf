from django.urls import path

from . import views, views_groups, views_plenary

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
