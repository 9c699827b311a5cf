from django import forms

from renda.core.models import HandlingUnit


class OpenProblemForm(forms.Form):
    """A problem put on the ledger from a case's page (or from an inquiry's promise)."""

    title = forms.CharField(label="问题", max_length=200)
    unit = forms.ModelChoiceField(label="责任单位", queryset=HandlingUnit.objects.none())
    due_on = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))
    measures = forms.CharField(
        label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, *args, congress_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(congress_id=congress_id, is_active=True)
