"""The public pages: the published resolutions and decisions (已公布) with their number, the
sitting and day of the vote and the adopted text. What an anonymous visitor sees
(`visible(PUBLIC, …)`), whoever asks; anything not published is 404."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.scoping import PUBLIC, visible
from renda.workflow import documents

from .models import Resolution


def public_url(r) -> str:
    return reverse("decisions_public:resolution", args=[r.pk])


def _published():
    return visible(PUBLIC, Resolution).select_related("sitting__term__congress", "congress")


class PublicResolutions(ListingView):
    public = True
    template_name = "portal/list.html"
    listing = Listing(
        model=Resolution,
        title="决议决定",
        columns=[
            Column("名称", lambda r: r.title, url=public_url, sort="title"),
            Column("文号", lambda r: r.number, key=True),
            Column("会议", lambda r: r.sitting.label if r.sitting_id else "", key=True),
            Column("通过日期", lambda r: r.adopted_on, sort="adopted_on"),
            Column("公布日期", lambda r: r.published_on, sort="published_on"),
        ],
        search_fields=("title", "number"),
        search_placeholder="搜索名称或文号",
        filters=[Filter("kind", "类别", "kind", lambda r: Resolution.Kind.choices), year_filter("adopted_on")],
        default_order=("-adopted_on", "-id"),
    )

    def get_queryset(self, request):
        return _published()


def resolution(request, pk):
    item = _published().filter(pk=pk).first()
    if item is None:
        raise Http404("未找到该决议决定，或尚未公布。")
    return render(request, "decisions/public/resolution.html", {"item": item, "text": documents.current(item, "text")})
