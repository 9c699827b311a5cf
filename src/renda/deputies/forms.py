from django import forms

from renda.core.forms import DATE
from renda.core.models import Congress, Delegation, DeputyGroup
from renda.workflow.formschema import SQL_INT_MAX

from .models import DeputyEvent


class _Choice(forms.ModelChoiceField):
    def to_python(self, value):
        # an id beyond the database's integers would fail its query (SQLite): it is no choice
        if str(value).strip().isdecimal() and not 1 <= int(value) <= SQL_INT_MAX:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RosterQuery(forms.Form):
    """The roster page's question: which congress, on which day, with or without the
    congresses below it. Bad input falls back to the defaults with the error shown."""

    congress = _Choice(
        label="人大",
        queryset=Congress.objects.none(),
        required=False,
        error_messages={"invalid_choice": "所选人大不在您的范围内，已显示默认的人大。"},
    )
    on = forms.DateField(
        label="日期",
        widget=DATE,
        required=False,
        error_messages={"invalid": "日期无效（应如 2020-06-30），已显示今天的名册。"},
    )
    scope = forms.ChoiceField(
        label="范围", choices=[("tree", "含下级人大代表"), ("own", "仅本级人大代表")], required=False
    )

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="变动类型", choices=DeputyEvent.Kind.choices)
    date = forms.DateField(
        label="日期",
        widget=DATE,
        help_text="决定或事实发生之日；辞职、罢免等自该日起不再在任",
        error_messages={"required": "请填写日期。", "invalid": "请输入有效日期，如 2020-06-30。"},
    )
    reference = forms.CharField(
        label="决定或依据",
        max_length=200,
        help_text=DeputyEvent._meta.get_field("reference").help_text,
        error_messages={"required": "请填写决定或依据（如会议名称、文号）。"},
    )
    delegation = _Choice(
        label="调入代表团", queryset=Delegation.objects.none(), required=False, help_text="仅调入时选择"
    )
    group = _Choice(label="调入代表小组", queryset=DeputyGroup.objects.none(), required=False, help_text="仅调入时选择")

    def __init__(self, *args, deputy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = Delegation.objects.filter(term_id=deputy.term_id)
        self.fields["group"].queryset = DeputyGroup.objects.filter(term_id=deputy.term_id)
