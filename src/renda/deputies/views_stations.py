"""Pages of liaison stations and 码上见代表: the staff's station pages (list, create, duty
schedule, reception days), the printable codes, the messages the deputy or the staff answer,
and the public pages a code opens (leave a message, read the outcome with the receipt)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renda.core.forms import add_service_errors
from renda.core.intake import Intake
from renda.core.models import Deputy
from renda.core.scoping import MANAGE_ROLES, actor_of, allowed, require, visible
from renda.workflow.links import links_of

from . import stations as services
from .forms_stations import AnswerForm, DutyForm, MessageForm, ReceptionForm, StationForm
from .models import LiaisonStation, MeetMessage, Reception, StationDuty

TITLE = "代表联络站"
MESSAGES_TITLE = "群众留言"
PER_PAGE = 100
# one address: a few messages an hour are plenty for a person, not for a flood
MESSAGES_PER_HOUR = 5
MESSAGES = Intake("deputies.messages", per_hour=MESSAGES_PER_HOUR, contact_optional=True)


def _bread(*more):
    return [(TITLE, reverse("deputies:stations")), *more]


def _station_or_404(user, pk) -> LiaisonStation:
    station = visible(user, LiaisonStation).select_related("congress", "area").filter(pk=pk).first()
    if station is None:
        raise Http404("未找到该联络站，或您无权查看。")
    return station


@login_required
def stations(request):
    require(request.user, "view", LiaisonStation)
    rows = services.stations_with_counts(visible(request.user, LiaisonStation)).order_by(
        "congress__path", "name", "id"
    )[:PER_PAGE]
    return render(
        request,
        "deputies/station_list.html",
        {
            "page_title": TITLE,
            "rows": rows,
            "may_add": allowed(request.user, "add", LiaisonStation),
            "breadcrumbs": [(TITLE, "")],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def station_edit(request, pk=None):
    require(request.user, "add", LiaisonStation)
    station = _station_or_404(request.user, pk) if pk else None
    if station is not None:
        require(request.user, "change", station)
    form = StationForm(request.POST or None, instance=station, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存：{saved}")
            return redirect(saved)
    title = f"修改：{station}" if station else "新建联络站"
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": reverse("deputies:stations"),
            "breadcrumbs": _bread((title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def station_detail(request, pk):
    """The station, its duty schedule (keepers add to it here) and its reception days."""
    station = _station_or_404(request.user, pk)
    may_change = allowed(request.user, "change", station)
    form = DutyForm(request.POST or None, station=station) if may_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您不能安排值班。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_duty(request.user, station, data["deputy"], on=data["on"], weekday=data["weekday"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已添加值班安排。")
                return redirect(station)
    duties = StationDuty.objects.filter(station=station).select_related("deputy__person")
    receptions = (
        Reception.objects.filter(station=station)
        .prefetch_related(Prefetch("deputies", Deputy.objects.select_related("person")))
        .order_by("-on", "-id")[:PER_PAGE]
    )
    return render(
        request,
        "deputies/station_detail.html",
        {
            "page_title": str(station),
            "station": station,
            "duties": duties,
            "receptions": receptions,
            "form": form,
            "may_change": may_change,
            "breadcrumbs": _bread((str(station), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reception_create(request, pk):
    station = _station_or_404(request.user, pk)
    require(request.user, "change", station)
    form = ReceptionForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_reception(request.user, station, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已登记接待日。")
            return redirect(station)
    title = f"登记接待日：{station}"
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": station.get_absolute_url(),
            "breadcrumbs": _bread((str(station), station.get_absolute_url()), (title, "")),
        },
    )


def _code_page(request, owner, name: str, subtitle: str):
    """The printable code. GET only reads: a code not yet made shows a 生成二维码 button,
    whose POST makes it (then back here)."""
    if request.method == "POST":
        services.code_for(owner)
        return redirect(request.path)
    code = services.existing_code(owner)
    url = request.build_absolute_uri(code.get_absolute_url()) if code else ""
    return render(
        request,
        "deputies/station_code.html",
        {
            "page_title": f"码上见代表：{name}",
            "name": name,
            "subtitle": subtitle,
            "url": url,
            "svg": services.qr_svg(url) if code else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def station_code(request, pk):
    station = _station_or_404(request.user, pk)
    require(request.user, "change", station)
    return _code_page(request, station, station.name, f"{station.get_kind_display()} · {station.address}")


@login_required
@require_http_methods(["GET", "POST"])
def deputy_code(request, pk):
    """The deputy's own code (the deputy, or the keepers of the deputy's congress print it)."""
    deputy = Deputy.objects.select_related("person", "congress").filter(pk=pk, status=Deputy.Status.SERVING).first()
    actor = actor_of(request.user)
    if deputy is None or not (deputy.pk in actor.deputy_ids or actor.manages(deputy.congress_id)):
        raise Http404("未找到该代表，或您无权打印其二维码。")
    return _code_page(request, deputy, deputy.person.name, f"{deputy.congress.region}人大代表")


@login_required
def message_list(request):
    require(request.user, "view", MeetMessage)
    rows = (
        visible(request.user, MeetMessage)
        .select_related("deputy__person", "station", "proposed_unit", "unit")
        .order_by("state" if request.GET.get("order") == "state" else "-submitted_on", "-id")[:PER_PAGE]
    )
    actor = actor_of(request.user)
    mandate = Deputy.objects.filter(pk__in=actor.deputy_ids, status=Deputy.Status.SERVING).order_by("pk").first()
    return render(
        request,
        "deputies/public_message_list.html",
        {
            "page_title": MESSAGES_TITLE,
            "rows": rows,
            "my_mandate": mandate,
            "is_keeper": actor.has(*MANAGE_ROLES),
            "breadcrumbs": [(MESSAGES_TITLE, "")],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_detail(request, pk):
    message = (
        visible(request.user, MeetMessage)
        .select_related("deputy__person", "station", "proposed_unit", "unit", "congress")
        .filter(pk=pk)
        .first()
    )
    if message is None:
        raise Http404("未找到该留言，或您无权查看。")
    may_answer = allowed(request.user, "answer", message) and message.state == MeetMessage.State.NEW
    form = AnswerForm(request.POST or None, message=message) if may_answer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("这条留言已经办理，或您不能答复。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "suggestion":
                    draft = services.to_suggestion(
                        request.user, message, title=data["title"], category=data["category"], text=data["answer"]
                    )
                    messages.success(request, f"已转为代表建议草稿：{draft.title}")
                elif data["action"] == "refer":
                    services.refer(request.user, message, data["unit"], data["answer"])
                    messages.success(request, "已转交有关单位。")
                else:
                    services.answer(request.user, message, data["answer"])
                    messages.success(request, "已答复。")
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(message)
    return render(
        request,
        "deputies/public_message_detail.html",
        {
            "page_title": f"群众留言 {message.receipt}",
            "m": message,
            "form": form,
            "show_contact": allowed(request.user, "view_contact", message),
            "links": links_of(message, request.user),
            "outcome": services.public_outcome(message),
            "breadcrumbs": [(MESSAGES_TITLE, reverse("deputies:messages")), (message.receipt, "")],
        },
    )


# --- public pages (no sign-in) ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meet(request, token):
    code = services.code_owner(token)
    if code is None:
        raise Http404("该二维码已失效。")
    return MESSAGES.submit(
        request,
        MessageForm(request.POST or None),
        lambda data: services.receive_message(code, data),
        template="deputies/public_message.html",
        context={"code": code, "page_title": "码上见代表"},
        received=reverse("deputies_public:meet_received"),
        robot=reverse("deputies_public:meet_receipt"),
    )


def meet_received(request):
    receipt = MESSAGES.receipt(request)
    if not receipt:
        return redirect("deputies_public:meet_receipt")
    return render(request, "deputies/public_message_received.html", {"receipt": receipt})


def meet_receipt(request):
    form, message, status = MESSAGES.lookup(request, MeetMessage.objects.select_related("unit"))
    return render(
        request,
        "deputies/public_message_receipt.html",
        {"form": form, "m": message, "outcome": services.public_outcome(message) if message else ""},
        status=status,
    )
