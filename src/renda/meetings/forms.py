from django import forms

from renda.core.models import Deputy

from .models import Attendance


class AgendaItemForm(forms.Form):
    candidate = forms.ChoiceField(label="列入议程的事项", error_messages={"required": "请选择要列入议程的事项。"})
    title = forms.CharField(label="议题名称", max_length=200, required=False, help_text="留空则使用“操作：案件名称”。")

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [("", "请选择")] + [(c.value, c.label) for c in candidates]


class AttendanceForm(forms.Form):
    person = forms.ChoiceField(label="组成人员", error_messages={"required": "请选择组成人员。"})
    status = forms.ChoiceField(label="出席情况", choices=Attendance.Status.choices)
    reason = forms.CharField(label="请假事由", max_length=200, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "请选择")] + [(str(p.pk), p.name) for p in members]


class ObserversForm(forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        label="列席的代表",
        queryset=Deputy.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一位列席人员。"},
    )

    def __init__(self, *args, sitting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = Deputy.objects.filter(
            term=sitting.term, status=Deputy.Status.SERVING
        ).select_related("person")
        self.fields["deputies"].label_from_instance = lambda d: d.person.name
