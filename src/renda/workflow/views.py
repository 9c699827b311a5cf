from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from renda.core.scoping import allowed, require, visible

from . import calendar, diagram, registry
from .models import CalendarDay, Event


@login_required
def case_types(request):
    if not allowed(request.user, "view_definitions", Event):
        raise PermissionDenied("只有机关工作人员可以查看流程定义。")
    diagrams = [
        {
            "ct": ct,
            "svg": diagram.svg(ct),
            "stays": diagram.stays(ct),
            "steps": [
                (t, [ct.state(k).label for k in t.sources], [ct.state(k).label for k in t.possible_targets])
                for t in ct.transitions
            ],
        }
        for ct in registry.case_types()
    ]
    return render(
        request,
        "workflow/case_types.html",
        {"page_title": "流程图", "diagrams": diagrams, "breadcrumbs": [("工作台", "/work/"), ("流程图", "")]},
    )


DIAGRAM_FORMATS = {
    "mmd": ("text/plain; charset=utf-8", lambda ct: ct.mermaid()),
    "dot": ("text/vnd.graphviz; charset=utf-8", lambda ct: ct.dot()),
    "svg": ("image/svg+xml; charset=utf-8", lambda ct: diagram.svg(ct)),
}


@login_required
def diagram_source(request, key, fmt):
    """A case type's diagram as a file (Mermaid, Graphviz or SVG), for training material."""
    from django.http import Http404, HttpResponse

    if not allowed(request.user, "view_definitions", Event):
        raise PermissionDenied("只有机关工作人员可以查看流程定义。")
    try:
        ct = registry.get(key)
    except KeyError:
        raise Http404("未知的案件类型。") from None
    if fmt not in DIAGRAM_FORMATS:
        raise Http404("未知的格式。")
    content_type, render_as = DIAGRAM_FORMATS[fmt]
    response = HttpResponse(render_as(ct), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{ct.key}.{fmt}"'
    return response


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class CheckForm(forms.Form):
    start = forms.DateField(label="起算日期", widget=forms.DateInput(attrs={"type": "date"}))
    working_days = forms.IntegerField(label="工作日数", min_value=0, max_value=400)


@login_required
def calendar_view(request):
    require(request.user, "view", CalendarDay)
    can_edit = allowed(request.user, "add", CalendarDay)
    form = CalendarDayForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        require(request.user, "add", CalendarDay)
        if form.is_valid():
            data = form.cleaned_data
            calendar.set_override(request.user, data["date"], data["is_workday"], data["name"])
            messages.success(request, "已保存工作日历调整。")
            return redirect("workflow:calendar")
    check = CheckForm(request.GET or None)
    result = None
    if check.is_valid():
        due = calendar.add_working_days(check.cleaned_data["start"], check.cleaned_data["working_days"])
        result = {"due": due, "covered": calendar.covered(due)}
    today = timezone.localdate()
    upcoming = []
    for n in range(0, 60):
        day = today + timedelta(days=n)
        name = calendar.holiday_name(day)
        if (
            name
            or not calendar.is_workday(day)
            and day.weekday() < 5
            or calendar.is_workday(day)
            and day.weekday() >= 5
        ):
            upcoming.append((day, calendar.is_workday(day), name))
    last_covered = date(today.year, 12, 31)
    return render(
        request,
        "workflow/calendar.html",
        {
            "page_title": "工作日历",
            "form": form,
            "check": check,
            "result": result,
            "overrides": visible(request.user, CalendarDay)[:200],
            "upcoming": upcoming,
            "next_year_covered": calendar.covered(date(today.year + 1, 1, 1)),
            "next_year": today.year + 1,
            "last_covered": last_covered,
            "breadcrumbs": [("工作台", "/work/"), ("工作日历", "")],
        },
    )


@login_required
def transition(request, case_type, pk, key):
    """The page of one transition of one case: its form (GET) and performing it (POST).
    Any case type uses it; the buttons of a case page link here."""
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from renda.core.scoping import get_visible_or_404

    from .engine import WorkflowError, perform

    try:
        ct = registry.get(case_type)
        step = ct.transition(key)
    except (KeyError, WorkflowError):
        raise Http404("没有这项操作。") from None
    case = get_visible_or_404(request.user, ct.model, pk=pk)
    case_url = ct.url(case) if ct.url else "/work/"
    request.nav_path = case_url  # the navigation highlights the case's module, not 流程图
    if step not in ct.available(request.user, case):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(f"您现在不能对此件执行“{step.label}”。")
    initial = ct.form_initial(case, key, request.user) if ct.form_initial else {}
    form = step.form_class()(request.POST or None, request.FILES or None, initial=initial)
    if ct.narrow:
        ct.narrow(case, key, form)
    if request.method == "POST" and form.is_valid():
        try:
            perform(case, key, request.user, request.POST, request.FILES)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(case_url)
        else:
            messages.success(request, f"已{step.label}。")
            return redirect(case_url)
    return render(
        request,
        "workflow/transition.html",
        {
            "page_title": step.label,
            "form": form,
            "case": case,
            "case_url": case_url,
            "step": step,
            "hints": ct.form_hints(case, key, request.user) if ct.form_hints else [],
            "breadcrumbs": [(ct.label, case_url.rsplit("/", 2)[0] + "/"), (str(case)[:30], case_url), (step.label, "")],
        },
    )
