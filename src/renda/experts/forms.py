from django import forms

from renda.core.forms import DATE, ScopedModelForm, managed_congresses
from renda.core.models import Person
from renda.core.personal import mask
from renda.core.uploads import validate_upload
from renda.party.forms import split_names
from renda.workflow.formschema import SQL_INT_MAX

from .models import Expert, ExpertField


class ExpertForm(ScopedModelForm):
    """An expert: the person's name and gender, the fields of expertise (ticked, or new ones
    typed), the contact mobile (on editing, kept unless replaced: a full view would go
    unaudited, as on the deputies' form)."""

    name = forms.CharField(label="姓名", max_length=40)
    gender = forms.ChoiceField(label="性别", choices=Person.Gender.choices)
    mobile = forms.RegexField(
        label="手机号码", regex=r"^1\d{10}$", required=False, error_messages={"invalid": "请输入11位手机号码。"}
    )
    new_fields = forms.CharField(
        label="新增专业领域",
        required=False,
        max_length=200,
        help_text="上面没有的领域在此填写，以顿号或逗号分隔，如：法学、生态环境。",
    )

    class Meta:
        model = Expert
        fields = ["congress", "name", "gender", "title", "workplace", "fields", "mobile", "appointed_on", "term_end"]
        fields += ["is_active"]
        widgets = {"fields": forms.CheckboxSelectMultiple(attrs={"class": "checks"})}

    field_order = ["congress", "name", "gender", "title", "workplace", "fields", "new_fields", "mobile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = ExpertField.objects.filter(congress__in=managed_congresses(self.user))
        self.fields["fields"].required = False
        self.fields["appointed_on"].widget = DATE
        self.fields["term_end"].widget = DATE
        self.kept_mobile = None
        if self.instance.pk:
            self.initial.setdefault("name", self.instance.person.name)
            self.initial.setdefault("gender", self.instance.person.gender)
            self.kept_mobile = self.instance.mobile
            self.initial["mobile"] = ""
            if self.kept_mobile:
                field = self.fields["mobile"]
                field.widget.attrs["placeholder"] = mask(self.kept_mobile, "mobile")
                field.help_text = "已登记的号码不在此显示：留空则保留，填写则替换。"
                self.fields["clear_mobile"] = forms.BooleanField(label="清除已登记的手机号码", required=False)

    def clean_mobile(self):
        mobile = self.cleaned_data.get("mobile", "")
        if self.kept_mobile is not None and not mobile:
            return "" if self.data.get(self.add_prefix("clear_mobile")) else self.kept_mobile
        return mobile

    def clean(self):
        data = super().clean()
        congress = data.get("congress")
        chosen = list(data.get("fields") or [])
        if congress is not None and any(f.congress_id != congress.pk for f in chosen):
            self.add_error("fields", f"请只选择{congress}专家库的专业领域。")
        self.new_field_names = split_names(data.get("new_fields", ""), spaces=False)
        if any(len(n) > 40 for n in self.new_field_names):
            self.add_error("new_fields", "每个专业领域名称不超过40个字。")
        return data


class _ExpertChoices(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # an id beyond the database's integers would fail its query (SQLite): it is no expert
        for pk in value:
            if str(pk).isdecimal() and not 1 <= int(pk) <= SQL_INT_MAX:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


class AssignForm(forms.Form):
    experts = _ExpertChoices(
        label="专家",
        queryset=Expert.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
        error_messages={"required": "请选择专家。", "invalid_choice": "所选专家不可邀请。"},
    )
    task = forms.CharField(label="任务", max_length=200, required=False, help_text="如：参加执法检查并提出书面意见")
    assigned_on = forms.DateField(label="邀请日期", required=False, widget=DATE, help_text="留空为今天")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = candidates
        self.fields["experts"].label_from_instance = lambda e: f"{e.person.name}（{e.title or e.workplace or '专家'}）"
        if not candidates.exists():
            self.fields["experts"].help_text = "没有可邀请的专家：本级人大专家库中的在库专家均已邀请，或尚未登记专家。"


class OpinionForm(forms.Form):
    text = forms.CharField(
        label="书面意见", widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": "请填写书面意见。"}
    )
    submitted_on = forms.DateField(label="提交日期", required=False, widget=DATE, help_text="留空为今天")
    file = forms.FileField(
        label="附件", required=False, validators=[validate_upload], help_text="专家签名的意见原件等（可选）"
    )
