"""The hall's paper evaluation forms (纸质测评表) of a report-back, entered by the staff as three
counts (满意 / 基本满意 / 不满意); reportback.record_paper_evaluations stores them."""

from django import forms

from .models import ReportBackEvaluation
from .reportback import MAX_ATTENDEES

Rating = ReportBackEvaluation.Rating
COUNT_ERRORS = {
    "invalid": "请填写整数份数。",
    "min_value": "份数不能为负数。",
    "max_value": "份数过大，请核实。",
}


def _count(label: str) -> forms.IntegerField:
    # blank counts as 0: the staff fill in only the ratings the forms carry
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_ATTENDEES,
        error_messages=COUNT_ERRORS,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    )


class PaperEvaluationsForm(forms.Form):
    satisfied = _count("满意（份）")
    basic = _count("基本满意（份）")
    dissatisfied = _count("不满意（份）")

    def __init__(self, *args, attendees: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees = attendees

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        counts = [data.get(name) or 0 for name in Rating.values]
        total = sum(counts)
        if total == 0:
            raise forms.ValidationError("请至少填写一项份数（大于0）。")
        if total > self.attendees:  # the service checks it again with the answers already in
            raise forms.ValidationError(f"合计{total}份，超过参加人数（{self.attendees}人），请核实。")
        for name, n in zip(Rating.values, counts, strict=True):
            data[name] = n
        return data

    def answers(self) -> list[dict]:
        """One answer per paper form, as the service takes them."""
        return [{"rating": name} for name in Rating.values for _ in range(self.cleaned_data[name])]
