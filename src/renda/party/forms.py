from django import forms
from django.db.models import Q

from renda.core.forms import ScopedModelForm
from renda.core.models import Person

from .models import PartyReport, PreStudy, StudySession, Training, WorkRule


class StudySessionForm(ScopedModelForm):
    class Meta:
        model = StudySession
        fields = ["congress", "kind", "date", "topic", "speaker", "body"]


class PartyReportForm(ScopedModelForm):
    class Meta:
        model = PartyReport
        fields = ["congress", "kind", "date", "matter", "document_number", "body"]


class PreStudyForm(ScopedModelForm):
    class Meta:
        model = PreStudy
        fields = ["congress", "date", "matter", "conclusion"]


class WorkRuleForm(ScopedModelForm):
    class Meta:
        model = WorkRule
        fields = ["congress", "title", "action", "adopted_on", "adopted_by"]


def split_names(text: str) -> list[str]:
    for sep in ("、", "，", ",", ";", "；", "\t", " "):
        text = text.replace(sep, "\n")
    seen, names = set(), []
    for name in (n.strip() for n in text.splitlines()):
        if name and name not in seen:
            seen.add(name)
            names.append(name)
    return names


class TrainingForm(ScopedModelForm):
    """Participants are entered by name (a sign-in sheet pasted in) and matched to the
    deputies and committee members of the congress; an unknown or ambiguous name is an
    error and nothing is lost."""

    names = forms.CharField(
        label="参训人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一人，或以顿号、逗号分隔；按本级人大的代表和常委会组成人员姓名匹配。",
    )

    class Meta:
        model = Training
        fields = ["congress", "title", "audience", "start_date", "end_date", "place", "organizer", "hosted"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            from .services import trainees

            self.initial["names"] = "、".join(trainees(self.instance).order_by("name").values_list("name", flat=True))

    def clean(self):
        data = super().clean()
        congress = data.get("congress")
        self.matched = []
        if congress is None:
            return data
        names = split_names(data.get("names", ""))
        people = (
            Person.objects.filter(name__in=names)
            .filter(Q(mandates__congress=congress) | Q(committee_seats__congress=congress))
            .distinct()
        )
        by_name = {}
        for p in people:
            by_name.setdefault(p.name, []).append(p)
        unknown = [n for n in names if n not in by_name]
        ambiguous = [n for n in names if len(by_name.get(n, [])) > 1]
        if unknown:
            self.add_error("names", "以下姓名在本级人大的代表和组成人员中找不到：" + "、".join(unknown))
        if ambiguous:
            self.add_error("names", "以下姓名有重名，请改在人员页面核对后登记：" + "、".join(ambiguous))
        self.matched = [by_name[n][0] for n in names if len(by_name.get(n, [])) == 1]
        return data
