"""Forms of the legislative plan pages: a plan, a project added directly, a need recorded at
work (the staff, a department) and the public's need (core/intake.py's IntakeForm)."""

from django import forms
from django.utils import timezone

from renda.core.intake import IntakeForm
from renda.core.models import Body, CommitteeMeeting, HandlingUnit
from renda.core.scoping import actor_of
from renda.suggestions.models import Suggestion
from renda.workflow.links import find_cases

from . import plan_services
from .models import Bill
from .plan_models import LegislativeNeed, LegislativePlan, PlanItem


class PlanForm(forms.Form):
    congress = forms.ModelChoiceField(label="人大", queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="类别", choices=LegislativePlan.Kind.choices)
    year = forms.IntegerField(label="年度（规划为起始年度）", min_value=1980, max_value=2100)
    title = forms.CharField(label="名称", max_length=200, required=False, help_text="不填写则为“某年度立法计划”")
    text = forms.CharField(label="计划说明", widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year + 1})
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = plan_services.plan_congresses(user)
        self.fields["congress"].label_from_instance = lambda c: c.name


def _sittings(congress_id):
    return CommitteeMeeting.objects.filter(
        term__congress_id=congress_id, kind=CommitteeMeeting.Kind.STANDING_COMMITTEE
    ).select_related("term__congress")


class ItemForm(forms.Form):
    title = forms.CharField(label="项目名称", max_length=200)
    category = forms.ChoiceField(label="项目类别", choices=PlanItem.Category.choices)
    area = forms.ChoiceField(label="立法事项范围", choices=Bill.Area.choices)
    area_basis = forms.CharField(
        label="法律授权依据", max_length=200, required=False, help_text="立法事项范围为“其他”的，须写明法律的授权依据"
    )
    drafter = forms.CharField(label="起草单位", max_length=100)
    sitting = forms.ModelChoiceField(label="拟提请审议的常委会会议", queryset=None, required=False)
    planned_month = forms.IntegerField(label="拟提请审议月份", min_value=1, max_value=12, required=False)
    reason = forms.CharField(
        label="调整理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="计划已经主任会议通过，增加项目须说明理由，记入计划的办理过程",
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].queryset = _sittings(plan.congress_id)
        self.fields["sitting"].label_from_instance = lambda m: f"{m.label}（{m.start_date:%Y-%m-%d}）"
        if plan.state == "draft":
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True


class NeedForm(forms.Form):
    """A need recorded at work: the staff any source but the public's; a department its own."""

    source = forms.ChoiceField(label="来源", choices=[c for c in LegislativeNeed.Source.choices if c[0] != "public"])
    title = forms.CharField(label="建议的法规名称", max_length=200)
    area = forms.ChoiceField(label="立法事项范围", choices=Bill.Area.choices)
    area_basis = forms.CharField(label="法律授权依据", max_length=200, required=False)
    reason = forms.CharField(label="立法的必要性和主要内容", widget=forms.Textarea(attrs={"rows": 6}))
    unit = forms.ModelChoiceField(label="提出单位（政府提出）", queryset=None, required=False)
    body = forms.ModelChoiceField(label="提出的委员会", queryset=None, required=False)
    suggestion = forms.CharField(
        label="所依据的代表建议（编号或标题）", max_length=200, required=False, help_text="代表议案、建议提出的须填写"
    )

    def __init__(self, *args, user=None, congress=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.congress = user, congress
        actor = actor_of(user)
        units = HandlingUnit.objects.filter(congress=congress, is_active=True).order_by("kind", "id")
        if not actor.manages(congress.pk):  # a department: its own need, from itself
            units = units.filter(pk__in=actor.unit_ids)
            self.fields["source"].choices = [("government", "政府提出")]
            for name in ("body", "suggestion"):
                del self.fields[name]
        else:
            self.fields["body"].queryset = Body.objects.filter(congress=congress)
            self.fields["body"].label_from_instance = lambda b: b.name
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.name

    def clean_suggestion(self):
        text = (self.cleaned_data.get("suggestion") or "").strip()
        if not text:
            return None
        found = [c for c in find_cases(self.user, text, self.congress) if isinstance(c, Suggestion)]
        if len(found) != 1:
            raise forms.ValidationError(
                "未找到这件代表建议（请填写完整的编号或标题）。" if not found else "有多件同名建议，请填写编号。"
            )
        return found[0]


class PublicNeedForm(IntakeForm):
    """立法项目建议 from the public (portal)."""

    class Meta:
        model = LegislativeNeed
        fields = ["proposer", "contact", "title", "area", "area_basis", "reason"]
        labels = {"proposer": "姓名或单位（选填）", "title": "建议制定的法规名称"}
        widgets = {"reason": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "contact": "手机、电话或电子邮箱，用于反馈论证结果（不公开）",
            "area": "设区的市可以就城乡建设与管理、生态文明建设、历史文化保护、基层治理等方面的事项制定地方性法规",
            "area_basis": "选择“其他”的，请写明授权制定的法律（如不清楚可不填，由工作人员论证）",
        }

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:  # said with the other errors, not only once the form is otherwise valid
            raise forms.ValidationError("请写明立法的必要性和主要内容（至少10个字）。")
        return reason
