from django import forms

from renda.core.intake import IntakeForm
from renda.core.uploads import validate_upload

from .models import Filing, ReviewProposal

DATE = forms.DateInput(attrs={"type": "date"})


class FilingForm(forms.Form):
    filer = forms.ChoiceField(label="制定机关")
    kind = forms.ChoiceField(label="文件类别", choices=Filing.Kind.choices)
    title = forms.CharField(label="文件名称", max_length=200, help_text="如：巴彦淖尔市人民政府关于……的通知")
    document_number = forms.CharField(label="文号", max_length=60, help_text="如：巴政发〔2020〕12号")
    adopted_on = forms.DateField(label="通过（签发）日期", widget=DATE)
    published_on = forms.DateField(label="公布日期", widget=DATE, help_text="应当自公布之日起三十日内报送备案")
    source_file = forms.FileField(
        label="正式文本",
        required=False,
        validators=[validate_upload],
        help_text="上传 .docx、.pdf 或 .txt 文件，系统自动提取正文；也可以在下面直接粘贴正文",
    )
    text = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 10}), max_length=300000)
    drafting_explanation = forms.CharField(
        label="起草说明",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=50000,
        help_text="制定的必要性、过程（征求意见、合法性审查、集体讨论）和主要内容",
    )
    legal_basis = forms.CharField(
        label="制定依据",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text="所依据的法律、法规、规章和上级文件",
    )

    def __init__(self, *args, filers=(), has_text=False, **kwargs):
        from .services import kinds_for

        super().__init__(*args, **kwargs)
        self.fields["filer"].choices = [(key, label) for key, label, _ in filers]
        self.filer_labels = {key: label for key, label, _ in filers}
        self.has_text = has_text  # a draft being corrected keeps its text unless replaced
        if filers and "kind" not in self.initial:
            # the first kind the (first) filer may file: never a default it would be refused
            self.initial["kind"] = kinds_for(self.initial.get("filer") or filers[0][0])[0]

    def clean(self):
        from .services import kind_problem

        data = super().clean()
        if not self.has_text and not data.get("text", "").strip() and not data.get("source_file"):
            self.add_error("source_file", "请上传正式文本或粘贴正文。")
        filer, kind = data.get("filer"), data.get("kind")
        if filer and kind:  # told together with the other errors, not after they are fixed
            problem = kind_problem(filer, self.filer_labels.get(filer, "制定机关"), kind)
            if problem:
                self.add_error("kind", problem)
        if data.get("adopted_on") and data.get("published_on") and data["adopted_on"] > data["published_on"]:
            self.add_error("adopted_on", "通过（签发）日期不能晚于公布日期。")
        return data


class ProposalForm(IntakeForm):
    """审查建议 through the public site (立法法第一百一十三条; rules FR-10)."""

    proposer_kind = forms.ChoiceField(
        label="建议人类别", choices=ReviewProposal.ProposerKind.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = ReviewProposal
        fields = [
            "proposer",
            "proposer_kind",
            "contact",
            "address",
            "document_title",
            "document_number",
            "issue",
            "reasons",
        ]
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 4}),
            "reasons": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "proposer": "公民填写姓名，组织填写名称",
            "contact": "手机、电话或电子邮箱，用于反馈审查结果（不公开）",
            "document_title": "建议审查的规范性文件名称",
            "document_number": "如：巴政发〔2020〕12号",
            "issue": "认为该文件哪些规定同宪法、法律、法规相抵触或者明显不适当",
            "reasons": "具体理由和依据",
        }

    def clean_reasons(self):
        reasons = self.cleaned_data["reasons"].strip()
        if len(reasons) < 20:
            raise forms.ValidationError("请具体说明理由（至少20字），理由不明确的审查建议可能不予审查。")
        return reasons
