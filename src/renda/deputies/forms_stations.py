"""Forms of liaison stations and 码上见代表."""

from django import forms

from renda.core.forms import DATE, ScopedModelForm, managed_congresses
from renda.core.intake import IntakeForm
from renda.core.models import Congress, Deputy, HandlingUnit
from renda.suggestions.models import CATEGORIES

from .models import LiaisonStation, MeetMessage
from .models.stations import WEEKDAYS


class StationForm(ScopedModelForm):
    class Meta:
        model = LiaisonStation
        fields = ["congress", "name", "kind", "area", "township", "address", "phone", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["area"].queryset = managed_congresses(user).filter(level=Congress.Level.TOWNSHIP)
        self.fields["area"].help_text = "乡镇人大在本平台的，选择它；否则在下面填写乡镇（街道）名称"


def _serving(station_congress):
    return (
        Deputy.objects.filter(status=Deputy.Status.SERVING, congress__path__startswith=station_congress.path)
        .select_related("person", "congress")
        .order_by("congress__path", "person__name")
    )


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, d):
        return f"{d.person.name}（{d.congress.region}）"


class DeputiesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, d):
        return f"{d.person.name}（{d.congress.region}）"


class DutyForm(forms.Form):
    deputy = DeputyChoice(label="值班代表", queryset=Deputy.objects.none())
    weekday = forms.TypedChoiceField(
        label="每周", choices=[("", "—")] + WEEKDAYS, coerce=int, empty_value=None, required=False
    )
    on = forms.DateField(label="或指定日期", required=False, widget=DATE)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = _serving(station.congress)

    def clean(self):
        data = super().clean()
        if (data.get("on") is None) == (data.get("weekday") is None):
            raise forms.ValidationError("请选择每周的值班日，或填写一个值班日期（二者选一）。")
        return data


class ReceptionForm(forms.Form):
    on = forms.DateField(label="接待日期", widget=DATE)
    deputies = DeputiesChoice(label="到站代表", queryset=Deputy.objects.none(), widget=forms.CheckboxSelectMultiple)
    visitors = forms.IntegerField(label="接待群众人数", min_value=0, max_value=10000)
    matters = forms.CharField(label="反映的问题", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = _serving(station.congress)


class MessageForm(IntakeForm):
    """The public page's form: what a constituent types on a phone."""

    class Meta:
        model = MeetMessage
        fields = ["text", "name", "contact"]
        labels = {"text": "您想对代表说的话", "name": "姓名（可不填）", "contact": "联系电话（可不填）"}
        help_texts = {
            "contact": "留下电话，代表可以联系您；凭查询码和电话后四位查询答复。只有代表和人大工作人员能看到。"
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "contact": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def clean_contact(self):
        contact = (self.cleaned_data.get("contact") or "").strip()
        if not contact:
            return ""
        if "@" in contact or sum(ch.isdigit() for ch in contact) < 7:
            raise forms.ValidationError("请填写有效的电话号码，或者不填。")
        return contact


class AnswerForm(forms.Form):
    ACTIONS = [("answer", "直接答复"), ("suggestion", "转为代表建议"), ("refer", "转交有关单位")]

    action = forms.ChoiceField(label="办理方式", choices=ACTIONS, widget=forms.RadioSelect, initial="answer")
    answer = forms.CharField(
        label="给群众的答复",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="群众凭查询码可以看到这段答复",
    )
    title = forms.CharField(label="建议标题（转为代表建议时）", max_length=200, required=False)
    category = forms.ChoiceField(label="建议类别", choices=[("", "—")] + CATEGORIES, required=False)
    unit = forms.ModelChoiceField(label="转交单位（转交时）", queryset=HandlingUnit.objects.none(), required=False)

    def __init__(self, *args, message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(congress=message.congress_id, is_active=True)
        # the routing model's proposal pre-selected (a suggestion: the deputy decides)
        if message.proposed_category:
            self.fields["category"].initial = message.proposed_category
        if message.proposed_unit_id:
            self.fields["unit"].initial = message.proposed_unit_id

    def clean(self):
        data = super().clean()
        if data.get("action") == "suggestion":
            if not data.get("title"):
                self.add_error("title", "请填写建议标题。")
            if not data.get("category"):
                self.add_error("category", "请选择建议类别。")
        if data.get("action") == "refer" and not data.get("unit"):
            self.add_error("unit", "请选择转交单位。")
        return data
