"""Public pages: the catalogue of filed documents with their review status, review
proposals (审查建议) sent by anyone, and the feedback given to them."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renda.core.intake import Intake
from renda.core.listing import Column, Listing, ListingView, year_filter
from renda.core.scoping import PUBLIC, visible
from renda.core.services import root_congress

from .cases import FILING, REVIEW_PROPOSAL, public_status
from .forms import ProposalForm
from .models import Filing, ReviewProposal
from .services import receive_proposal


class PublicFilings(ListingView):
    public = True
    template_name = "portal/list.html"
    listing = Listing(
        model=Filing,
        title="规范性文件备案目录",
        columns=[
            Column("登记号", lambda f: f.number),
            Column("文件名称", lambda f: f.title, url=lambda f: reverse("filing_public:document", args=[f.pk])),
            Column("文号", lambda f: f.document_number, key=True),
            Column("制定机关", lambda f: f.filer_name, key=True),
            Column("公布日期", lambda f: f.published_on, sort="published_on"),
            Column("审查状态", public_status, key=True),
        ],
        search_fields=("title", "document_number"),
        search_placeholder="搜索文件名称或文号",
        filters=[year_filter(FILING.year_field)],
        select_related=("filer_unit", "filer_congress"),
        default_order=("-published_on", "-id"),
    )

    def get_queryset(self, request):
        return visible(PUBLIC, Filing).select_related(*self.listing.select_related)

    def actions(self, request):
        return [
            ("提出审查建议", reverse("filing_public:propose")),
            ("查询审查建议办理情况", reverse("filing_public:status")),
            ("审查建议反馈", reverse("filing_public:answers")),
        ]


def document(request, pk):
    f = visible(PUBLIC, Filing).select_related("filer_unit", "filer_congress").filter(pk=pk).first()
    if f is None:
        raise Http404("未找到该文件，或该文件未公开。")
    return render(request, "filing/public_document.html", {"f": f, "status": public_status(f)})


PROPOSALS_PER_HOUR = 5  # from one address: enough for a person, not for a flood
PROPOSALS = Intake("filing.proposals", per_hour=PROPOSALS_PER_HOUR)


@require_http_methods(["GET", "POST"])
def propose(request):
    congress = root_congress()
    if congress is None:
        raise Http404("本站尚未设置人大常委会，暂不接收审查建议。")
    return PROPOSALS.submit(
        request,
        ProposalForm(request.POST or None, initial={"proposer_kind": "citizen"}),
        lambda data: receive_proposal(congress, data),
        template="filing/public_propose.html",
        context={"congress": congress},
        received=reverse("filing_public:received"),
        robot=reverse("filing_public:index"),
    )


def received(request):
    receipt = PROPOSALS.receipt(request)
    if not receipt:
        return redirect("filing_public:propose")
    return render(request, "filing/public_received.html", {"receipt": receipt})


def status(request):
    form, proposal, code = PROPOSALS.lookup(request, ReviewProposal.objects.exclude(state="new"))
    return render(request, "filing/public_status.html", {"form": form, "p": proposal}, status=code)


def answers(request):
    """Feedback published on the site (the proposer's name and contact are not shown)."""
    rows = (
        ReviewProposal.objects.filter(state__in=REVIEW_PROPOSAL.states_tagged("answered"), publish_feedback=True)
        .select_related("filing")
        .order_by("-answered_on", "-id")[:200]
    )
    return render(request, "filing/public_answers.html", {"rows": rows})
