from django import forms

from renda.core.forms import DATE
from renda.core.models import Deputy
from renda.core.offline import add_key_field, move_key_error
from renda.workflow.engine import MultipleFileField

from .models import Activity


class ActivityForm(forms.ModelForm):
    """A deputy's own activity, on a phone: the kind, the date, the place, how many people,
    a note and photos or other evidence (several files at once)."""

    files = MultipleFileField(
        label="佐证材料", required=False, help_text="照片、签到表等（可多选，图片、PDF、Word 等）"
    )
    # a phone offers its camera and gallery for images
    files.widget.attrs["accept"] = "image/jpeg,image/png,.pdf,.doc,.docx,.wps,.ofd,.xls,.xlsx,.txt,.zip"

    class Meta:
        model = Activity
        fields = ["kind", "on", "place", "people_reached", "note"]
        widgets = {
            "on": DATE,
            "note": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "people_reached": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        error_messages = {
            "kind": {"required": "请选择活动类别。", "invalid_choice": "请选择活动类别。"},
            "on": {"required": "请填写活动日期。", "invalid": "请输入有效的日期，如 2020-05-09。"},
            "place": {"required": "请填写活动地点。"},
            "people_reached": {"invalid": "联系群众人数须为0或正整数。", "min_value": "联系群众人数须为0或正整数。"},
        }

    def __init__(self, *args, mandates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            add_key_field(self)
        self.fields["people_reached"].required = False
        self.fields["people_reached"].max_value = 100000
        mandates = list(mandates or [])
        if len(mandates) > 1 and not self.instance.pk:
            self.fields["deputy"] = forms.ModelChoiceField(
                label="代表资格", queryset=None, error_messages={"required": "请选择以哪一代表资格登记。"}
            )
            self.fields["deputy"].queryset = Deputy.objects.filter(pk__in=[m.pk for m in mandates])
            self.order_fields(["deputy"] + list(self.Meta.fields))

    def clean(self):
        data = super().clean()
        move_key_error(self)
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=200,
        error_messages={"required": "请填写退回理由。", "max_length": "退回理由不超过200个字。"},
    )
