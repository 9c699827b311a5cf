"""Legislation work pages: the bills (oversight roles), a bill with its drafts and comment
periods, the article-level diff of two drafts, and a period's comments grouped per article
(the staff see contacts). Thin: scoping decides, the case type acts, services write."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renda.ballots import motions
from renda.core.forms import add_service_errors
from renda.core.listing import Column, Filter, Listing, ListingView
from renda.core.scoping import actor_of, allowed, get_visible_or_404, require, visible
from renda.workflow import documents
from renda.workflow.engine import current_day

from . import articles, forms, services
from .cases import BILL
from .models import Bill, Cause, CommentPeriod, PublicComment
from .rules import bill_q

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


def _insider_bill(request, pk) -> Bill:
    """The work pages show a bill's process: to its oversight roles only (a promulgated
    regulation is public on /legislation/regulations/, not here)."""
    item = get_visible_or_404(request.user, Bill, pk=pk)
    if not allowed(request.user, "view_process", item):
        raise Http404
    return item


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

    def get_queryset(self, request):
        # the bills whose process one follows (a promulgated regulation alone is public elsewhere)
        return super().get_queryset(request).filter(bill_q(actor_of(request.user)))

    def actions(self, request):
        return [("登记法规案", reverse("legislation:bill_new"))] if allowed(request.user, "add", Bill) else []


@login_required
def bill(request, pk):
    item = _insider_bill(request, pk)
    user = request.user
    drafts = list(services.drafts(item))
    context = {
        "page_title": item.title,
        "item": item,
        "actions": BILL.available(user, item),
        "drafts": drafts,
        "pairs": [(a.number, b.number) for a, b in zip(drafts, drafts[1:], strict=False)],
        "periods": list(item.periods.order_by("-opens_on", "-id").select_related("version")),
        "votes": motions.votes_for(item, user),
        "may_change": allowed(user, "change", item),
        "may_comment": allowed(user, "comment", item),
        "opinions": list(item.opinions.all()),
        "may_speak": allowed(user, "speak", item),
        "breadcrumbs": [("地方立法", reverse("legislation:index")), (item.title[:30], "")],
    }
    return render(request, "legislation/bill.html", context)


def _number(request, name):
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def _with_causes(changes, cited):
    """articles.Change.causes from the causes cited by the newer draft's articles."""
    for c in changes:
        if c.new_number and not c.is_heading:
            c.causes = cited.get(c.new_number, [])
    return changes


@login_required
def diff(request, pk):
    """Two drafts side by side, article by article (articles.diff): ?a=<version no>&b=<version no>."""
    item = _insider_bill(request, pk)
    drafts = {v.number: v for v in services.drafts(item)}
    a, b = _number(request, "a"), _number(request, "b")
    if len(drafts) >= 2 and a is None and b is None:
        a, b = sorted(drafts)[-2:]
    if a not in drafts or b not in drafts:
        raise Http404("没有这个草案版本。")
    cited = services.causes_of(drafts[b])
    changes = [
        {
            "change": c,
            "causes": c.causes,
            "kind": KIND_LABELS.get(c.kind, c.kind),
            "old": f"第{articles.int_to_cn(c.old_number)}条" if c.old_number and not c.is_heading else "",
            "new": f"第{articles.int_to_cn(c.new_number)}条" if c.new_number and not c.is_heading else "",
        }
        for c in _with_causes(articles.diff(services.articles_of(drafts[a]), services.articles_of(drafts[b])), cited)
    ]
    may_cite = allowed(request.user, "change", item)
    context = {
        "page_title": f"{item.title}：草案对照",
        "may_cite": may_cite,
        "sources": services.sources_of(item) if may_cite else [],
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
def comments(request, pk, failed=None):
    """A period's comments grouped per article with their moderation and handling marks and,
    for the staff, the forms to moderate and mark them; the commenter's contact for the staff
    (view_contact). Constant queries: one for the period, one for the comments (the draft's
    text is on the version row). `failed`: (comment id, op, form) refused by comment_act."""
    period = _period_of(request, pk)
    show_contact = allowed(request.user, "view_contact", period)
    may_act = allowed(request.user, "moderate", period)
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
        "may_act": may_act,
        "closed": current_day() > period.closes_on,
        "handlings": [c for c in PublicComment.Handling.choices if c[0]],
        "failed_id": failed[0] if failed else None,
        "failed_op": failed[1] if failed else "",
        "failed_form": failed[2] if failed else None,
        "breadcrumbs": [
            ("地方立法", reverse("legislation:index")),
            (period.bill.title[:30], bill_url(period.bill)),
            ("意见汇总", ""),
        ],
    }
    return render(request, "legislation/comments.html", context, status=422 if failed else 200)


