"""年度监督工作计划 pages (SUP-1): the list, a plan with the progress of every item, drafting a
plan, adding an item. Thin: PlanRule/ItemRule decide who sees and does what, the case type
(PLAN) the plan's steps (adopt, publish, adjust: the transition page), services write."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renda.core.excel import write_workbook
from renda.core.listing import Column, Listing, ListingView, year_filter
from renda.core.models import Body, CommitteeMeeting, HandlingUnit
from renda.core.scoping import allowed, get_visible_or_404
from renda.core.services import audit
from renda.workflow import calendar

from . import services
from .cases import PLAN
from .models import Investigation, SupervisionPlan, WorkReport

PLAN_BADGE = {"draft": "soon", "adopted": "", "published": "ok"}
# the kinds a plan item may be (services.ITEM_MODELS; 质询案 are proposed by members, not planned)
ITEM_KINDS = [
    ("work_report", "专项工作报告"),
    ("law_inspection", "执法检查"),
    ("investigation", "调研视察"),
    ("inquiry", "专题询问"),
]


class PlanList(ListingView):
    """The plans a user sees: the oversight roles their congresses' plans, everyone the published ones."""

    listing = Listing(
        model=SupervisionPlan,
        title="年度监督工作计划",
        columns=[
            Column("年度", lambda p: f"{p.year}年", sort="year"),
            Column("计划名称", lambda p: p.title, url=lambda p: reverse("supervision:plan", args=[p.pk])),
            Column("人大", lambda p: p.congress.short_name, key=True),
            Column("状态", lambda p: p.state_label, badge=lambda p: PLAN_BADGE.get(p.state, "")),
            Column("通过日期", lambda p: p.adopted_on or "", sort="adopted_on", key=True),
            Column("公布日期", lambda p: p.published_on or "", sort="published_on"),
        ],
        search_fields=("title", "text"),
        search_placeholder="搜索计划名称或说明",
        filters=[year_filter(PLAN.year_field)],
        select_related=("congress",),
        default_order=("-year", "-id"),
    )

    def actions(self, request):
        if allowed(request.user, "add", SupervisionPlan) and services.plan_congresses(request.user).exists():
            return [("起草年度计划", reverse("supervision:plan_create"))]
        return []


