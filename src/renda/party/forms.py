from django import forms
from django.db.models import Q

from renda.core.forms import ScopedModelForm
from renda.core.models import Person
from renda.workflow.links import find_cases, links_of
from renda.workflow.models import Link

from .models import PartyReport, PreStudy, StudySession, Training, WorkRule

CONCERNS = Link.Kind.CONCERNS


class StudySessionForm(ScopedModelForm):
    class Meta:
        model = StudySession
        fields = ["congress", "kind", "date", "topic", "speaker", "body"]


class PartyReportForm(ScopedModelForm):
    class Meta:
        model = PartyReport
        fields = ["congress", "kind", "date", "matter", "document_number", "body"]


class PreStudyForm(ScopedModelForm):
    """The case the pre-study precedes is named by its number or title and kept as a
    涉及 link (workflow.links); `self.case` is the case found (None: no case)."""

    case = forms.CharField(
        label="关联案件",
        required=False,
        max_length=200,
        help_text="本次前置研究涉及的案件（如代表建议、备案审查）：填写案件编号或完整标题；不涉及具体案件的留空。",
    )

    class Meta:
        model = PreStudy
        fields = ["congress", "date", "matter", "conclusion"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = None
        if self.instance.pk:
            linked = [v.other for v in links_of(self.instance, self.user) if v.outgoing and v.link.kind == CONCERNS]
            if linked:
                self.case = linked[0]
                self.initial["case"] = linked[0].number or linked[0].title

    def clean(self):
        data = super().clean()
        text, congress = data.get("case", "").strip(), data.get("congress")
        if "case" not in self.changed_data or congress is None:
            return data
        self.case = None
        if not text:
            return data
        found = find_cases(self.user, text, congress=congress)
        if not found:
            self.add_error("case", f"在{congress}未找到编号或标题为“{text}”的案件，或您无权查看该案件。")
        elif len(found) > 1:
            named = "；".join(f"{c.number or '未编号'} {c.title}" for c in found)
            self.add_error("case", f"有多个案件与“{text}”相符，请改填案件编号：{named}")
        else:
            self.case = found[0]
        return data


class WorkRuleForm(ScopedModelForm):
    class Meta:
        model = WorkRule
        fields = ["congress", "title", "action", "adopted_on", "adopted_by"]


def split_names(text: str, *, spaces: bool = True) -> list[str]:
    """Names typed or pasted in a list, each once. `spaces=False` keeps a space inside a name
    (a field of expertise such as "生态 环境"); people's names never have one."""
    for sep in ("、", "，", ",", ";", "；") + (("\t", " ") if spaces else ()):
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
