"""Forms of the supervision pages. They validate what was typed; the services decide and write
(views map a service's ValidationError back onto the fields, so nothing typed is lost)."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from renda.core.models import Body, CommitteeMeeting, CommitteeMember, Deputy, HandlingUnit
from renda.core.scoping import visible

from .models import Activity, Investigation, SupervisionPlan, WorkReport

TEXTAREA = forms.Textarea(attrs={"rows": 6})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input reads

# the item types a plan lists, with their own categories: one select with groups
KIND_CHOICES = [
    ("专项工作报告", [(f"work_report:{k}", label) for k, label in WorkReport.Kind.choices]),
    ("执法检查", [("law_inspection", "执法检查")]),
    ("调研视察", [(f"investigation:{k}", label) for k, label in Investigation.Kind.choices]),
    ("专题询问", [("inquiry", "专题询问")]),
]


def split_kind(value: str) -> tuple[str, str]:
    """ "work_report:audit" -> ("work_report", "audit"); "inquiry" -> ("inquiry", "")."""
    case_type, _, item_kind = value.partition(":")
    return case_type, item_kind


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _units(congress):
    return HandlingUnit.objects.filter(congress=congress, is_active=True).order_by("name")


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label="监督事项类别", choices=[("", "请选择")] + KIND_CHOICES)
    title = forms.CharField(label="事项名称", max_length=200)
    law_title = forms.CharField(
        label="检查的法律法规",
        max_length=200,
        required=False,
        help_text="执法检查必填，如《中华人民共和国传染病防治法》",
    )
    body = _Named(label="牵头机构（专门委员会或工作委员会）", queryset=Body.objects.none())
    organ = _Named(label="被监督机关", queryset=HandlingUnit.objects.none(), required=False)
    unit = _Named(label="承办部门", queryset=HandlingUnit.objects.none(), required=False)
    sitting = forms.ModelChoiceField(
        label="提请审议的常委会会议", queryset=CommitteeMeeting.objects.none(), required=False
    )
    plan = forms.ModelChoiceField(label="列入年度监督工作计划", queryset=SupervisionPlan.objects.none(), required=False)
    reason = forms.CharField(
        label="调整理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="计划已经主任会议通过的，须说明理由",
    )
    key_item = forms.BooleanField(label="重点监督事项", required=False)
    satisfaction_vote = forms.BooleanField(label="进行满意度测评", required=False)
    deliberate_response = forms.BooleanField(label="研究处理情况提请审议", required=False)
    summary = forms.CharField(label="工作要点", widget=TEXTAREA, required=False, max_length=5000)

    def __init__(self, *args, congress, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress = congress
        f = self.fields
        f["body"].queryset = Body.objects.filter(congress=congress).exclude(kind=Body.Kind.STANDING_COMMITTEE)
        f["organ"].queryset = f["unit"].queryset = _units(congress)
        f["sitting"].queryset = CommitteeMeeting.objects.filter(
            term__congress=congress, kind=CommitteeMeeting.Kind.STANDING_COMMITTEE
        ).select_related("term__congress")
        f["plan"].queryset = visible(user, SupervisionPlan).filter(congress=congress)

    def clean(self):
        data = super().clean()
        if data.get("kind", "").startswith("law_inspection") and not data.get("law_title", "").strip():
            self.add_error("law_title", "执法检查须填写检查的法律法规。")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        case_type, item_kind = split_kind(data["kind"])
        fields = {
            name: data[name]
            for name in ("title", "body", "organ", "unit", "sitting", "key_item", "satisfaction_vote")
            if name in data
        }
        fields.update(deliberate_response=data["deliberate_response"], summary=data["summary"])
        if item_kind:
            fields["item_kind"] = item_kind
        if case_type == "law_inspection":
            fields["law_title"] = data["law_title"].strip()
        if data.get("plan") is None:
            fields["congress"] = self.congress
        return dict(plan=data.get("plan"), kind=case_type, reason=data.get("reason", ""), **fields)


def people_choices(congress) -> list:
    """Who may speak or ask: the committee's serving members and the serving deputies of the
    congress, grouped ("m<person id>" / "d<deputy id>")."""
    members = (
        CommitteeMember.objects.filter(congress=congress)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .select_related("person")
        .order_by("person__name")
    )
    deputies = (
        Deputy.objects.filter(term__congress=congress, status=Deputy.Status.SERVING)
        .select_related("person")
        .order_by("person__name")
    )
    return [
        ("", "请选择"),
        ("常委会组成人员", [(f"m{m.person_id}", m.person.name) for m in members]),
        ("人大代表", [(f"d{d.pk}", f"{d.person.name}（代表）") for d in deputies]),
    ]


class _PersonField(forms.ChoiceField):
    """A member (their Person) or a deputy (the mandate and its Person)."""

    def resolve(self, value):
        if value.startswith("d"):
            deputy = Deputy.objects.select_related("person").get(pk=int(value[1:]))
            return deputy.person, deputy
        from renda.core.models import Person

        return Person.objects.get(pk=int(value[1:])), None


class SpeechForm(forms.Form):
    speaker = _PersonField(label="发言人")
    spoken_on = forms.DateField(label="发言日期", widget=DATE)
    text = forms.CharField(label="发言内容", widget=forms.Textarea(attrs={"rows": 8}), max_length=50000)

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].choices = people_choices(congress)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "on", "place", "note"]
        widgets = {"on": DATE, "note": TEXTAREA}


class QuestionForm(forms.Form):
    asker = _PersonField(label="询问人")
    question = forms.CharField(label="询问的问题", widget=TEXTAREA, max_length=10000)
    answerer = forms.CharField(label="应询人（姓名、职务）", max_length=80)
    answer = forms.CharField(label="回答", widget=TEXTAREA, required=False, max_length=20000)
    promises = forms.CharField(
        label="承诺的整改措施", widget=TEXTAREA, required=False, max_length=10000, help_text="承诺的事项将列入问题清单"
    )

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asker"].choices = people_choices(congress)


class _MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name


class InterpellationForm(forms.Form):
    title = forms.CharField(label="质询案案由", max_length=200)
    organ = _Named(label="受质询机关", queryset=HandlingUnit.objects.none())
    body = _Named(label="有关专门委员会或工作机构", queryset=Body.objects.none())
    questions = forms.CharField(label="质询的问题和内容", widget=forms.Textarea(attrs={"rows": 8}), max_length=50000)
    lead = forms.ModelChoiceField(label="领衔提案人", queryset=CommitteeMember.objects.none())
    proposers = _MemberChoice(
        label="联名提案人（常委会组成人员，可多选）",
        queryset=CommitteeMember.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["organ"].queryset = _units(congress)
        f["body"].queryset = Body.objects.filter(congress=congress).exclude(kind=Body.Kind.STANDING_COMMITTEE)
        f["lead"].queryset = f["proposers"].queryset = (
            CommitteeMember.objects.filter(congress=congress, end_date__isnull=True)
            .select_related("person")
            .order_by("person__name")
        )
        f["lead"].label_from_instance = lambda m: m.person.name

    def signers(self) -> list:
        """The lead first, then the others (the service counts each person once)."""
        lead = self.cleaned_data["lead"]
        return [lead, *(m for m in self.cleaned_data["proposers"] if m.pk != lead.pk)]
