from django import forms

from renda.core.forms import DATE
from renda.core.models import Deputy
from renda.core.offline import add_key_field, move_key_error

from .models import ContactRecord


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, d):
        return f"{d.person.name}（{d.congress.region}）"


class ContactForm(forms.ModelForm):
    """A contact in a few taps on a phone: (the deputy visited,) when, where, how, how many
    people, the matters raised. `deputies`: the mandates the user may pick (None: the user's
    own single mandate, chosen by the view)."""

    class Meta:
        model = ContactRecord
        fields = ["on", "place", "way", "people_reached", "matters", "constituent"]
        widgets = {
            "on": DATE,
            "place": forms.TextInput(attrs={"maxlength": 100, "placeholder": "如：狼山镇新建村村委会"}),
            "way": forms.RadioSelect,
            "people_reached": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "matters": forms.Textarea(attrs={"rows": 4, "maxlength": 4000, "placeholder": "一行一个问题"}),
            "constituent": forms.TextInput(attrs={"maxlength": 100, "autocomplete": "off"}),
        }
        error_messages = {
            "on": {"required": "请填写联系日期。", "invalid": "请输入有效的日期，如 2020-05-09。"},
            "place": {"required": "请填写联系地点。", "max_length": "地点不超过100个字。"},
            "way": {"required": "请选择联系方式。", "invalid_choice": "请选择联系方式。"},
            "people_reached": {"required": "请填写联系人数。", "invalid": "联系人数须为正整数（至少1人）。"},
        }

    def __init__(self, *args, kind: str, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["people_reached"].min_value = 1
        self.fields["people_reached"].validators.append(_at_least_one)
        self.fields["people_reached"].label = "联系群众人数"
        if not self.instance.pk:
            add_key_field(self)
        if kind == ContactRecord.Kind.MEMBER_VISIT:
            del self.fields["people_reached"]  # one member, one deputy: 1 人次
            del self.fields["constituent"]
            self.fields["matters"].label = "代表反映的问题和意见"
        if deputies is not None and not self.instance.pk:
            label = "走访的代表" if kind == ContactRecord.Kind.MEMBER_VISIT else "代表"
            self.fields["deputy"] = DeputyChoice(
                label=label,
                queryset=Deputy.objects.none(),
                error_messages={"required": "请选择代表。", "invalid_choice": "请选择代表。"},
            )
            self.fields["deputy"].queryset = deputies
            self.order_fields(["deputy"] + list(self.Meta.fields))

    def clean(self):
        data = super().clean()
        move_key_error(self)
        return data


def _at_least_one(value):
    if value is not None and value < 1:
        raise forms.ValidationError("联系人数须为正整数（至少1人）。")
