"""Pages of report-back (述职): the list (own, or the congress's), scheduling, a report-back's
page (record it held, open and close the evaluation, its code), the committee's page of
deputies who have not yet reported this term, and the public evaluation form a code opens.
The rules are in reportback.py and rules.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.signing import BadSignature
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renda.core.forms import add_service_errors
from renda.core.intake import Intake
from renda.core.models import Congress, Deputy, Term
from renda.core.scoping import MANAGE_ROLES, actor_of, allowed, require, visible

from . import reportback as services
from .forms_reportback import EvaluationForm, HeldForm, ScheduleForm
from .forms_reportback_paper import PaperEvaluationsForm
from .models import ReportBack
from .models.stations import new_token
from .rules import ARCHIVE_ROLES
from .stations import qr_svg

TITLE = "代表述职"
PER_PAGE = 50
# a hall's attendees share one address (the venue's network), a few hundred at most: the
# throttle only stops a flood; the real guards are one answer per device and no more answers
# than attendees
EVALUATIONS = Intake("deputies.reportback", per_hour=600)
DEVICE_COOKIE, DEVICE_SALT = "rb_device", "deputies.reportback.device"
State = ReportBack.State


def _bread(*more):
    return [("代表工作", ""), (TITLE, reverse("deputies:reportbacks")), *more]


def _reportback_or_404(user, pk) -> ReportBack:
    rb = (
        visible(user, ReportBack)
        .select_related("deputy__person", "congress", "term", "constituency", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if rb is None:
        raise Http404("未找到该述职记录，或您无权查看。")
    return rb


@login_required
def reportback_list(request):
    """The report-backs the user may see, filtered by state and year: a constant number of
    queries whatever their number (count, page with its evaluation counts)."""
    require(request.user, "view", ReportBack)
    state = request.GET.get("state", "")
    year = request.GET.get("year", "")
    qs = visible(request.user, ReportBack).select_related("deputy__person", "congress")
    if state in State.values:
        qs = qs.filter(state=state)
    if year.isdecimal() and 1949 < int(year) < 2200:  # beyond: no valid date (a 500, not a filter)
        qs = qs.filter(scheduled_on__year=int(year))
    page = Paginator(services.with_counts(qs).order_by("-scheduled_on", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(r, services.tally_of(r)) for r in page]
    actor = actor_of(request.user)
    return render(
        request,
        "deputies/reportback_list.html",
        {
            "page_title": TITLE,
            "rows": rows,
            "page_obj": page,
            "state": state,
            "states": State.choices,
            "year": year,
            "may_add": actor.has(*MANAGE_ROLES) or actor.is_superuser,
            "may_pending": actor.has(*ARCHIVE_ROLES) or actor.is_superuser,
            "breadcrumbs": _bread(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reportback_create(request):
    require(request.user, "add", ReportBack)
    actor = actor_of(request.user)
    deputies = (
        Deputy.objects.filter(status=Deputy.Status.SERVING, congress__in=actor.congress_ids(*MANAGE_ROLES))
        .select_related("person", "congress")
        .order_by("congress__path", "person__name")
    )
    if actor.is_superuser:
        deputies = Deputy.objects.filter(status=Deputy.Status.SERVING).select_related("person", "congress")
    initial = {}
    if request.GET.get("deputy", "").isdecimal():
        initial["deputy"] = int(request.GET["deputy"])
    form = ScheduleForm(request.POST or None, deputies=deputies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rb = services.schedule(
                request.user,
                data["deputy"],
                scheduled_on=data["scheduled_on"],
                unit_name=data["unit_name"],
                place=data["place"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已安排：{rb}。")
            return redirect(rb)
    title = "安排代表述职"
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": reverse("deputies:reportbacks"),
            "breadcrumbs": _bread((title, "")),
        },
    )


@login_required
def reportback_detail(request, pk):
    rb = _reportback_or_404(request.user, pk)
    may_change = allowed(request.user, "change", rb)
    context = {
        "page_title": str(rb),
        "rb": rb,
        "tally": services.tally(rb),
        "may_change": may_change,
        "breadcrumbs": _bread((str(rb), "")),
    }
    if may_change and rb.state == State.EVALUATING:
        url = request.build_absolute_uri(rb.get_evaluation_url())
        context |= {"code_url": url, "svg": qr_svg(url)}
        # the hall's paper forms (views_reportback_paper): only while open, as the service rules
        context |= {
            "paper_form": PaperEvaluationsForm(attendees=rb.attendees),
            "paper_remaining": max(rb.attendees - context["tally"].total, 0),
        }
    if may_change:  # the attendees' comments: for the keepers only (not the deputy, not the directors)
        context["comments"] = list(rb.evaluations.exclude(comment="").order_by("id").values("rating", "comment"))
    return render(request, "deputies/reportback_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reportback_held(request, pk):
    rb = _reportback_or_404(request.user, pk)
    require(request.user, "change", rb)
    form = HeldForm(request.POST or None, instance=rb)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_held(
                request.user,
                ReportBack.objects.select_related("deputy__person", "deputy__term").get(pk=rb.pk),
                held_on=data["held_on"],
                report=data["report"],
                attendees=data["attendees"],
                attendee_names=data["attendee_names"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "述职情况已登记。")
            return redirect(rb)
    title = "登记述职情况"
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": rb.get_absolute_url(),
            "breadcrumbs": _bread((str(rb), rb.get_absolute_url()), (title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reportback_evaluation(request, pk):
    """Open or close the attendees' evaluation (POST from the page's buttons; GET goes back)."""
    rb = _reportback_or_404(request.user, pk)
    require(request.user, "change", rb)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                services.close_evaluation(request.user, rb)
                messages.success(request, "满意度测评已结束。")
            else:
                services.open_evaluation(request.user, rb)
                messages.success(request, "满意度测评已开启，请参加人员扫码评价。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect(rb)


@login_required
def not_reported(request):
    """Deputies in office this term who have not yet reported back (the committee's page):
    a constant number of queries whatever the number of deputies."""
    actor = actor_of(request.user)
    if not (actor.is_superuser or actor.has(*ARCHIVE_ROLES)):
        raise PermissionDenied("只有人大常委会的工作人员和负责人可以查看。")
    congresses = Congress.objects.order_by("path")
    if not actor.is_superuser:
        congresses = congresses.filter(pk__in=actor.congress_ids(*ARCHIVE_ROLES))
    congresses = list(congresses.filter(terms__isnull=False).distinct())
    chosen = request.GET.get("congress", "")
    congress = next((c for c in congresses if str(c.pk) == chosen), congresses[0] if congresses else None)
    term = Term.objects.filter(congress=congress).order_by("-number").first() if congress else None
    rows = list(services.not_reported(term)) if term else []
    return render(
        request,
        "deputies/reportback_pending.html",
        {
            "page_title": "本届尚未述职的代表",
            "congresses": congresses,
            "congress": congress,
            "term": term,
            "rows": rows,
            "may_add": congress is not None and actor.manages(congress.pk),
            "breadcrumbs": _bread(("本届尚未述职的代表", "")),
        },
    )


# --- the public evaluation form (the code's page) ---------------------------------------------


def _device(request) -> tuple[str, bool]:
    """This browser's device token (a signed cookie) and whether it is new."""
    try:
        token = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT)
    except (KeyError, BadSignature):
        return new_token(), True
    return token, False


def evaluate(request, token):
    rb = services.open_by_token(token)
    if rb is None:
        raise Http404("该二维码已失效。")
    device, new = _device(request)
    if rb.state != State.EVALUATING:
        response = render(request, "deputies/reportback_evaluate.html", {"rb": rb, "closed": True}, status=200)
    else:
        response = EVALUATIONS.submit(
            request,
            EvaluationForm(request.POST if request.method == "POST" else None),
            lambda data: services.evaluate(rb, data, device),
            template="deputies/reportback_evaluate.html",
            context={"rb": rb, "page_title": "述职满意度测评"},
            received=reverse("deputies_public:reportback_thanks"),
            robot=reverse("deputies_public:reportback_thanks"),
        )
    if new:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            device,
            salt=DEVICE_SALT,
            max_age=400 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def evaluate_thanks(request):
    return render(request, "deputies/reportback_thanks.html", {"answered": bool(EVALUATIONS.receipt(request))})
