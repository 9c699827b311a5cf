"""Pages of the think tank: the register (list, form, an expert's page) and the two writes
a case page's `{% case_experts %}` posts to (assign, record an opinion), each of which also
has a page of its own to show its form again with what was typed when it is refused."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from renda.core.forms import add_service_errors
from renda.core.listing import Column, Filter, Listing, ListingView
from renda.core.scoping import allowed, get_record_or_404, get_visible_or_404, require, visible

from . import forms, services
from .models import Expert, ExpertAssignment, ExpertField, ExpertOpinion

BREAD = [("专家智库", "/work/experts/")]


def _visible_or_404(user, model, pk, *related):
    found = visible(user, model).select_related(*related).filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该记录，或您无权查看。")
    return found


def _field_choices(request):
    return [(f.pk, f.name) for f in visible(request.user, ExpertField).order_by("name", "id")]


class ExpertList(ListingView):
    require_model_view = True
    edit_url_name = "experts:edit"
    listing = Listing(
        model=Expert,
        title="专家智库",
        columns=[
            Column(
                "姓名", lambda e: e.person.name, sort="person__name", url=lambda e: e.get_absolute_url(), title=True
            ),
            Column("专业领域", lambda e: "、".join(f.name for f in e.fields.all()), key=True),
            Column("职称", lambda e: e.title, sort="title", key=True),
            Column("工作单位", lambda e: e.workplace),
            Column("手机号码", lambda e: e.mobile, personal="mobile"),
            Column("聘任日期", lambda e: e.appointed_on, sort="appointed_on"),
            Column("聘期届满", lambda e: e.term_end, sort="term_end"),
            Column("在库", lambda e: e.is_active),
        ],
        search_fields=("person__name", "title", "workplace"),
        search_placeholder="搜索姓名、职称或工作单位",
        filters=[
            Filter("field", "专业领域", "fields", _field_choices),
            Filter("active", "状态", "is_active", lambda r: [("True", "在库"), ("False", "已解聘")]),
        ],
        select_related=("person",),
        default_order=("person__name", "id"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(Prefetch("fields", ExpertField.objects.order_by("name")))

    def actions(self, request):
        return [("登记专家", reverse("experts:create"))] if allowed(request.user, "add", Expert) else []


@login_required
def expert_edit(request, pk=None):
    expert = get_visible_or_404(request.user, Expert, pk=pk) if pk else None
    if expert is not None:
        require(request.user, "change", expert)
    else:
        require(request.user, "add", Expert)
    title = f"修改专家：{expert}" if expert else "登记专家"
    form = forms.ExpertForm(request.POST or None, instance=expert, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = form.cleaned_data
                fields = list(data["fields"]) + [
                    services.add_field(request.user, data["congress"], n) for n in form.new_field_names
                ]
                saved = services.save_expert(
                    request.user, form.instance, fields, name=data["name"], gender=data["gender"]
                )
        except PermissionDenied:
            form.add_error(None, "您无权在所选的人大登记专家。")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存专家：{saved}")
            return redirect(saved.get_absolute_url())
    cancel = expert.get_absolute_url() if expert else reverse("experts:list")
    return render(
        request,
        "core/form.html",
        {"form": form, "page_title": title, "cancel_url": cancel, "breadcrumbs": BREAD + [(title, "")]},
    )


@login_required
def expert_detail(request, pk):
    expert = _visible_or_404(request.user, Expert, pk, "person", "congress")
    assignments = (
        visible(request.user, ExpertAssignment)
        .filter(expert=expert)
        .prefetch_related(Prefetch("opinions", ExpertOpinion.objects.order_by("submitted_on", "id")))
        .order_by("-assigned_on", "-id")
    )
    return render(
        request,
        "experts/detail.html",
        {
            "page_title": expert.person.name,
            "expert": expert,
            "fields": list(expert.fields.all()),
            "assignments": assignments,
            "can_change": allowed(request.user, "change", expert),
            "can_reveal": allowed(request.user, "view_contact", expert),
            "breadcrumbs": BREAD + [(expert.person.name, "")],
        },
    )


@login_required
def assign(request, label, pk):
    """Assign experts to a record (GET: the form alone; POST from the case page's box)."""
    require(request.user, "add", ExpertAssignment)
    record = get_record_or_404(request.user, label, pk)
    if isinstance(record, Expert):  # the register's own entries are not matters to advise on
        raise Http404("不能为专家邀请专家。")
    require(request.user, "add", ExpertAssignment(congress_id=record.congress_id))
    back = record.get_absolute_url()
    form = forms.AssignForm(request.POST or None, candidates=services.candidates(record, request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.assign(record, data["experts"], request.user, on=data["assigned_on"], task=data["task"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            names = "、".join(str(a.expert) for a in created)
            messages.success(request, f"已邀请专家：{names}" if names else "所选专家此前已邀请。")
            return redirect(back)
    title = "邀请专家"
    return render(
        request,
        "experts/assign.html",
        {
            "record": record,
            "form": form,
            "page_title": f"{title}：{record}",
            "cancel_url": back,
            "breadcrumbs": [(str(record), back), (title, "")],
        },
    )


@login_required
def record_opinion(request, pk):
    """Record an assigned expert's written opinion (GET: the form alone)."""
    assignment = _visible_or_404(request.user, ExpertAssignment, pk, "expert__person")
    require(request.user, "add", assignment)
    record = assignment.record
    back = record.get_absolute_url() if record is not None else assignment.expert.get_absolute_url()
    form = forms.OpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_opinion(assignment, data["text"], request.user, on=data["submitted_on"], file=data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已记录{assignment.expert}的书面意见。")
            return redirect(back)
    title = f"记录书面意见：{assignment.expert}"
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": back,
            "breadcrumbs": [(assignment.label, back), (title, "")],
        },
    )
