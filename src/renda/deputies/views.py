"""Pages of a deputy's work: the performance archive (and its Word export), the deputy's own
activities (record, list, edit), the staff's confirmation queue and the yearly evaluation."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renda.core.downloads import generated_response
from renda.core.forms import add_service_errors
from renda.core.models import Deputy, Role
from renda.core.offline import form_errors, is_queued, keep_offline, stored
from renda.core.scoping import PUBLIC, actor_of, allowed, require, visible

from . import archive as archives
from . import forms, services, word
from .models import Activity, ActivityEvidence
from .rules import owns_mandate, reads_archive

BREAD = [("代表工作", "")]
KEEPER_ROLES = (Role.ADMIN, Role.STAFF)
EVALUATION_ROLES = (Role.ADMIN, Role.STAFF, Role.DIRECTOR)


def _deputy_or_404(user, pk) -> Deputy:
    deputy = Deputy.objects.select_related("person", "congress", "term", "delegation").filter(pk=pk).first()
    if deputy is None or not reads_archive(user, deputy):
        raise Http404("未找到该代表的履职档案，或您无权查看。")
    return deputy


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdecimal() and 1949 < int(raw) < 2200:
        return int(raw)
    return None


@login_required
def archive_page(request, pk):
    deputy = _deputy_or_404(request.user, pk)
    year = _year(request)
    arch = archives.archive(deputy, year)
    own = owns_mandate(request.user, deputy)
    response = render(
        request,
        "deputies/archive.html",
        {
            "page_title": f"{deputy.person.name}的履职档案",
            "deputy": deputy,
            "arch": arch,
            "period": word.period_label(arch),
            "years": list(range(deputy.elected_date.year, timezone.localdate().year + 1)),
            "offline": own,  # the offline app for the deputy's own archive, not a reader's
            "breadcrumbs": BREAD + [(f"{deputy.person.name}的履职档案", "")],
        },
    )
    return keep_offline(response) if own else response


@login_required
def archive_docx(request, pk):
    deputy = _deputy_or_404(request.user, pk)
    arch = archives.archive(deputy, _year(request))
    data = word.archive_docx(arch, site=request.build_absolute_uri("/").rstrip("/"))
    return generated_response(data, f"{deputy.person.name}代表履职档案（{word.period_label(arch)}）.docx")


def _mandates(user) -> list[Deputy]:
    ids = actor_of(user).deputy_ids
    return list(Deputy.objects.filter(pk__in=ids, status=Deputy.Status.SERVING).select_related("congress", "term"))


@login_required
def my_activities(request):
    """A deputy's own entries, every state, newest first (one query)."""
    if not actor_of(request.user).deputy_ids:
        raise PermissionDenied("只有人大代表可以登记履职活动。")
    entries = (
        Activity.objects.filter(deputy__in=actor_of(request.user).deputy_ids)
        .select_related("deputy__person")
        .order_by("-on", "-id")
    )
    return keep_offline(
        render(
            request,
            "deputies/my_activities.html",
            {
                "page_title": "我的履职活动",
                "entries": entries,
                "mandates": _mandates(request.user),
                "breadcrumbs": BREAD + [("我的履职活动", "")],
            },
        )
    )


@login_required
def activity_edit(request, pk=None):
    if pk is None:
        require(request.user, "add", Activity)
        mandates = _mandates(request.user)
        if not mandates:
            raise PermissionDenied("您没有在任的代表资格，不能登记履职活动。")
        activity = None
    else:
        activity = visible(request.user, Activity).select_related("deputy").filter(pk=pk).first()
        if activity is None:
            raise Http404("未找到该履职活动，或您无权查看。")
        if not allowed(request.user, "change", activity):
            raise PermissionDenied("只能修改本人待确认或被退回的履职活动。")
        mandates = []
    form = forms.ActivityForm(
        request.POST or None,
        request.FILES or None,
        instance=activity,
        mandates=mandates,
        initial={} if activity else {"on": timezone.localdate(), "kind": Activity.Kind.CONTACT},
    )
    queued = activity is None and request.method == "POST" and is_queued(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data.get(k) for k in services.FIELDS}
        try:
            if activity is None:
                deputy = data.get("deputy") or mandates[0]
                saved = services.record_activity(
                    request.user, deputy, files=data["files"], idempotency_key=data.get("idempotency_key"), **fields
                )
            else:
                saved = services.update_activity(request.user, activity, files=data["files"], **fields)
        except PermissionDenied:
            form.add_error(None, "您无权登记或修改该履职活动。")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if queued:
                return stored(saved)
            messages.success(request, f"已保存：{saved}，待人大机关确认后计入履职档案。")
            return redirect("deputies:activities")
    if queued:  # an entry sent from the offline queue: its errors, for the queue to show
        return form_errors(form)
    title = "修改履职活动" if activity else "登记履职活动"
    response = render(
        request,
        "deputies/activity_form.html" if activity is None else "core/form.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": reverse("deputies:activities"),
            "breadcrumbs": BREAD + [("我的履职活动", reverse("deputies:activities")), (title, "")],
        },
    )
    # the empty create form, for entries made offline (never a form holding what was typed)
    return keep_offline(response) if activity is None and request.method == "GET" else response


