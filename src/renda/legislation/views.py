"""Legislation work pages: the bills (oversight roles), a bill with its drafts and comment
periods, the article-level diff of two drafts, and a period's comments grouped per article
(the staff see contacts). Thin: scoping decides, the case type acts, services write."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from renda.ballots import services as ballot_services
from renda.ballots.models import Ballot
from renda.core.listing import Column, Filter, Listing, ListingView
from renda.core.scoping import allowed, get_visible_or_404, visible

from . import articles, services
from .cases import BILL
from .models import Bill, CommentPeriod, PublicComment

KIND_LABELS = {
    "changed": "修改",
    "added": "新增",
    "removed": "删除",
    "moved": "移动",
    "renumbered": "条序变化",
    "heading_changed": "章节标题修改",
    "heading_added": "新增章节",
    "heading_removed": "删除章节",
    "heading_renumbered": "章节序号变化",
}


def bill_url(b) -> str:
    return reverse("legislation:bill", args=[b.pk])


class BillList(ListingView):
    listing = Listing(
        model=Bill,
        title="地方立法：法规案",
        columns=[
            Column("名称", lambda b: b.title, url=bill_url, sort="title"),
            Column("立法事项范围", lambda b: b.get_area_display(), key=True),
            Column("起草单位", lambda b: b.drafter),
            Column("审议", lambda b: f"{b.readings_done}/{b.readings_required}", key=True),
            Column("状态", lambda b: b.state_label, badge=lambda b: "ok" if b.state == "promulgated" else ""),
            Column("提请审议", lambda b: b.submitted_on, sort="submitted_on"),
        ],
        search_fields=("title", "drafter"),
        search_placeholder="搜索法规案名称或起草单位",
        filters=[
            Filter("state", "状态", "state", lambda r: [(s.key, s.label) for s in BILL.states]),
            Filter("area", "立法事项范围", "area", lambda r: Bill.Area.choices),
        ],
        default_order=("-created_at", "-id"),
        breadcrumbs=[("地方立法", "")],
    )


@login_required
def bill(request, pk):
    item = get_visible_or_404(request.user, Bill, pk=pk)
    user = request.user
    drafts = list(services.drafts(item))
    ct = ContentType.objects.get_for_model(item)
    votes = []
    for ballot in visible(user, Ballot).filter(content_type=ct, object_id=item.pk).order_by("created_at"):
        result = None
        if ballot.state == Ballot.State.CLOSED and allowed(user, "view_result", ballot):
            result = ballot_services.tally(ballot)
        votes.append({"ballot": ballot, "result": result, "url": reverse("ballots:ballot", args=[ballot.pk])})
    context = {
        "page_title": item.title,
        "item": item,
        "actions": BILL.available(user, item),
        "drafts": drafts,
        "pairs": [(a.number, b.number) for a, b in zip(drafts, drafts[1:], strict=False)],
        "periods": list(item.periods.order_by("-opens_on", "-id").select_related("version")),
        "votes": votes,
        "breadcrumbs": [("地方立法", reverse("legislation:index")), (item.title[:30], "")],
    }
    return render(request, "legislation/bill.html", context)


def _number(request, name):
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@login_required
def diff(request, pk):
    """Two drafts side by side, article by article (articles.diff): ?a=<version no>&b=<version no>."""
    item = get_visible_or_404(request.user, Bill, pk=pk)
    drafts = {v.number: v for v in services.drafts(item)}
    a, b = _number(request, "a"), _number(request, "b")
    if len(drafts) >= 2 and a is None and b is None:
        a, b = sorted(drafts)[-2:]
    if a not in drafts or b not in drafts:
        raise Http404("没有这个草案版本。")
    changes = [
        {
            "change": c,
            "kind": KIND_LABELS.get(c.kind, c.kind),
            "old": f"第{articles.int_to_cn(c.old_number)}条" if c.old_number and not c.is_heading else "",
            "new": f"第{articles.int_to_cn(c.new_number)}条" if c.new_number and not c.is_heading else "",
        }
        for c in articles.diff(services.articles_of(drafts[a]), services.articles_of(drafts[b]))
    ]
    context = {
        "page_title": f"{item.title}：草案对照",
        "item": item,
        "old": drafts[a],
        "new": drafts[b],
        "changes": changes,
        "drafts": sorted(drafts.values(), key=lambda v: v.number),
        "breadcrumbs": [
            ("地方立法", reverse("legislation:index")),
            (item.title[:30], bill_url(item)),
            ("草案对照", ""),
        ],
    }
    return render(request, "legislation/diff.html", context)


@login_required
def comments(request, pk):
    """A period's comments grouped per article with their moderation and handling marks; the
    commenter's contact for the staff (view_contact). Constant queries: one for the period,
    one for the comments (the draft's text is on the version row)."""
    period = visible(request.user, CommentPeriod).select_related("bill", "version").filter(pk=pk).first()
    if period is None or not allowed(request.user, "view", period.bill):
        raise Http404
    show_contact = allowed(request.user, "view_contact", period)
    rows = list(visible(request.user, PublicComment).filter(period=period).order_by("article", "submitted_at", "id"))
    titles = {a.number: a.label for a in services.articles_of(period.version).articles}
    groups = [
        {"article": n, "label": titles.get(n, f"第{n}条") if n else "对草案整体的意见", "comments": list(g)}
        for n, g in groupby(rows, key=lambda c: c.article)
    ]
    context = {
        "page_title": f"{period}：意见汇总",
        "period": period,
        "groups": groups,
        "total": len(rows),
        "show_contact": show_contact,
        "breadcrumbs": [
            ("地方立法", reverse("legislation:index")),
            (period.bill.title[:30], bill_url(period.bill)),
            ("意见汇总", ""),
        ],
    }
    return render(request, "legislation/comments.html", context)