# ---------------------------------------------------------------- staff forms


def _form_page(request, form, title, cancel_url, breadcrumbs, status=200):
    return render(
        request,
        "core/form.html",
        {"page_title": title, "form": form, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs},
        status=status if not form.errors else 422 if request.method == "POST" else status,
    )


def _bill_crumbs(bill, last):
    return [("地方立法", reverse("legislation:index")), (bill.title[:30], bill_url(bill)), (last, "")]


def _managed_bill(request, pk) -> Bill:
    bill = _insider_bill(request, pk)
    require(request.user, "change", bill)
    return bill


@login_required
def bill_new(request):
    """起草法规案: the bill of the user's own congress, with the legal committee's early
    involvement (提前介入) kept as a note of the bill."""
    require(request.user, "add", Bill)
    congress = actor_of(request.user).home_congress
    if congress is None:
        raise PermissionDenied("您的账号没有所属的人大。")
    form = forms.BillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                bill = services.create_bill(
                    request.user,
                    congress=congress,
                    title=d["title"],
                    area=d["area"],
                    area_basis=d["area_basis"],
                    drafter=d["drafter"],
                    readings_required=d["readings_required"],
                )
                if d["early_involvement"].strip():
                    services.record_early_involvement(bill, request.user, d["early_involvement"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "法规案已登记；请上传法规草案。")
            return redirect(bill_url(bill))
    index = reverse("legislation:index")
    return _form_page(request, form, "登记法规案", index, [("地方立法", index), ("登记法规案", "")])


@login_required
def draft_new(request, pk):
    bill = _managed_bill(request, pk)
    form = forms.DraftForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            version = services.add_draft(bill, d["file"] or d["text"], request.user, note=d["note"], causes=d["causes"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已上传第{version.number}稿。")
            if version.number > 1:
                return redirect(reverse("legislation:diff", args=[bill.pk]))
            return redirect(bill_url(bill))
    return _form_page(request, form, "上传法规草案", bill_url(bill), _bill_crumbs(bill, "上传草案"))


@login_required
def period_new(request, pk):
    bill = _insider_bill(request, pk)
    require(request.user, "comment", bill)
    drafts = list(services.drafts(bill))
    if not drafts:
        messages.error(request, "请先上传法规草案，再公开征求意见。")
        return redirect(bill_url(bill))
    today = current_day()
    form = forms.PeriodForm(
        request.POST or None, drafts=drafts, initial={"opens_on": today, "version": drafts[-1].number}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            period = services.open_period(
                bill,
                request.user,
                version=form.drafts[d["version"]],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                published=d["published"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已公开征求意见。")
            return redirect(reverse("legislation:comments", args=[period.pk]))
    return _form_page(request, form, "公开征求意见", bill_url(bill), _bill_crumbs(bill, "公开征求意见"))


@login_required
def opinion_new(request, pk):
    """意见: the CPPCC's, a department's, a member's or an expert's, recorded to be cited."""
    bill = _managed_bill(request, pk)
    form = forms.OpinionForm(request.POST or None, initial={"received_on": current_day()})
    if request.method == "POST" and form.is_valid():
        try:
            opinion = services.record_opinion(bill, request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记{opinion}。")
            return redirect(bill_url(bill))
    return _form_page(request, form, "登记意见", bill_url(bill), _bill_crumbs(bill, "登记意见"))


@login_required
def speak(request, pk):
    """发表审议意见: a member of the standing committee, on the bill being deliberated, in their
    own name; the staff cite it in the next draft like any opinion."""
    bill = _insider_bill(request, pk)
    if not allowed(request.user, "speak", bill):
        raise PermissionDenied("只有本级常委会组成人员可以在审议期间发表审议意见。")
    form = forms.SpeechForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.speak(bill, request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "审议意见已提交，将供法制委员会统一审议时研究。")
            return redirect(bill_url(bill))
    return _form_page(request, form, "发表审议意见", bill_url(bill), _bill_crumbs(bill, "发表审议意见"))


def _period_of(request, pk) -> CommentPeriod:
    period = visible(request.user, CommentPeriod).select_related("bill", "version").filter(pk=pk).first()
    if period is None or not allowed(request.user, "view_process", period.bill):
        raise Http404
    return period


def _post_only(request):
    # checked after the record and the permission, so that a GET tells outsiders no more than a POST
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


@login_required
def comment_act(request, pk):
    """审核 (publish / hide with a reason) or 采纳情况 on one comment, from the comments page;
    a refusal re-renders the page with the message under that comment and what was typed."""
    comment = get_object_or_404(visible(request.user, PublicComment).select_related("period__bill"), pk=pk)
    require(request.user, "moderate", comment)
    if refused := _post_only(request):
        return refused
    op = request.POST.get("op")
    if op == "moderate":
        form = forms.ModerateForm(request.POST)
        call = lambda d: services.moderate(  # noqa: E731
            comment, request.user, publish=d["decision"] == "publish", reason=d["reason"]
        )
    elif op == "handle":
        form = forms.HandleForm(request.POST)
        call = lambda d: services.handle(comment, request.user, handling=d["handling"], note=d["note"])  # noqa: E731
    else:
        raise Http404
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(reverse("legislation:comments", args=[comment.period_id]) + f"#comment-{comment.pk}")
    return comments(request, comment.period_id, failed=(comment.pk, op, form))


@login_required
def summary_new(request, pk):
    period = _period_of(request, pk)
    require(request.user, "comment", period.bill)
    form = forms.SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_summary(period, request.user, form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "征求意见情况的说明已发布。")
            return redirect(reverse("legislation:comments", args=[period.pk]))
    back = reverse("legislation:comments", args=[period.pk])
    return _form_page(request, form, "发布征求意见情况的说明", back, _bill_crumbs(period.bill, "征求意见情况的说明"))


@login_required
def cause_add(request, pk, number):
    """From the diff page: cite a comment or opinion as a cause of an article of draft `number`."""
    bill = _managed_bill(request, pk)
    if refused := _post_only(request):
        return refused
    version = services.drafts(bill).filter(number=number).first()
    if version is None:
        raise Http404("没有这个草案版本。")
    form = forms.CauseForm(request.POST, sources=services.sources_of(bill))
    back = reverse("legislation:diff", args=[bill.pk]) + f"?{request.GET.urlencode()}"
    if form.is_valid():
        d = form.cleaned_data
        try:
            numbers = {a.number for a in services.articles_of(version).articles}
            for article, source in services.parse_causes(bill, f"第{d['article']}条：{d['source']}", numbers):
                services.add_cause(bill, version, article, source, request.user)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "已添加修改依据。")
    else:
        messages.error(request, "请选择依据的意见。")
    return redirect(back)


@login_required
def cause_remove(request, pk):
    cause = get_object_or_404(visible(request.user, Cause).select_related("bill"), pk=pk)
    require(request.user, "delete", cause)
    if refused := _post_only(request):
        return refused
    services.remove_cause(cause, request.user)
    messages.success(request, f"已删除修改依据“{cause.label}”。")
    return redirect(reverse("legislation:diff", args=[cause.bill_id]) + f"?{request.GET.urlencode()}")


@login_required
def export_word(request, pk):
    """The current draft in Word, 公文 layout (generated per request, never stored)."""
    from renda.core.downloads import generated_response

    from .word import draft_docx

    bill = _insider_bill(request, pk)
    version = documents.current(bill, "draft")
    if version is None:
        raise Http404("尚未上传草案。")
    data = draft_docx(bill, services.articles_of(version), version)
    return generated_response(data, f"{bill.title}（第{version.number}稿）.docx")
