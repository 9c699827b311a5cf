"""Forms of report-back (述职): schedule it, record it held, and the attendees' phone form."""

from django import forms

from renda.core.forms import DATE
from renda.core.intake import IntakeForm
from renda.core.models import Deputy

from .forms_contacts import DeputyChoice
from .models import ReportBack, ReportBackEvaluation


class ScheduleForm(forms.ModelForm):
    deputy = DeputyChoice(
        label="代表",
        queryset=Deputy.objects.none(),
        error_messages={"required": "请选择代表。", "invalid_choice": "请选择代表。"},
    )

    class Meta:
        model = ReportBack
        fields = ["scheduled_on", "unit_name", "place"]
        widgets = {
            "scheduled_on": DATE,
            "unit_name": forms.TextInput(attrs={"maxlength": 100, "placeholder": "如：临河区人大常委会"}),
            "place": forms.TextInput(attrs={"maxlength": 100, "placeholder": "如：临河区人大常委会会议室"}),
        }
        error_messages = {
            "scheduled_on": {"required": "请填写计划日期。", "invalid": "请输入有效的日期，如 2020-05-09。"},
            "unit_name": {"required": "请填写述职对象（原选举单位或选区）。", "max_length": "不超过100个字。"},
            "place": {"required": "请填写述职地点。", "max_length": "地点不超过100个字。"},
        }

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.order_fields(["deputy", "scheduled_on", "unit_name", "place"])


class HeldForm(forms.ModelForm):
    class Meta:
        model = ReportBack
        fields = ["held_on", "attendees", "attendee_names", "report"]
        widgets = {
            "held_on": DATE,
            "attendees": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "attendee_names": forms.Textarea(attrs={"rows": 3, "maxlength": 4000, "placeholder": "可不填；以顿号分隔"}),
            "report": forms.Textarea(attrs={"rows": 12, "maxlength": 20000}),
        }
        error_messages = {
            "held_on": {"required": "请填写述职日期。", "invalid": "请输入有效的日期，如 2020-05-09。"},
            "attendees": {"required": "请填写参加人数。", "invalid": "参加人数须为正整数。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].required = True
        self.fields["report"].error_messages["required"] = "请填写述职报告内容。"

    def clean_attendees(self):
        n = self.cleaned_data["attendees"]
        if n is None or n < 1:
            raise forms.ValidationError("参加人数须为正整数。")
        return n


class EvaluationForm(IntakeForm):
    """The attendee's form: three choices and a comment, in a few taps on a phone."""

    class Meta:
        model = ReportBackEvaluation
        fields = ["rating", "comment"]
        labels = {"rating": "您对本次述职的评价", "comment": "意见和建议（可不填）"}
        widgets = {
            "rating": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }
        error_messages = {"rating": {"required": "请选择满意、基本满意或不满意。", "invalid_choice": "请选择评价。"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = ReportBackEvaluation.Rating.choices  # no blank line among the three
