from django.urls import path

from . import views

app_name = "party"
urlpatterns = [path("", views.index, name="index")]
for _label, name, _model in views.REGISTERS:
    list_view = {
        "study": views.StudyList,
        "training": views.TrainingList,
        "report": views.ReportList,
        "prestudy": views.PreStudyList,
        "rule": views.RuleList,
    }[name]
    edit = getattr(views, f"{name}_edit")
    urlpatterns += [
        path(f"{name}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{name}/new/", edit, name=f"{name}_create"),
        path(f"{name}/<int:pk>/", edit, name=f"{name}_edit"),
    ]
