"""The drafting form. It validates what was typed; the service decides and writes (the view maps
a service's ValidationError back onto the fields, so nothing typed is lost)."""

from django import forms

from . import services
from .models import Resolution


class ResolutionForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200, help_text="如：关于批准2019年市本级财政决算的决议")
    kind = forms.ChoiceField(label="类别", choices=[("", "请选择")] + Resolution.Kind.choices)
    subject = forms.ChoiceField(label="事项类型", choices=[("", "请选择")] + Resolution.Subject.choices)
    proposer = forms.CharField(label="提请机关", max_length=100, required=False, help_text="如：主任会议、市人民政府")
    matter = forms.ChoiceField(label="所决定的事项", required=False, help_text="本级人大的报告、法规案、计划等，可不选")
    draft = forms.CharField(
        label="草案文本", widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=50000
    )
    draft_file = forms.FileField(label="或上传草案文件", required=False)

    def __init__(self, *args, user, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [("", "（不关联）")] + services.matter_choices(user, congress)
