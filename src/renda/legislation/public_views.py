"""The public comment page (LEG-6): a published period's draft, article by article, each with
a comment form while the period is open; after closes_on no form (a POST gets 410)."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renda.core.forms import add_service_errors
from renda.core.http import client_key, throttled
from renda.core.scoping import PUBLIC, visible
from renda.workflow import documents
from renda.workflow.engine import current_day

from . import services
from .models import Bill, CommentPeriod
from .rules import PROMULGATED

COMMENTS_PER_HOUR = 10


class CommentForm(forms.Form):
    article = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    name = forms.CharField(label="姓名（选填）", max_length=40, required=False)
    contact = forms.CharField(label="联系方式（选填，不公开）", max_length=80, required=False)


def period(request, pk):
    found = get_object_or_404(visible(PUBLIC, CommentPeriod).select_related("bill", "version"), pk=pk)
    today = current_day()
    is_open = found.is_open(today)
    form, status, article = CommentForm(), 200, None
    if request.method == "POST":
        if not is_open:
            status = 410
        else:
            form = CommentForm(request.POST)
            if form.is_valid():
                article = form.cleaned_data["article"]
                if throttled(f"legislation-comment:{client_key(request)}", COMMENTS_PER_HOUR):
                    form.add_error(None, "提交过于频繁，请一小时后再试。您填写的内容已保留。")
                    status = 429
                else:
                    try:
                        services.submit_comment(found, **form.cleaned_data, today=today)
                    except ValidationError as exc:
                        add_service_errors(form, exc)
                        status = 422
                    else:
                        return redirect(reverse("legislation_public:period", args=[found.pk]) + "?sent=1")
            else:
                article, status = form.data.get("article") or None, 422
    text = services.articles_of(found.version)
    published = visible(PUBLIC, found.comments.model).filter(period=found).order_by("article", "submitted_at")
    counts = {}
    for n in published.values_list("article", flat=True):
        counts[n] = counts.get(n, 0) + 1
    context = {
        "period": found,
        "is_open": is_open,
        "not_yet": found.opens_on > today,
        "articles": [(a, counts.get(a.number, 0)) for a in text.articles],
        "whole_count": counts.get(None, 0),
        "form": form,
        "form_article": str(article) if article is not None else "",
        "sent": request.GET.get("sent") == "1",
        # 征求意见情况的说明: public once the period has closed (LEG-6)
        "summary": found.summary if found.summary_id and today > found.closes_on else None,
    }
    return render(request, "legislation/public/period.html", context, status=status)


# ---------------------------------------------------------------- promulgated regulations (LEG-8)


def regulations(request):
    """已公布的地方性法规: every promulgated regulation the public may see, newest first (one query)."""
    rows = visible(PUBLIC, Bill).filter(state=PROMULGATED).select_related("congress").order_by("-promulgated_on", "-id")
    return render(request, "legislation/public/regulations.html", {"regulations": rows})


def regulation(request, pk):
    """A promulgated regulation: its 公告 (the five elements of LEG-8) and the final text per article."""
    found = get_object_or_404(visible(PUBLIC, Bill).filter(state=PROMULGATED).select_related("congress"), pk=pk)
    version = documents.current(found, "draft")
    text = services.articles_of(version) if version else None
    return render(request, "legislation/public/regulation.html", {"bill": found, "text": text})
