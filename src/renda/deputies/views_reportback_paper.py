"""The page that enters a report-back's paper evaluation forms (录入纸质测评表): the keepers
(who may change the report-back), only while its evaluation is open (测评中), as the service
rules. The report-back's page carries the same small form; this page shows it again with the
errors, keeping what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from renda.core.forms import add_service_errors
from renda.core.scoping import require

from . import reportback as services
from .forms_reportback_paper import PaperEvaluationsForm
from .models import ReportBack
from .views_reportback import _bread, _reportback_or_404

TITLE = "录入纸质测评表"


@login_required
@require_http_methods(["GET", "POST"])
def reportback_paper(request, pk):
    rb = _reportback_or_404(request.user, pk)  # 404 for whoever cannot see it
    require(request.user, "change", rb)  # 403 for its readers who may not act
    if rb.state != ReportBack.State.EVALUATING:
        messages.error(request, "满意度测评未开启或已结束，不能录入纸质测评表。")
        return redirect(rb)
    form = PaperEvaluationsForm(request.POST if request.method == "POST" else None, attendees=rb.attendees)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_paper_evaluations(request.user, rb, form.answers())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            d = form.cleaned_data
            messages.success(
                request,
                f"已录入纸质测评表{len(saved)}份（满意{d['satisfied']}份、基本满意{d['basic']}份、"
                f"不满意{d['dissatisfied']}份）。",
            )
            return redirect(rb)
    tally = services.tally(rb)
    return render(
        request,
        "deputies/reportback_paper.html",
        {
            "form": form,
            "rb": rb,
            "tally": tally,
            "remaining": max(rb.attendees - tally.total, 0),
            "page_title": TITLE,
            "cancel_url": rb.get_absolute_url(),
            "breadcrumbs": _bread((str(rb), rb.get_absolute_url()), (TITLE, "")),
        },
    )