class PlanForm(forms.Form):
    congress = forms.ModelChoiceField(label="人大", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=1980, max_value=2100)
    title = forms.CharField(
        label="计划名称", max_length=200, required=False, help_text="不填写则为“某年度监督工作计划”"
    )
    text = forms.CharField(label="计划说明", widget=forms.Textarea(attrs={"rows": 8}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = services.plan_congresses(user)
        self.fields["congress"].label_from_instance = lambda c: c.name


def _errors_to_form(form, exc: ValidationError):
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, msgs in pairs:
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)


@login_required
def create(request):
    if not allowed(request.user, "add", SupervisionPlan) or not services.plan_congresses(request.user).exists():
        raise PermissionDenied("只有人大机关工作人员可以起草年度监督工作计划。")
    form = PlanForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.create_plan(request.user, d["congress"], d["year"], title=d["title"], text=d["text"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "计划草稿已保存；增加监督事项后提请主任会议通过。")
            return redirect("supervision:plan", pk=plan.pk)
    return render(
        request,
        "core/form.html",
        {
            "page_title": "起草年度监督工作计划",
            "form": form,
            "cancel_url": reverse("supervision:plans"),
            "breadcrumbs": [("年度监督工作计划", reverse("supervision:plans")), ("起草", "")],
        },
    )


def _due(item):
    if not getattr(item, "next_due", None):
        return None
    text, level = calendar.describe_remaining(item.next_due, timezone.localdate())
    return {"label": item.next_due_label, "due": item.next_due, "text": text, "level": level}


EXPORT_HEADERS = ["序号", "类别", "事项", "牵头机构", "被监督机关", "承办部门", "提请审议的会议", "状态", "下一期限"]


def _export(request, plan, rows):
    if not allowed(request.user, "export", WorkReport):
        raise PermissionDenied("您无权导出此计划的事项。")
    data = write_workbook(
        plan.title,
        EXPORT_HEADERS,
        (
            [
                n,
                r["kind"],
                r["item"].title,
                r["item"].body.name,
                r["item"].organ.name if r["item"].organ_id else "",
                r["item"].unit.name if r["item"].unit_id else "",
                r["item"].sitting.label if r["item"].sitting_id else "",
                r["item"].state_label,
                f"{r['due']['label']}：{r['due']['due']:%Y-%m-%d}（{r['due']['text']}）" if r["due"] else "",
            ]
            for n, r in enumerate(rows, 1)
        ),
    )
    audit(request.user, "export", SupervisionPlan, {"list": plan.title, "rows": len(rows)}, request=request)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=supervision-plan-{plan.pk}.xlsx; filename*=UTF-8''{quote(plan.title)}.xlsx"
    )
    return response


@login_required
def detail(request, pk):
    plan = get_visible_or_404(request.user, SupervisionPlan, pk=pk)
    plan = SupervisionPlan.objects.select_related("congress", "adopted_at__term__congress").get(pk=plan.pk)
    insider = allowed(request.user, "view_process", plan)
    items = services.plan_items(plan, request.user, clocks=insider)
    rows = [{"item": i, "kind": _kind_label(i), "due": _due(i) if insider else None} for i in items]
    if request.GET.get("export") == "xlsx":
        return _export(request, plan, rows)
    return render(
        request,
        "supervision/plan.html",
        {
            "page_title": plan.title,
            "plan": plan,
            "rows": rows,
            "progress": services.plan_progress(items),
            "insider": insider,
            "actions": PLAN.available(request.user, plan),
            "can_add": allowed(request.user, "add_item", plan),
            "can_export": bool(items) and allowed(request.user, "export", WorkReport),
            "badge": PLAN_BADGE.get(plan.state, ""),
            "breadcrumbs": [("年度监督工作计划", reverse("supervision:plans")), (f"{plan.year}年度", "")],
        },
    )


def _kind_label(item):
    """专项工作报告 / 执法检查 / 主任集体视察 …: an item's own kind where it has one."""
    if isinstance(item, Investigation):
        return item.get_kind_display()
    if isinstance(item, WorkReport) and item.kind != WorkReport.Kind.SPECIAL:
        return item.get_kind_display()
    return item.case_type.label


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label="事项类别", choices=ITEM_KINDS)
    title = forms.CharField(label="事项名称", max_length=200)
    report_kind = forms.ChoiceField(
        label="报告类别（专项工作报告）", choices=WorkReport.Kind.choices, initial=WorkReport.Kind.SPECIAL
    )
    investigation_kind = forms.ChoiceField(
        label="调研视察方式", choices=Investigation.Kind.choices, initial=Investigation.Kind.INVESTIGATION
    )
    law_title = forms.CharField(label="检查的法律法规（执法检查）", max_length=200, required=False)
    body = forms.ModelChoiceField(label="牵头机构", queryset=None)
    organ = forms.ModelChoiceField(label="被监督机关", queryset=None)
    unit = forms.ModelChoiceField(
        label="承办部门", queryset=None, required=False, help_text="代被监督机关起草报告、落实审议意见的部门"
    )
    sitting = forms.ModelChoiceField(label="拟提请审议的常委会会议", queryset=None, required=False)
    summary = forms.CharField(label="工作要点", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    key_item = forms.BooleanField(label="重点监督事项", required=False)
    satisfaction_vote = forms.BooleanField(label="进行满意度测评", required=False)
    deliberate_response = forms.BooleanField(label="研究处理情况提请审议", required=False)
    planned_on = forms.DateField(label="列入计划日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="调整理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="计划已经主任会议通过，增加事项须说明理由，记入计划的办理过程",
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        congress = plan.congress_id
        self.fields["body"].queryset = Body.objects.filter(congress_id=congress)
        units = HandlingUnit.objects.filter(congress_id=congress, is_active=True).order_by("kind", "id")
        self.fields["organ"].queryset = units
        self.fields["unit"].queryset = units
        self.fields["sitting"].queryset = CommitteeMeeting.objects.filter(
            term__congress_id=congress, kind=CommitteeMeeting.Kind.STANDING_COMMITTEE
        ).select_related("term__congress")
        self.fields["sitting"].label_from_instance = lambda m: f"{m.label}（{m.start_date:%Y-%m-%d}）"
        for name in ("body", "organ", "unit"):
            self.fields[name].label_from_instance = lambda x: x.name
        if plan.state == "draft":
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def clean(self):
        data = super().clean()
        if data.get("kind") == "law_inspection" and not (data.get("law_title") or "").strip():
            self.add_error("law_title", "执法检查须填写检查的法律法规。")
        return data

    def item_fields(self) -> dict:
        d = self.cleaned_data
        fields = {
            "title": d["title"].strip(),
            "body": d["body"],
            "organ": d["organ"],
            "unit": d.get("unit"),
            "sitting": d.get("sitting"),
            "summary": d.get("summary", ""),
            "key_item": d.get("key_item", False),
            "satisfaction_vote": d.get("satisfaction_vote", False),
            "deliberate_response": d.get("deliberate_response", False),
        }
        if d["kind"] == "work_report":
            fields["item_kind"] = d["report_kind"]
        elif d["kind"] == "investigation":
            fields["item_kind"] = d["investigation_kind"]
        elif d["kind"] == "law_inspection":
            fields["law_title"] = d["law_title"].strip()
        return fields


@login_required
def add_item(request, pk):
    plan = get_visible_or_404(request.user, SupervisionPlan, pk=pk)
    plan = SupervisionPlan.objects.select_related("congress").get(pk=plan.pk)
    if not allowed(request.user, "add_item", plan):
        raise PermissionDenied("只有人大机关工作人员可以为计划增加监督事项。")
    form = ItemForm(request.POST or None, plan=plan, initial={"planned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.add_item(
                request.user,
                plan,
                d["kind"],
                reason=d.get("reason", ""),
                on=d["planned_on"],
                **form.item_fields(),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
            plan.refresh_from_db()
        else:
            messages.success(request, f"已将“{item.title}”列入计划。")
            return redirect("supervision:plan", pk=plan.pk)
    return render(
        request,
        "supervision/plan_item_form.html",
        {
            "page_title": "增加监督事项",
            "plan": plan,
            "form": form,
            "cancel_url": reverse("supervision:plan", args=[plan.pk]),
            "breadcrumbs": [
                ("年度监督工作计划", reverse("supervision:plans")),
                (f"{plan.year}年度", reverse("supervision:plan", args=[plan.pk])),
                ("增加监督事项", ""),
            ],
        },
    )
