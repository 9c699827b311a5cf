"""Forms for the core records. Choices are limited to what the user may manage, and a
form that fails keeps everything the user typed (Django re-renders bound forms)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction

from . import services
from .models import Body, CommitteeMember, Congress, Deputy, HandlingUnit, Person, Term
from .personal import mask
from .scoping import MANAGE_ROLES, actor_of, allowed

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意密码区分大小写。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }


def add_service_errors(form, exc) -> None:
    """A service's refusal (ValidationError) shown on the form, which keeps what was typed:
    each message under its field when the form has it, else at the top."""
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for name, messages in pairs:
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def managed_congresses(user):
    return actor_of(user).congresses(*MANAGE_ROLES).order_by("path")


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose congress/term choices are limited to what `user` manages."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        congresses = managed_congresses(user)
        for _name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model
                if model is Congress:
                    field.queryset = congresses
                elif model is Term:
                    field.queryset = Term.objects.filter(congress__in=congresses).select_related("congress")
                elif model is Body:
                    field.queryset = Body.objects.filter(congress__in=congresses)
                elif model is HandlingUnit:
                    field.queryset = HandlingUnit.objects.filter(congress__in=congresses)
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DATE

    def save(self, commit=True):
        return services.save_record(self.user, self.instance)

    def _post_clean(self):
        # Model validation (full_clean) runs in services.save_record; run it here too so
        # that its messages appear next to the fields.
        super()._post_clean()


class CongressForm(ScopedModelForm):
    """A congress's details. Its place in the tree (code, level, parent) is kept by those
    above it (rule `move`): for its own staff these fields are shown, fixed; the parent
    offered otherwise is any congress the editor keeps outside the congress's own subtree."""

    PLACE = ("code", "level", "parent")

    class Meta:
        model = Congress
        fields = ["region", "code", "level", "parent", "has_standing_committee", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        congress, parent = self.instance, self.fields["parent"]
        if congress.pk is None:
            return
        if allowed(user, "move", congress):
            parent.queryset = parent.queryset.exclude(path__startswith=congress.path)
        else:
            for name in self.PLACE:
                self.fields[name].disabled = True
            parent.queryset = Congress.objects.filter(pk=congress.parent_id)
            parent.help_text = "区划代码、级别和上级人大由上级人大的工作人员维护。"

    def save(self, commit=True):
        if self.instance.pk:
            return services.update_congress(self.user, self.instance)
        data = self.cleaned_data
        return services.create_congress(self.user, **{name: data[name] for name in self._meta.fields})


class BodyForm(ScopedModelForm):
    class Meta:
        model = Body
        fields = ["congress", "name", "short_name", "kind", "order", "is_active"]


class HandlingUnitForm(ScopedModelForm):
    class Meta:
        model = HandlingUnit
        fields = ["congress", "name", "short_name", "kind", "parent", "contact_phone", "is_active"]


class PersonFields(forms.Form):
    name = forms.CharField(label="姓名", max_length=40)
    gender = forms.ChoiceField(label="性别", choices=Person.Gender.choices)
    ethnicity = forms.CharField(label="民族", max_length=12, initial="汉族")
    birth_date = forms.DateField(label="出生日期", required=False, widget=DATE)
    party = forms.CharField(label="政治面貌", max_length=20, required=False)
    education = forms.CharField(label="学历", max_length=20, required=False)
    workplace = forms.CharField(label="工作单位及职务", max_length=120, required=False)
    mobile = forms.RegexField(
        label="手机号码", regex=r"^1\d{10}$", required=False, error_messages={"invalid": "请输入11位手机号码。"}
    )

    PERSON_FIELDS = ("name", "gender", "ethnicity", "birth_date", "party", "education", "workplace", "mobile")

    # Editing: the registered mobile is not put in the form (a full view would go unaudited);
    # the field shows it masked, blank keeps it, a new number replaces it, the box clears it.
    kept_mobile: str | None = None

    def keep_mobile(self, mobile: str) -> None:
        self.kept_mobile = mobile
        self.initial["mobile"] = ""
        if mobile:
            field = self.fields["mobile"]
            field.widget.attrs["placeholder"] = mask(mobile, "mobile")
            field.help_text = "已登记的号码不在此显示：留空则保留，填写则替换。"
            self.fields["clear_mobile"] = forms.BooleanField(label="清除已登记的手机号码", required=False)

    def person_data(self):
        data = {k: self.cleaned_data[k] for k in self.PERSON_FIELDS}
        if self.kept_mobile is not None and not data["mobile"]:
            data["mobile"] = "" if self.cleaned_data.get("clear_mobile") else self.kept_mobile
        return data


class DeputyForm(PersonFields):
    term = forms.ModelChoiceField(label="届", queryset=Term.objects.none())
    delegation = forms.CharField(label="代表团", max_length=60, required=False, help_text="如：临河区代表团")
    group = forms.CharField(label="代表小组", max_length=60, required=False)
    constituency = forms.CharField(label="选举单位", max_length=80, required=False)
    occupation = forms.ChoiceField(label="代表构成", choices=Deputy.Occupation.choices)
    is_grassroots = forms.BooleanField(label="基层代表", required=False)
    elected_date = forms.DateField(label="当选日期", widget=DATE)

    def __init__(self, *args, user, instance: Deputy | None = None, **kwargs):
        self.user, self.instance = user, instance
        if instance is not None and "initial" not in kwargs:
            p = instance.person
            kwargs["initial"] = {
                **{k: getattr(p, k) for k in self.PERSON_FIELDS},
                "term": instance.term_id,
                "delegation": instance.delegation.name if instance.delegation else "",
                "group": instance.group.name if instance.group else "",
                "constituency": instance.constituency.name if instance.constituency else "",
                "occupation": instance.occupation,
                "is_grassroots": instance.is_grassroots,
                "elected_date": instance.elected_date,
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.keep_mobile(instance.person.mobile)
        self.fields["term"].queryset = Term.objects.filter(congress__in=managed_congresses(user)).select_related(
            "congress"
        )
        self.fields["term"].label_from_instance = lambda t: f"{t.congress.region} {t.label}"

    @transaction.atomic
    def save(self) -> Deputy:
        data = self.cleaned_data
        term = data["term"]
        groups = services.grouping(self.user, term, data["delegation"], data["group"], data["constituency"])
        mandate = dict(
            elected_date=data["elected_date"],
            occupation=data["occupation"],
            is_grassroots=data["is_grassroots"],
            **groups,
        )
        if self.instance is None:
            person = services.create_person(self.user, **self.person_data())
            return services.create_deputy(self.user, person=person, term=term, **mandate)
        person = self.instance.person
        for k, v in self.person_data().items():
            setattr(person, k, v)
        services.require(self.user, "change", person)
        services.save_record(self.user, person, check=False)
        deputy = self.instance
        deputy.term, deputy.congress = term, term.congress
        for k, v in mandate.items():
            setattr(deputy, k, v)
        return services.save_record(self.user, deputy)


class CommitteeMemberForm(PersonFields):
    term = forms.ModelChoiceField(label="届", queryset=Term.objects.none())
    position = forms.ChoiceField(label="职务", choices=CommitteeMember.Position.choices)
    body = forms.ModelChoiceField(label="所在机构", queryset=Body.objects.none(), required=False)
    start_date = forms.DateField(label="任职日期", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        congresses = managed_congresses(user)
        self.fields["term"].queryset = Term.objects.filter(congress__in=congresses).select_related("congress")
        self.fields["term"].label_from_instance = lambda t: f"{t.congress.region} {t.label}"
        self.fields["body"].queryset = Body.objects.filter(congress__in=congresses)

    def clean(self):
        data = super().clean()
        if data.get("body") and data.get("term") and data["body"].congress_id != data["term"].congress_id:
            self.add_error("body", "所在机构必须属于同一人大。")
        return data

    @transaction.atomic
    def save(self) -> CommitteeMember:
        data = self.cleaned_data
        person = services.create_person(self.user, **self.person_data())
        return services.create_committee_member(
            self.user,
            term=data["term"],
            person=person,
            position=data["position"],
            start_date=data["start_date"],
            body=data["body"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件", help_text="请使用导入模板（.xlsx），第一行为表头。")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        return f


class DeputyImportForm(ImportForm):
    term = forms.ModelChoiceField(label="导入到哪一届", queryset=Term.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(congress__in=managed_congresses(user)).select_related(
            "congress"
        )
        self.fields["term"].label_from_instance = lambda t: f"{t.congress.region} {t.label}"


class MemberImportForm(DeputyImportForm):
    pass


class CommitteeMemberEditForm(ScopedModelForm):
    """Changes of a seat: position, body, and the date the member left (离任)."""

    class Meta:
        model = CommitteeMember
        fields = ["position", "body", "start_date", "end_date"]

    def clean(self):
        data = super().clean()
        if data.get("body") and data["body"].congress_id != self.instance.congress_id:
            self.add_error("body", "所在机构必须属于同一人大。")
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "离任日期不能早于任职日期。")
        return data


class UnitImportForm(ImportForm):
    congress = forms.ModelChoiceField(label="所属人大", queryset=Congress.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = managed_congresses(user)


class AccountForm(forms.Form):
    """A new account with its first role (an administrator's page)."""

    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9_.-]{3,40}$",
        error_messages={"invalid": "用户名为3至40位字母、数字或 _ . -。"},
    )
    display_name = forms.CharField(label="显示名称", max_length=40)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput(render_value=True), min_length=8)
    role = forms.ChoiceField(label="角色", choices=[])
    congress = forms.ModelChoiceField(label="人大", queryset=Congress.objects.none())
    body = forms.ModelChoiceField(label="所在机构（机关工作人员必填）", queryset=Body.objects.none(), required=False)
    handling_unit = forms.ModelChoiceField(
        label="所在单位（承办单位工作人员必填）", queryset=HandlingUnit.objects.none(), required=False
    )
    deputy = forms.ModelChoiceField(
        label="代表资格（人大代表必填）",
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.NumberInput,
        help_text="填写代表编号（代表详情页地址中的数字）",
    )

    def __init__(self, *args, user, **kwargs):
        from .models import Role
        from .scoping import actor_of

        self.user = user
        super().__init__(*args, **kwargs)
        congresses = actor_of(user).congresses(Role.ADMIN).order_by("path")
        # the security and audit administrators are appointed by the deployment's superuser only
        separate = () if user.is_superuser else (Role.SECURITY, Role.AUDITOR)
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v not in separate]
        self.fields["congress"].queryset = congresses
        self.fields["body"].queryset = Body.objects.filter(congress__in=congresses)
        self.fields["handling_unit"].queryset = HandlingUnit.objects.filter(congress__in=congresses)
        self.fields["deputy"].queryset = Deputy.objects.filter(congress__in=congresses)

    def clean_username(self):
        from .models import User

        name = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("该用户名已被使用。")
        return name

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def clean(self):
        from django.core.exceptions import ValidationError as ModelValidationError

        from .models import RoleAssignment

        data = super().clean()
        if self.errors:
            return data
        probe = RoleAssignment(
            role=data["role"],
            congress=data["congress"],
            body=data.get("body"),
            handling_unit=data.get("handling_unit"),
            deputy=data.get("deputy"),
        )
        try:
            probe.clean()
        except ModelValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data

    def save(self):
        data = self.cleaned_data
        deputy = data.get("deputy")
        return services.create_account(
            self.user,
            username=data["username"],
            password=data["password"],
            must_change_password=True,
            display_name=data["display_name"],
            person=deputy.person if deputy else None,
            roles=[
                dict(
                    role=data["role"],
                    congress=data["congress"],
                    body=data.get("body"),
                    handling_unit=data.get("handling_unit"),
                    deputy=deputy,
                )
            ],
        )
