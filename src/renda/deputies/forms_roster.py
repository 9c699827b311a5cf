from django import forms

from renda.core.forms import DATE, PersonFields, managed_congresses
from renda.core.models import Congress, Delegation, Deputy, DeputyGroup, Term
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
    kind = forms.ChoiceField(
        label="变动类型",
        choices=DeputyEvent.Kind.choices,
        help_text="当选、补选：为已有的代表资格补登其产生（新补选的代表请用“登记补选代表”）；"
        "辞职、终止资格、罢免、调离：代表资格自该日起终止；调入：改属本届另一代表团或代表小组",
    )
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


class ElectionForm(PersonFields):
    """A by-election (补选) or a late-recorded election: the person, the mandate and the
    decision; the mandate is created with its opening event (roster.elect)."""

    kind = forms.ChoiceField(
        label="产生方式",
        choices=[(k, DeputyEvent.Kind(k).label) for k in (DeputyEvent.Kind.BY_ELECTION, DeputyEvent.Kind.ELECTED)],
    )
    term = _Choice(
        label="届", queryset=Term.objects.none(), error_messages={"invalid_choice": "请选择您所在人大的届次。"}
    )
    date = forms.DateField(
        label="当选日期",
        widget=DATE,
        error_messages={"required": "请填写当选日期。", "invalid": "请输入有效日期，如 2020-06-30。"},
    )
    reference = forms.CharField(
        label="决定或依据",
        max_length=200,
        help_text="如：××县第十届人大第五次会议补选，补选结果公告第1号",
        error_messages={"required": "请填写决定或依据（如会议名称、文号）。"},
    )
    delegation = forms.CharField(label="代表团", max_length=60, required=False, help_text="如：临河区代表团")
    group = forms.CharField(label="代表小组", max_length=60, required=False)
    constituency = forms.CharField(label="选举单位", max_length=80, required=False, help_text="原选举单位或选区")
    occupation = forms.ChoiceField(label="代表构成", choices=Deputy.Occupation.choices)
    is_grassroots = forms.BooleanField(label="基层代表", required=False)

    field_order = ["kind", "term", "date", "reference", *PersonFields.PERSON_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(congress__in=managed_congresses(user)).select_related(
            "congress"
        )
        self.fields["term"].label_from_instance = lambda t: f"{t.congress.region} {t.label}"
