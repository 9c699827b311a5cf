"""Forms of the legislation work pages. They validate what was typed; the services decide and
write (a service's ValidationError goes back onto the fields, so nothing typed is lost)."""

from django import forms
from django.conf import settings

from renda.core.uploads import validate_upload

from .models import Bill, Opinion, PublicComment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CAUSES_HELP = "每行一条，如“第五条：公众意见#12、政协意见#3”；采纳的公众意见会自动列为所对应条文的依据。"


class BillForm(forms.Form):
    title = forms.CharField(label="法规案名称", max_length=200, help_text="如《巴彦淖尔市农药污染防治条例》")
    area = forms.ChoiceField(label="立法事项范围", choices=[("", "请选择")] + Bill.Area.choices)
    area_basis = forms.CharField(
        label="法律授权依据", max_length=200, required=False, help_text="不属于上述四个方面的，须写明法律的授权依据"
    )
    drafter = forms.CharField(label="起草单位", max_length=100)
    readings_required = forms.TypedChoiceField(
        label="审议次数", coerce=int, choices=[(1, "一审"), (2, "二审"), (3, "三审")]
    )
    early_involvement = forms.CharField(
        label="法制委员会提前介入情况",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text="法制委员会提前介入起草的情况（选填），记入法规案的文件",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("readings_required", settings.RENDA_LEGISLATION_READINGS)
        super().__init__(*args, **kwargs)


CAUSES_MAX = 20_000


class DraftForm(forms.Form):
    file = forms.FileField(
        label="草案文件", required=False, validators=[validate_upload], help_text="纯文本（.txt）或 Word（.docx）"
    )
    text = forms.CharField(
        label="或粘贴草案文本", widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=200_000
    )
    note = forms.CharField(label="版本说明", max_length=200, required=False, help_text="如：一审后修改稿")
    causes = forms.CharField(
        label="修改依据",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=CAUSES_HELP,
        # each #id is looked up: bounded, so one request cannot ask for thousands
        max_length=CAUSES_MAX,
        error_messages={"max_length": f"修改依据不能超过{CAUSES_MAX}字，请分次补充。"},
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip() and not self.errors:
            raise forms.ValidationError("请上传草案文件或粘贴草案文本。")
        return data


class PeriodForm(forms.Form):
    version = forms.TypedChoiceField(label="征求意见稿", coerce=int)
    opens_on = forms.DateField(label="开始日期", widget=DATE)
    closes_on = forms.DateField(label="截止日期", widget=DATE, help_text="一般不少于三十日（立法法第四十条）")
    published = forms.BooleanField(label="在公众页面公布", required=False, initial=True)

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.drafts = {v.number: v for v in drafts}
        self.fields["version"].choices = [(n, f"第{n}稿") for n in sorted(self.drafts, reverse=True)]


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("publish", "公开"), ("hide", "不予公开")])
    reason = forms.CharField(label="不予公开的理由", max_length=200, required=False)


class HandleForm(forms.Form):
    handling = forms.ChoiceField(
        label="采纳情况", choices=[("", "请选择")] + [c for c in PublicComment.Handling.choices if c[0]]
    )
    note = forms.CharField(label="处理说明", max_length=2000, required=False)


class SummaryForm(forms.Form):
    text = forms.CharField(
        label="征求意见情况的说明",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20_000,
        help_text="征求意见截止后发布，在公众页面上公开",
    )


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(label="意见类别", choices=[("", "请选择")] + Opinion.Kind.choices)
    source = forms.CharField(label="提出意见的单位或个人", max_length=100)
    article = forms.IntegerField(label="针对的条文（第几条，选填）", min_value=1, max_value=9999, required=False)
    text = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    received_on = forms.DateField(label="收到日期", widget=DATE)


class SpeechForm(forms.Form):
    """A member's own 审议意见 on the bill under deliberation."""

    article = forms.IntegerField(label="针对的条文（第几条，选填）", min_value=1, max_value=9999, required=False)
    text = forms.CharField(label="审议意见", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)


class CauseForm(forms.Form):
    article = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=9999)
    source = forms.ChoiceField(label="依据的意见")

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "请选择")] + list(sources)
