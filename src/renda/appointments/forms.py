"""Appointments forms: each validates the input and calls the services (which check who may)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from renda.core.forms import ImportForm
from renda.core.models import Congress, HandlingUnit, Person
from renda.core.scoping import MANAGE_ROLES, actor_of
from renda.core.uploads import validate_upload

from . import services
from .models import AppointmentBatch, Nomination, OathTaking


def _apply(form, call):
    """Run a service; its ValidationError lands on the form's fields (the input is kept)."""
    try:
        with transaction.atomic():  # a person named for a nomination refused is not left behind
            return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


class BatchForm(forms.Form):
    """A new 任免案: the staff for their congress, a nominating unit's user for their own unit."""

    title = forms.CharField(label="议案标题", max_length=200, help_text="如：市人民政府市长关于提请任免的议案")
    nominator = forms.ChoiceField(label="提请人", choices=AppointmentBatch.Nominator.choices)
    unit = forms.ModelChoiceField(label="提请机关", queryset=HandlingUnit.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, actor = user, actor_of(user)
        managed = actor.congresses(*MANAGE_ROLES)
        own = HandlingUnit.objects.filter(pk__in=actor.unit_ids)
        self.fields["unit"].queryset = (HandlingUnit.objects.filter(congress__in=managed) | own).distinct()
        if managed.exists():
            self.fields["congress"] = forms.ModelChoiceField(label="人大", queryset=managed, initial=managed.first())
            self.fields["unit"].help_text = "主任会议提请的可不填"
        else:
            self.fields["unit"].required = True
            self.fields["unit"].initial = own.first()

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if "congress" not in self.fields and unit is not None:
            data["congress"] = unit.congress
        congress = data.get("congress")
        if unit is not None and congress is not None and unit.congress_id != congress.pk:
            self.add_error("unit", "提请机关须属于所选的人大。")
        return data

    def save(self):
        d = self.cleaned_data
        return _apply(
            self,
            lambda: services.create_batch(
                self.user, congress=d["congress"], title=d["title"], nominator=d["nominator"], unit=d["unit"]
            ),
        )


class NominationForm(forms.Form):
    person_name = forms.CharField(label="姓名", max_length=40)
    gender = forms.ChoiceField(label="性别", choices=Person.Gender.choices, initial="M")
    kind = forms.ChoiceField(label="任免类别", choices=Nomination.Kind.choices)
    post = forms.CharField(label="职务", max_length=100, help_text="拟任、拟免或辞去的职务")
    form_text = forms.CharField(
        label="任免呈报表（辞职的：辞职报告）",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="签署的呈报表、考察材料请在任免案页面“任免呈报表和考察材料”中上传。",
    )
    statement = forms.CharField(label="任前发言", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    exam_required = forms.BooleanField(label="须参加任前法律知识考试（仅任命）", required=False, initial=True)
    must_swear = forms.BooleanField(label="须进行宪法宣誓（仅任命）", required=False, initial=True)

    def __init__(self, *args, user, batch, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "person_name": instance.person.name,
                "gender": instance.person.gender,
                "kind": instance.kind,
                "post": instance.post,
                "form_text": instance.form_text,
                "statement": instance.statement,
                "exam_required": instance.exam_required,
                "must_swear": instance.must_swear,
            }
        super().__init__(*args, **kwargs)
        self.user, self.batch, self.instance = user, batch, instance

    def save(self):
        d = self.cleaned_data

        def act():
            same = self.instance is not None and self.instance.person.name == d["person_name"].strip()
            person = (
                self.instance.person
                if same
                else services.nominee(
                    self.user, self.batch, name=d["person_name"], gender=d["gender"], kind=d["kind"], post=d["post"]
                )
            )
            fields = dict(
                person=person,
                post=d["post"],
                kind=d["kind"],
                form_text=d["form_text"],
                statement=d["statement"],
                exam_required=d["exam_required"],
                must_swear=d["must_swear"],
            )
            if self.instance is None:
                return services.add_nomination(self.user, self.batch, **fields)
            return services.update_nomination(self.user, self.instance, **fields)

        return _apply(self, act)


class QuestionForm(forms.Form):
    category = forms.CharField(label="类别", max_length=40, help_text="如：宪法、地方组织法、监督法")
    stem = forms.CharField(label="题干", widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(label="选项（每行一个）", widget=forms.Textarea(attrs={"rows": 5}))
    answers = forms.CharField(label="正确答案", max_length=20, help_text="填选项字母，多选题连写，如 AC")

    def __init__(self, *args, user, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["congress"] = forms.ModelChoiceField(label="人大", queryset=congresses, initial=congresses.first())

    def clean(self):
        data = super().clean()
        options = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        data["option_list"] = options
        if "options" in data and len(options) < 2:
            self.add_error("options", "至少需要两个选项。")
        elif "answers" in data:
            try:
                data["answer_list"] = services.parse_answers(data["answers"], len(options))
            except ValidationError as exc:
                self.add_error("answers", exc.messages[0])
        return data

    def save(self):
        d = self.cleaned_data
        return _apply(
            self,
            lambda: services.add_question(
                self.user,
                d["congress"],
                category=d["category"],
                stem=d["stem"],
                options=d["option_list"],
                answers=d["answer_list"],
            ),
        )


class QuestionImportForm(ImportForm):
    file = forms.FileField(
        label="Excel 或 CSV 文件",
        help_text="请使用导入模板（.xlsx 或 UTF-8 编码的 .csv），第一行为表头。",
        validators=[validate_upload],  # the one upload check: size, type, first bytes
    )
    congress = forms.ModelChoiceField(label="导入到哪一级人大的题库", queryset=Congress.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = actor_of(user).congresses(*MANAGE_ROLES)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件或 .csv 文件。")
        return f


class OathForm(forms.Form):
    on = forms.DateField(label="宣誓日期", widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label="宣誓方式", choices=OathTaking.Mode.choices, widget=forms.RadioSelect)
    swearers = forms.ModelMultipleChoiceField(
        label="宣誓人员", queryset=Nomination.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    leader = forms.ModelChoiceField(
        label="领誓人（集体宣誓）", queryset=Person.objects.none(), required=False, help_text="单独宣誓的不填"
    )
    administered_by = forms.CharField(label="监誓人", max_length=60, initial="市人大常委会主任")

    def __init__(self, *args, user, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.batch = user, batch
        nominations = services.to_swear(batch).select_related("person")
        self.fields["swearers"].queryset = nominations
        self.fields["swearers"].label_from_instance = lambda n: f"{n.person.name}（{n.post}）"
        self.fields["leader"].queryset = Person.objects.filter(pk__in=nominations.values("person"))

    def save(self):
        d = self.cleaned_data
        return _apply(
            self,
            lambda: services.record_oath(
                self.user,
                self.batch,
                on=d["on"],
                mode=d["mode"],
                nominations=d["swearers"],
                administered_by=d["administered_by"],
                leader=d["leader"] if d["mode"] == OathTaking.Mode.COLLECTIVE else None,
            ),
        )
