from django import forms

from renda.core.offline import add_key_field, move_key_error
from renda.party.forms import split_names

from .models import CATEGORIES


class DraftForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, help_text="如：关于加快河套灌区节水改造工程建设的建议")
    content = forms.CharField(
        label="内容",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50000,
        help_text="写明存在的问题、原因分析和具体建议；一事一议。",
    )
    # no default: a category is proposed from the text as the deputy writes, or chosen
    category = forms.ChoiceField(
        label="类别",
        choices=[("", "请选择（写好内容后系统会建议）")] + CATEGORIES,
        error_messages={"required": "请选择类别。"},
    )
    cosigners = forms.CharField(
        label="附议代表",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="填写附议代表姓名，以顿号或逗号分隔；提交后由附议代表本人确认。",
    )

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:  # a new draft: the offline queue may send it (twice, after a lost answer)
            add_key_field(self)

    def clean(self):
        data = super().clean()
        move_key_error(self)
        return data

    def cosigner_names(self) -> list[str]:
        return split_names(self.cleaned_data.get("cosigners", ""))
