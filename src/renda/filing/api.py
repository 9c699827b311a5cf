"""The filing API: the catalogue of filed documents (scoped as on the pages: the public
sees registered, published ones), one filing with its automatic findings, filing a
document with its text, and the automatic checks on any text (an issuing body can
check a draft before it files)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from renda.core.api import Pagination, text_filter
from renda.core.http import throttled
from renda.core.scoping import actor_of, allowed, get_visible_or_404, visible

from . import services
from .cases import PUBLIC_STATE, PUBLIC_STATES, public_status
from .models import Filing
from .rules import process_q

router = Router(tags=["备案审查"])
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
CHECKS_PER_HOUR = 120


def _insider(request, filing) -> bool:
    """The filer and the receiving congress's oversight roles see the review as it goes;
    everyone else sees what the public page shows (审查中 / the outcome)."""
    return allowed(request.user, "view_process", filing)


class FindingOut(Schema):
    kind: str
    excerpt: str
    start: int
    end: int
    law: str | None
    message: str


class FilingOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    title: str
    document_number: str
    filer: str
    adopted_on: date
    published_on: date
    filed_on: date | None
    on_time: bool | None
    state: str
    state_label: str
    outcome: str
    url: str

    @staticmethod
    def resolve_state(obj, context):
        return obj.state if _insider(context["request"], obj) else PUBLIC_STATE.get(obj.state, "reviewing")

    @staticmethod
    def resolve_state_label(obj, context):
        return obj.state_label if _insider(context["request"], obj) else public_status(obj)

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_filer(obj):
        return obj.filer_name

    @staticmethod
    def resolve_outcome(obj):
        return obj.get_outcome_display() if obj.outcome else ""

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class FilingDetailOut(FilingOut):
    text: str
    findings: list[FindingOut]  # for the filer and the oversight roles only

    @staticmethod
    def resolve_findings(obj, context):
        return obj.findings if _insider(context["request"], obj) else []


class FilingIn(Schema):
    filer: str = Field(
        description="制定机关：unit:<承办单位id> 或 congress:<下级人大id>；只有一个可选时可省略", default=""
    )
    kind: str = Field(description="rule 政府规章 / government 行政规范性文件 / supervisory / judicial / resolution")
    title: str = Field(max_length=200, pattern=NO_NUL)
    document_number: str = Field(max_length=60, pattern=NO_NUL)
    adopted_on: date
    published_on: date
    text: str = Field(min_length=50, max_length=300000, pattern=NO_NUL)
    drafting_explanation: str = Field(max_length=50000, pattern=NO_NUL)
    legal_basis: str = Field(max_length=20000, pattern=NO_NUL)


class CheckIn(Schema):
    text: str = Field(min_length=1, max_length=300000, pattern=NO_NUL)
    published: date | None = None
    filed: date | None = None


@router.get("/filings", response=list[FilingOut], summary="备案文件目录（公众可见已登记公开的文件）")
@paginate(Pagination)
def list_filings(
    request,
    year: int | None = Query(None, ge=1949, le=2100, description="公布年度"),
    state: str | None = text_filter(),
    q: str | None = text_filter(),
):
    qs = visible(request.user, Filing).select_related("filer_unit", "filer_congress").order_by("-published_on", "-id")
    if year:
        qs = qs.filter(published_on__year=year)
    if state:  # each filing by the state its reader sees: the real one, or its public status
        inside = process_q(actor_of(request.user))
        qs = qs.filter((inside & Q(state=state)) | (~inside & Q(state__in=PUBLIC_STATES.get(state, ()))))
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(document_number__icontains=q)
    return qs


@router.get("/filings/{filing_id}", response=FilingDetailOut, summary="一件备案文件及其自动检查结果")
def get_filing(request, filing_id: int):
    return get_visible_or_404(request.user, Filing, pk=filing_id)


@router.post("/filings", response={201: FilingDetailOut}, summary="报送备案（制定机关）")
def create_filing(request, payload: FilingIn):
    if not services.filer_choices(request.user):
        raise PermissionDenied("只有制定机关（或下级人大常委会）的工作人员可以报送备案。")
    return Status(201, services.file_document(request.user, payload.dict()))


@router.post("/check", response=list[FindingOut], summary="自动检查一段规范性文件文本（报备前自查）")
def check(request, payload: CheckIn):
    if not request.user.is_authenticated:
        raise PermissionDenied("请先登录或携带令牌。")
    if throttled(f"filing:checks:{request.user.pk}", CHECKS_PER_HOUR):
        raise HttpError(429, f"检查过于频繁（每小时最多{CHECKS_PER_HOUR}次），请稍后再试。")
    from renda.assist.lawcheck import check_document

    return [f.to_dict() for f in check_document(payload.text, published=payload.published, filed=payload.filed)]
