"""Importing the law exam's question bank from Excel or CSV, through the platform's import
mechanism (core.imports: every row checked first, every bad row reported, nothing written
unless all are good) and the same service as the form (services.add_question)."""

from django import forms
from django.core.exceptions import ValidationError

from renda.core.imports import Importer, RowError

from . import services

LETTERS = "ABCDEF"


class QuestionRow(forms.Form):
    category = forms.CharField(max_length=40, error_messages={"required": "请填写类别。"})
    stem = forms.CharField(error_messages={"required": "请填写题干。"})
    answers = forms.CharField(max_length=20, error_messages={"required": "请填写正确答案，如 A 或 AC。"})

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for letter in LETTERS:
            self.fields[f"option_{letter}"] = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        options = [data.get(f"option_{letter}", "") for letter in LETTERS]
        while options and not options[-1]:
            options.pop()
        if len(options) < 2 or any(not o for o in options):
            raise ValidationError("至少需要选项A、B两个选项，且中间不能有空选项。")
        data["options"] = options
        if "answers" in data:
            try:
                data["answer_list"] = services.parse_answers(data["answers"], len(options))
            except ValidationError as exc:
                self.add_error("answers", exc.messages[0])
        return data


class QuestionImporter(Importer):
    title = "任前法律知识考试题库导入模板"
    columns = {
        "类别": ("category", None),
        "题干": ("stem", None),
        **{f"选项{letter}": (f"option_{letter}", None) for letter in LETTERS},
        "正确答案": ("answers", None),
    }
    required_headers = ("类别", "题干", "选项A", "选项B", "正确答案")
    example = ["宪法", "中华人民共和国的一切权力属于谁？", "人民", "国家机关", "", "", "", "", "A"]
    notes = [
        "正确答案填选项字母，多选题连写，如 AC；选项最多六个（A 至 F），未用的选项留空。",
        "也可上传 UTF-8 编码的 CSV 文件，表头相同。任何一行有错时整个文件都不会导入。",
    ]

    def row_form(self):
        return QuestionRow

    def check_duplicates(self, validated):
        errors, seen = [], {}
        for number, data in validated:
            if data["stem"] in seen:
                errors.append(RowError(number, "题干", f"与第{seen[data['stem']]}行重复。"))
            seen.setdefault(data["stem"], number)
        return errors

    def create(self, by, data, context):
        services.add_question(
            by,
            context["congress"],
            category=data["category"],
            stem=data["stem"],
            options=data["options"],
            answers=data["answer_list"],
        )
