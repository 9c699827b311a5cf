"""Excel imports: every row is validated first and every bad row is reported; nothing
is written unless every row is good, and then everything is written in one transaction
through the same services as the forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from . import services
from .excel import WorkbookError, read_rows, template_workbook
from .models import Body, CommitteeMember, Deputy, HandlingUnit, Person


@dataclass
class RowError:
    row: int  # the spreadsheet row number (header = 1)
    column: str
    message: str


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} 处错误")
        self.errors = errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _text(value).replace("/", "-").replace("年", "-").replace("月", "-").replace("日", "")


def _choice(choices):
    labels = {label: value for value, label in choices}

    def convert(value):
        text = _text(value)
        return labels.get(text, text)

    return convert


def _bool(value):
    text = _text(value)
    return text in ("是", "√", "1", "true", "True", "Y", "y")


class Importer:
    """Columns map spreadsheet headers to form fields; `row_form` validates one row;
    `create` writes one validated row through the services."""

    title = ""
    columns: dict[str, tuple[str, object]] = {}  # header -> (form field, converter)
    required_headers: tuple[str, ...] = ()
    example: list[str] = []
    notes: list[str] = []

    def row_form(self) -> type[forms.Form]:
        raise NotImplementedError

    def create(self, by, data: dict, context: dict):
        raise NotImplementedError

    def template(self) -> bytes:
        return template_workbook(self.title, list(self.columns), self.example, self.notes)

    def run(self, by, file, context: dict) -> int:
        try:
            header, rows = read_rows(file)
        except WorkbookError as exc:
            raise ImportFailed([RowError(1, "", str(exc))]) from None
        missing = [h for h in self.required_headers if h not in header]
        if missing:
            raise ImportFailed([RowError(1, h, f"缺少必需的列“{h}”，请使用导入模板。") for h in missing])
        if not rows:
            raise ImportFailed([RowError(2, "", "文件中没有数据行。")])
        form_class = self.row_form()
        field_to_header = {f: h for h, (f, _) in self.columns.items()}
        validated, errors = [], []
        for number, record in rows:
            data = {}
            for headline, (name, convert) in self.columns.items():
                value = record.get(headline)
                data[name] = convert(value) if convert else _text(value)
            form = form_class(data)
            if form.is_valid():
                validated.append((number, form.cleaned_data))
            else:
                for name, messages in form.errors.items():
                    for message in messages:
                        errors.append(RowError(number, field_to_header.get(name, ""), message))
        errors.extend(self.check_duplicates(validated))
        if errors:
            raise ImportFailed(errors)
        try:
            with transaction.atomic():
                for number, data in validated:
                    try:
                        self.create(by, data, context)
                    except ValidationError as exc:
                        messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
                        errors.extend(RowError(number, "", m) for m in messages)
                if errors:
                    raise ImportFailed(errors)
        except PermissionDenied as exc:
            raise ImportFailed([RowError(0, "", str(exc))]) from None
        return len(validated)

    def check_duplicates(self, validated) -> list[RowError]:
        return []


PERSON_FIELDS = ("name", "gender", "ethnicity", "birth_date", "party", "education", "workplace", "mobile")


class PersonRow(forms.Form):
    """The columns of a person, shared by the deputy and member imports."""

    name = forms.CharField(max_length=40)
    gender = forms.ChoiceField(choices=Person.Gender.choices)
    ethnicity = forms.CharField(max_length=12, required=False)
    birth_date = forms.DateField(required=False)
    party = forms.CharField(max_length=20, required=False)
    education = forms.CharField(max_length=20, required=False)
    workplace = forms.CharField(max_length=120, required=False)
    mobile = forms.RegexField(regex=r"^1\d{10}$", required=False, error_messages={"invalid": "请输入11位手机号码。"})

    @staticmethod
    def person_fields(data: dict) -> dict:
        fields = {k: data[k] for k in PERSON_FIELDS}
        fields["ethnicity"] = fields["ethnicity"] or "汉族"
        return fields


PERSON_COLUMNS = {
    "姓名": ("name", None),
    "性别": ("gender", _choice(Person.Gender.choices)),
    "民族": ("ethnicity", None),
    "出生日期": ("birth_date", _date),
    "政治面貌": ("party", None),
    "学历": ("education", None),
    "工作单位及职务": ("workplace", None),
    "手机号码": ("mobile", None),
}


class DeputyRow(PersonRow):
    delegation = forms.CharField(max_length=60, required=False)
    group = forms.CharField(max_length=60, required=False)
    constituency = forms.CharField(max_length=80, required=False)
    occupation = forms.ChoiceField(choices=Deputy.Occupation.choices, required=False)
    is_grassroots = forms.BooleanField(required=False)
    elected_date = forms.DateField()


class DeputyImporter(Importer):
    title = "人大代表导入模板"
    columns = {
        **PERSON_COLUMNS,
        "代表团": ("delegation", None),
        "代表小组": ("group", None),
        "选举单位": ("constituency", None),
        "代表构成": ("occupation", _choice(Deputy.Occupation.choices)),
        "基层代表": ("is_grassroots", _bool),
        "当选日期": ("elected_date", _date),
    }
    required_headers = ("姓名", "性别", "当选日期")
    example = [
        "张三",
        "男",
        "汉族",
        "1970-05-01",
        "中共党员",
        "大学",
        "临河区某某村党支部书记",
        "13800000000",
        "临河区代表团",
        "临河区第一代表小组",
        "临河区",
        "农牧民",
        "是",
        "2016-12-20",
    ]
    notes = [
        "第一行为表头，请勿修改列名；从第二行起每行一名代表。",
        "性别填“男”或“女”；日期填 2016-12-20 形式。",
        "代表构成可填：" + "、".join(label for _, label in Deputy.Occupation.choices) + "。",
        "基层代表填“是”或“否”。任何一行有错时，整个文件都不会导入，并列出所有错误行。",
    ]

    def row_form(self):
        return DeputyRow

    def create(self, by, data, context):
        term = context["term"]
        person = services.create_person(by, **PersonRow.person_fields(data))
        groups = services.grouping(by, term, data["delegation"], data["group"], data["constituency"])
        services.create_deputy(
            by,
            person=person,
            term=term,
            elected_date=data["elected_date"],
            occupation=data["occupation"] or Deputy.Occupation.OTHER,
            is_grassroots=data["is_grassroots"],
            **groups,
        )


class UnitRow(forms.Form):
    name = forms.CharField(max_length=80)
    short_name = forms.CharField(max_length=30)
    kind = forms.ChoiceField(choices=HandlingUnit.Kind.choices)
    parent = forms.CharField(max_length=80, required=False)
    contact_phone = forms.CharField(max_length=30, required=False)


class UnitImporter(Importer):
    title = "承办单位导入模板"
    columns = {
        "单位名称": ("name", None),
        "简称": ("short_name", None),
        "类别": ("kind", _choice(HandlingUnit.Kind.choices)),
        "上级单位": ("parent", None),
        "联系电话": ("contact_phone", None),
    }
    required_headers = ("单位名称", "简称", "类别")
    example = ["巴彦淖尔市教育局", "市教育局", "政府工作部门", "巴彦淖尔市人民政府", "0478-0000000"]
    notes = [
        "类别可填：" + "、".join(label for _, label in HandlingUnit.Kind.choices) + "。",
        "上级单位填已有单位或本文件中前面各行的单位全称，可空。任何一行有错时整个文件都不会导入。",
    ]

    def row_form(self):
        return UnitRow

    def check_duplicates(self, validated):
        errors, seen = [], {}
        for number, data in validated:
            if data["name"] in seen:
                errors.append(RowError(number, "单位名称", f"与第{seen[data['name']]}行重复。"))
            seen.setdefault(data["name"], number)
        return errors

    def create(self, by, data, context):
        congress = context["congress"]
        parent = None
        if data["parent"]:
            parent = HandlingUnit.objects.filter(congress=congress, name=data["parent"]).first()
            if parent is None:
                raise ValidationError(f"上级单位“{data['parent']}”不存在。")
        if HandlingUnit.objects.filter(congress=congress, name=data["name"]).exists():
            raise ValidationError(f"单位“{data['name']}”已存在。")
        unit = HandlingUnit(
            congress=congress,
            name=data["name"],
            short_name=data["short_name"],
            kind=data["kind"],
            parent=parent,
            contact_phone=data["contact_phone"],
        )
        services.save_record(by, unit)


class MemberRow(PersonRow):
    position = forms.ChoiceField(choices=CommitteeMember.Position.choices)
    body = forms.CharField(max_length=80, required=False)
    start_date = forms.DateField()


class MemberImporter(Importer):
    title = "常委会组成人员导入模板"
    columns = {
        **PERSON_COLUMNS,
        "职务": ("position", _choice(CommitteeMember.Position.choices)),
        "所在机构": ("body", None),
        "任职日期": ("start_date", _date),
    }
    required_headers = ("姓名", "性别", "职务", "任职日期")
    example = [
        "周建华",
        "男",
        "汉族",
        "1965-03-01",
        "中共党员",
        "研究生",
        "巴彦淖尔市人大常委会副主任",
        "13900000000",
        "副主任",
        "",
        "2017-01-09",
    ]
    notes = [
        "职务可填：" + "、".join(label for _, label in CommitteeMember.Position.choices) + "。",
        "所在机构填本级人大已有机构的全称或简称，可空。任何一行有错时整个文件都不会导入。",
    ]

    def row_form(self):
        return MemberRow

    def create(self, by, data, context):
        term = context["term"]
        body = None
        if data["body"]:
            body = (
                Body.objects.filter(congress=term.congress)
                .filter(models.Q(name=data["body"]) | models.Q(short_name=data["body"]))
                .first()
            )
            if body is None:
                raise ValidationError(f"所在机构“{data['body']}”不存在。")
        person = services.create_person(by, **PersonRow.person_fields(data))
        services.create_committee_member(
            by, term=term, person=person, position=data["position"], start_date=data["start_date"], body=body
        )
