"""Pages of filing and review for each role. Thin: scoping decides what is seen, the
case types what may be done, services and workflow.perform write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.models import Congress
from renda.core.scoping import allowed, get_visible_or_404, visible
from renda.workflow import calendar, documents

from . import effects, report, services
from .cases import FILING, REVIEW_PROPOSAL, public_status
from .forms import FilingForm
from .models import STANDARD_RESULTS, STANDARDS, Filing, LowerFiling, ReviewProposal

STATE_LABELS = [(s.key, s.label) for s in FILING.states]
PROPOSAL_STATES = [(s.key, s.label) for s in REVIEW_PROPOSAL.states if s.key != "new"]
BADGE = {
    "closed": "ok",
    "corrected": "ok",
    "annulled": "bad",
    "returned": "",
    "draft": "",
    "submitted": "soon",
    "incomplete": "soon",
    "opinion_sent": "bad",
    "communicating": "soon",
    "correcting": "soon",
    "correction_reported": "soon",
    "annulment_proposed": "bad",
}


def _due(f):
    if not getattr(f, "next_due", None):
        return ""
    text, _ = calendar.describe_remaining(f.next_due, timezone.localdate())
    return (f"{f.next_due_label}：", f.next_due, f"（{text}）")


def _due_badge(f):
    return calendar.describe_remaining(f.next_due, timezone.localdate())[1] if getattr(f, "next_due", None) else ""


def _filed(f):
    if not f.filed_on:
        return ""
    return (f.filed_on, "" if f.on_time else "（迟报）")


class FilingList(ListingView):
    """备案文件目录 for staff and reviewers; for an issuing unit, its own filings."""

    listing = Listing(
        model=Filing,
        title="规范性文件备案审查",
        columns=[
            Column("登记号", lambda f: f.number or "—", sort="sequence"),
            Column("文件名称", lambda f: f.title, url=lambda f: reverse("filing:detail", args=[f.pk])),
            Column("文号", lambda f: f.document_number, key=True),
            Column("制定机关", lambda f: f.filer_name, key=True),
            Column("类别", lambda f: f.get_kind_display(), sort="kind"),
            Column("公布日期", lambda f: f.published_on, sort="published_on"),
            Column("报送日期", _filed, sort="filed_on", badge=lambda f: "" if f.on_time is not False else "bad"),
            Column("状态", lambda f: f.state_label, badge=lambda f: BADGE.get(f.state, "red")),
            Column("期限", _due, sort="next_due", badge=_due_badge),
            Column("自动检查", lambda f: f"{len(f.findings)}处" if f.findings else "—"),
        ],
        search_fields=("title", "document_number", "number", "text"),
        search_placeholder="搜索文件名称、文号或正文",
        filters=[
            Filter("state", "状态", "state", lambda r: STATE_LABELS),
            Filter("kind", "类别", "kind", lambda r: Filing.Kind.choices),
            year_filter(FILING.year_field),
        ],
        select_related=("filer_unit", "filer_congress"),
        default_order=("-published_on", "-id"),
    )

    def get_queryset(self, request):
        qs = services.with_next_due(super().get_queryset(request))
        if request.GET.get("problems") == "1":
            qs = qs.filter(problem_found=True)
        return qs

    def actions(self, request):
        actions = []
        if services.filer_choices(request.user):
            actions.append(("报送备案", reverse("filing:create")))
        if allowed(request.user, "view", ReviewProposal):
            actions += [
                ("发现问题的", "?problems=1"),
                ("审查建议", reverse("filing:proposals")),
                ("下级报备", reverse("filing:lower")),
            ]
        if allowed(request.user, "report", Congress):
            actions.append(("年度报告", reverse("filing:report")))
        return actions


@login_required
def create(request, pk=None):
    """报送备案, and 修改草稿: the filer corrects a saved draft (its text, file, fields) and
    saves it again (its findings are re-checked as it is read) or sends it in."""
    filers = services.filer_choices(request.user)
    if not filers:
        raise PermissionDenied("只有制定机关（或下级人大常委会）的工作人员可以报送备案。")
    filing, initial = None, {}
    if pk:
        filing = get_visible_or_404(request.user, Filing, pk=pk)
        if not allowed(request.user, "change", filing):
            raise PermissionDenied("只有制定机关可以修改尚未报送的草稿。")
        initial = {k: getattr(filing, k) for k in services.FIELDS}
        initial.update(filer=services.filer_key(filing), text=filing.text)
    form = FilingForm(
        request.POST or None,
        request.FILES or None,
        filers=filers,
        initial=initial,
        has_text=bool(filing and filing.text),
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action", "submit") == "submit"
        upload = form.cleaned_data.get("source_file")
        try:
            if filing:
                filing = services.update_draft(request.user, filing, form.cleaned_data, upload, submit=submit)
            else:
                filing = services.file_document(request.user, form.cleaned_data, upload, submit=submit)
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                for m in msgs:
                    form.add_error(field if field in form.fields else None, m)
            if filing:
                filing.refresh_from_db()  # the draft as saved, for the title and the breadcrumb
        else:
            messages.success(
                request,
                "已报送备案，等待登记。"
                if submit
                else ("草稿已保存，已按修改后的正文重新检查" if pk else "草稿已保存")
                + "；核对自动检查结果后请点击“报送备案”。",
            )
            return redirect("filing:detail", pk=filing.pk)
    crumbs = [("备案审查", reverse("filing:index"))]
    if filing:
        crumbs += [(filing.document_number or "草稿", reverse("filing:detail", args=[filing.pk])), ("修改草稿", "")]
    return render(
        request,
        "filing/create.html",
        {
            "page_title": "修改草稿" if filing else "报送备案",
            "form": form,
            "filing": filing,
            "breadcrumbs": crumbs + ([] if filing else [("报送备案", "")]),
        },
    )


@login_required
def detail(request, pk):
    f = get_visible_or_404(request.user, Filing, pk=pk)
    f = Filing.objects.select_related("filer_unit", "filer_congress", "committee", "congress").get(pk=f.pk)
    breadcrumbs = [("备案审查", reverse("filing:index")), (f.number or f.document_number, "")]
    if not allowed(request.user, "view_process", f):
        # outside the case (a deputy, another congress, another unit): what the public page shows
        return render(
            request,
            "filing/outsider.html",
            {"page_title": f.title, "f": f, "status": public_status(f), "breadcrumbs": breadcrumbs},
        )
    # a draft is checked as it is read (the filer checks before filing); a filed one as filed
    findings = f.findings if f.state != "draft" else effects.findings_of(f)
    checklist = [(label, help_text, f.checklist.get(key)) for key, label, help_text in STANDARDS]
    results = dict(STANDARD_RESULTS)
    proposals = visible(request.user, ReviewProposal).filter(filing=f)
    # checked once when filed; a draft's are checked as it is read
    cited = f.citations if f.state != "draft" else services.citations(f.text, f.published_on)
    return render(
        request,
        "filing/detail.html",
        {
            "page_title": f.title,
            "f": f,
            # the list's colour; the outcome is not shown again beside a state of the same name
            "state_badge": BADGE.get(f.state, "red"),
            "actions": FILING.available(request.user, f),
            "can_edit": allowed(request.user, "change", f),
            "segments": services.segments(f.text, findings),
            "findings": findings,
            "citations": cited,
            "checklist": checklist,
            "results": results,
            "proposals": proposals,
            "text_version": documents.current(f, "text"),
            "breadcrumbs": breadcrumbs,
        },
    )


class ProposalList(ListingView):
    require_model_view = True  # personal data: refused, not an empty list, to those who may not see any
    listing = Listing(
        model=ReviewProposal,
        title="审查建议",
        columns=[
            Column("提出日期", lambda p: p.submitted_on, sort="submitted_on", key=True),
            Column("建议人", lambda p: p.proposer, url=lambda p: reverse("filing:proposal", args=[p.pk])),
            Column("类别", lambda p: p.get_proposer_kind_display()),
            Column("联系方式", lambda p: p.contact, personal="contact"),
            Column("所涉文件", lambda p: p.document_title, key=True),
            Column(
                "状态",
                lambda p: p.state_label,
                badge=lambda p: "ok" if p.state in REVIEW_PROPOSAL.states_tagged("answered") else "soon",
            ),
            Column("反馈日期", lambda p: p.answered_on or "", sort="answered_on"),
        ],
        search_fields=("proposer", "document_title", "document_number", "issue"),
        search_placeholder="搜索建议人、文件名称或问题",
        filters=[
            Filter("state", "状态", "state", lambda r: PROPOSAL_STATES),
            year_filter(REVIEW_PROPOSAL.year_field),
        ],
        default_order=("-submitted_on", "-id"),
        breadcrumbs=[("备案审查", "/work/filing/")],
    )


@login_required
def proposal(request, pk):
    p = get_visible_or_404(request.user, ReviewProposal, pk=pk)
    return render(
        request,
        "filing/proposal.html",
        {
            "page_title": f"审查建议：{p.document_title}",
            "p": p,
            "actions": REVIEW_PROPOSAL.available(request.user, p),
            # the proposer's contact is for the staff who answer, not for every member
            "show_contact": allowed(request.user, "view_contact", p),
            "can_erase": p.erased_at is None and allowed(request.user, "erase_contact", p),
            "breadcrumbs": [
                ("备案审查", reverse("filing:index")),
                ("审查建议", reverse("filing:proposals")),
                (p.proposer, ""),
            ],
        },
    )


class LowerFilingList(ListingView):
    """What lower levels forwarded (三级联网), with their review status as last reported."""

    require_model_view = True

    listing = Listing(
        model=LowerFiling,
        title="下级报送的备案文件",
        columns=[
            Column("报送的人大", lambda f: f.sender_name, key=True),
            Column("文件名称", lambda f: f.title, title=True),
            Column("文号", lambda f: f.document_number),
            Column("制定机关", lambda f: f.filer, key=True),
            Column("类别", lambda f: f.get_kind_display()),
            Column("公布日期", lambda f: f.published_on, sort="published_on"),
            Column("报送日期", lambda f: f.filed_on or "", sort="filed_on", key=True),
            Column("审查状态", lambda f: f.state_label, key=True),
            Column("最近更新", lambda f: f.updated_at, sort="updated_at"),
        ],
        search_fields=("title", "document_number", "sender_name", "filer"),
        search_placeholder="搜索文件名称、文号或报送机关",
        default_order=("-published_on", "-id"),
        breadcrumbs=[("备案审查", "/work/filing/")],
    )


@login_required
def annual_report(request):
    """The annual report of a congress the user oversees (?congress=, by default the one the
    statistics pages open on)."""
    from renda.reports.dashboard import default_congress, year_and_choices

    if not allowed(request.user, "report", Congress):
        raise PermissionDenied("年度报告供人大机关和常委会组成人员使用。")
    raw = request.GET.get("congress", "").strip()
    congress = Congress.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
    if raw == "":
        congress = default_congress(request.user.actor)
    if congress is None or not allowed(request.user, "report", congress):
        raise Http404("未找到该人大，或您不负责其备案审查工作。")
    year, years = year_and_choices(congress, request.GET.get("year"), modules=("filing",), annual=True)
    doc = report.build(congress, year)
    if request.GET.get("format") in ("md", "docx"):
        data, content_type, suffix = report.render(doc, request.GET["format"])
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="filing-report-{year}.{suffix}"'
        return response
    return render(
        request,
        "filing/report.html",
        {
            "page_title": doc.title,
            "doc": doc,
            "congress": congress,
            "year": year,
            "years": years,
            "breadcrumbs": [("备案审查", reverse("filing:index")), ("年度报告", "")],
        },
    )