@login_required
def activity_detail(request, pk):
    activity = (
        visible(request.user, Activity)
        .select_related("deputy__person", "congress", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404("未找到该履职活动，或您无权查看。")
    response = render(
        request,
        "deputies/activity.html",
        {
            "page_title": str(activity),
            "activity": activity,
            "evidence": list(ActivityEvidence.objects.filter(activity=activity)),
            "can_change": allowed(request.user, "change", activity),
            "can_review": allowed(request.user, "confirm", activity) and activity.state == Activity.State.PENDING,
            "return_form": forms.ReturnForm(),
            "breadcrumbs": BREAD + [(str(activity), "")],
        },
    )
    return keep_offline(response) if activity.deputy_id in actor_of(request.user).deputy_ids else response


@login_required
def activity_review(request, pk):
    """Confirm (`decision=confirm`) or return (`decision=return` with a reason) an entry;
    GET shows the entry's page, where the two buttons are."""
    activity = visible(request.user, Activity).filter(pk=pk).first()
    if activity is None:
        raise Http404("未找到该履职活动，或您无权查看。")
    if not allowed(request.user, "confirm", activity):
        raise PermissionDenied("只有本级人大机关工作人员可以确认履职活动。")
    back = reverse("deputies:queue") if request.POST.get("next") == "queue" else activity.get_absolute_url()
    if request.method != "POST":
        return redirect(activity.get_absolute_url())
    decision = request.POST.get("decision")
    try:
        if decision == "confirm":
            services.confirm_activity(request.user, activity)
            messages.success(request, f"已确认：{activity}")
        elif decision == "return":
            services.return_activity(request.user, activity, request.POST.get("reason", ""))
            messages.success(request, f"已退回：{activity}")
        else:
            messages.error(request, "请选择确认或退回。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(activity.get_absolute_url())
    return redirect(back)


@login_required
def queue(request):
    """The entries waiting for confirmation in the congresses the user keeps (one query)."""
    actor = actor_of(request.user)
    if not actor.has(*KEEPER_ROLES):
        raise PermissionDenied("只有人大机关工作人员可以确认履职活动。")
    pending = (
        visible(request.user, Activity)
        .filter(state=Activity.State.PENDING, congress__in=actor.congresses(*KEEPER_ROLES))
        .select_related("deputy__person", "congress")
        .order_by("on", "id")
    )
    return render(
        request,
        "deputies/queue.html",
        {
            "page_title": "履职活动待确认",
            "pending": pending,
            "return_form": forms.ReturnForm(),
            "breadcrumbs": BREAD + [("履职活动待确认", "")],
        },
    )


@login_required
def evaluation(request):
    """履职评价: every deputy of a congress the user oversees, scored for a year and ranked."""
    actor = actor_of(request.user)
    if not actor.has(*EVALUATION_ROLES):
        raise PermissionDenied("只有人大机关工作人员和主任会议成员可以查看履职评价。")
    congresses = list(actor.congresses(*EVALUATION_ROLES).order_by("path"))
    chosen = request.GET.get("congress", "")
    congress = next((c for c in congresses if str(c.pk) == chosen), congresses[0] if congresses else None)
    year = _year(request) or timezone.localdate().year - 1
    ranking = archives.scores(congress, year) if congress else []
    rules = archives.scoring()
    kinds = [(k, archives.KIND_LABELS.get(k, k)) for k in archives.KIND_LABELS if rules["points"].get(k)]
    rows = [(s, [s.counts.get(k, 0) for k, _ in kinds]) for s in ranking]
    return render(
        request,
        "deputies/evaluation.html",
        {
            "page_title": "履职评价",
            "congresses": congresses,
            "congress": congress,
            "year": year,
            "years": list(range(date.today().year, 2009, -1)),
            "kinds": kinds,
            "rows": rows,
            "rules": [(label, rules["points"][k], rules["caps"].get(k)) for k, label in kinds],
            "absence": rules["absence"],
            "breadcrumbs": BREAD + [("履职评价", "")],
        },
    )


def public_summary(request, pk):
    """The published summary of a serving deputy's archive: what the directory shows of the
    deputy, and the counts by year and kind of the confirmed and recorded activities — no
    entry, place, note or record title (they may name constituents)."""
    deputy = visible(PUBLIC, Deputy).select_related("person", "congress", "term", "delegation").filter(pk=pk).first()
    if deputy is None:
        raise Http404("未找到该代表。")
    arch = archives.archive(deputy)
    return render(
        request,
        "deputies/public_summary.html",
        {"deputy": deputy, "arch": arch, "page_title": f"{deputy.person.name}代表履职情况"},
    )
