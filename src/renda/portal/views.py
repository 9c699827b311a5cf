"""The public portal: readable without signing in; it shows only what scoping makes
public (an anonymous user's `visible`)."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse

from renda.core.listing import Column, Filter, Listing, ListingView
from renda.core.models import Congress, Deputy
from renda.core.scoping import PUBLIC, visible
from renda.core.services import root_congress
from renda.suggestions.models import CATEGORIES, Suggestion


def home(request):
    root = root_congress()
    congresses = visible(PUBLIC, Congress)
    if root is not None:
        congresses = congresses.filter(path__startswith=root.path, level__in=["city", "county"])
    counts = visible(PUBLIC, Deputy).aggregate(
        total=Count("pk"), city=Count("pk", filter=Q(congress=root)) if root else Count("pk")
    )
    return render(
        request,
        "portal/home.html",
        {
            "root": root,
            "congresses": congresses.annotate(
                serving=Count("deputies", filter=Q(deputies__status=Deputy.Status.SERVING))
            ),
            "counts": counts,
        },
    )


class DeputyDirectory(ListingView):
    """代表名录: the basic information of serving deputies (代表法 Art. 44-45)."""

    public = True
    template_name = "portal/list.html"
    listing = Listing(
        model=Deputy,
        title="代表名录",
        columns=[
            Column("姓名", lambda d: d.person.name, sort="person__name", title=True),
            Column("性别", lambda d: d.person.get_gender_display()),
            Column("民族", lambda d: d.person.ethnicity),
            Column("人大", lambda d: d.congress.short_name, key=True),
            Column("代表团", lambda d: d.delegation or "", key=True),
            Column("工作单位及职务", lambda d: d.person.workplace, key=True),
        ],
        search_fields=("person__name", "person__workplace"),
        search_placeholder="搜索代表姓名或工作单位",
        filters=[
            Filter(
                "congress",
                "人大",
                "congress_id",
                lambda r: [(c.pk, c.region) for c in Congress.objects.filter(level__in=["city", "county"])],
            )
        ],
        select_related=("person", "congress", "delegation"),
        default_order=("congress__path", "delegation_id", "id"),
    )

    def get_queryset(self, request):
        # The directory is public: it shows what an anonymous visitor may see, whoever asks.
        return visible(PUBLIC, Deputy).select_related(*self.listing.select_related)


class PublicSuggestions(ListingView):
    """代表建议及答复 published on the site (rules.md DEP-9)."""

    public = True
    template_name = "portal/list.html"
    listing = Listing(
        model=Suggestion,
        title="代表建议及办理答复",
        columns=[
            Column("编号", lambda s: s.number),
            Column("标题", lambda s: s.title, url=lambda s: reverse("portal:suggestion", args=[s.pk])),
            Column("领衔代表", lambda s: s.lead_deputy.person.name, key=True),
            Column("类别", lambda s: s.category),
            Column("主办单位", lambda s: s.lead_unit.name if s.lead_unit else "", key=True),
            Column("办理状态", lambda s: s.state_label, key=True),
        ],
        search_fields=("title", "number", "content"),
        search_placeholder="搜索建议标题或内容",
        filters=[Filter("category", "类别", "category", lambda r: CATEGORIES)],
        select_related=("lead_deputy__person", "lead_unit"),
        default_order=("-registered_on", "-id"),
    )

    def get_queryset(self, request):
        return visible(PUBLIC, Suggestion).select_related(*self.listing.select_related)


def suggestion(request, pk):
    from django.http import Http404

    s = visible(PUBLIC, Suggestion).select_related("lead_deputy__person", "lead_unit").filter(pk=pk).first()
    if s is None:
        raise Http404("未找到该建议，或该建议未公开。")
    return render(request, "portal/suggestion.html", {"s": s, "replies": s.replies.select_related("unit")})


def open_api(request):
    """开放接口, in Chinese: what the API serves and to whom, before the (partly English)
    interactive documentation at /api/docs."""
    return render(request, "portal/open_api.html", {})
