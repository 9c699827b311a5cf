"""Metrics of filing and review (seed section 二: "市政府报送的17件规范性文件全部及时进行了
备案审查"). Documents are counted by the date they were filed (报送日期)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from renda.core.models import HandlingUnit
from renda.reports.metrics import Scope, metric, phrase, ratio
from renda.workflow.models import Deadline

from .cases import FILING, REVIEW_PROPOSAL
from .models import Filing, ReviewProposal
from .rules import never_filed

REVIEWED_STATES = FILING.states_tagged("reviewed")
ANSWERED_STATES = REVIEW_PROPOSAL.states_tagged("answered")
# The government's own documents and those of its general office (政府办公室), which
# issues normative documents in the government's name.
GOVERNMENT = Q(filer_unit__kind=HandlingUnit.Kind.GOVERNMENT) | Q(
    filer_unit__parent__kind=HandlingUnit.Kind.GOVERNMENT, filer_unit__name__endswith="人民政府办公室"
)


def _url(obj):
    return f"/work/filing/{obj.pk}/"


def _proposal_url(obj):
    return f"/work/filing/proposals/{obj.pk}/"


@metric(
    "filing.documents_filed",
    label="报送备案的规范性文件",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="报送日期在本期内、向本级人大常委会报送备案的文件件数（各制定机关；不含草稿和本级报上级备案的地方性法规）。",
)
def documents_filed(scope: Scope):
    # a congress's own regulations sent up are not filed *with* it
    return (
        Filing.objects.filter(congress__in=scope.congresses, **scope.dates("filed_on"))
        .exclude(state__in=never_filed())
        .exclude(kind=Filing.Kind.REGULATION)
    )


@metric(
    "filing.government_documents",
    label="政府报送备案的规范性文件",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="其中由本级人民政府及其办公室制定并报送的件数。",
)
def government_documents(scope: Scope):
    return documents_filed(scope).filter(GOVERNMENT)


@metric(
    "filing.on_time",
    label="按期报备",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="报送备案的文件中，自公布之日起三十日内报送的件数。",
)
def on_time(scope: Scope):
    return documents_filed(scope).filter(on_time=True)


@metric(
    "filing.registered",
    label="登记备案",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="报送备案的文件中，经形式审查予以登记的件数。",
)
def registered(scope: Scope):
    return documents_filed(scope).filter(registered_on__isnull=False)


@metric(
    "filing.reviewed",
    label="审查完毕",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="报送备案的文件中，审查已经结束（未发现问题、已纠正或者已撤销）的件数。",
)
def reviewed(scope: Scope):
    return documents_filed(scope).filter(state__in=REVIEWED_STATES)


def _reviewed_in_time(qs):
    """Reviewed within the review clock: the clock (三个月) was stopped, or paused for
    the issuing body to correct, on or before its due date."""
    clocks = (
        Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Filing), key="review")
        .annotate(ended=Coalesce("paused_on", "stopped_on"))
        .filter(ended__lte=F("due_on"))
    )
    return qs.filter(state__in=REVIEWED_STATES, pk__in=clocks.values("object_id"))


@metric(
    "filing.reviewed_on_time",
    label="按期审查完毕",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="审查完毕的文件中，在审查期限（登记后三个月）内审结或者提出处理意见的件数。",
)
def reviewed_on_time(scope: Scope):
    return _reviewed_in_time(documents_filed(scope))


@metric(
    "filing.government_reviewed_on_time",
    label="政府文件按期审查完毕",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="政府及其办公室报送的文件中，按期报备、并在审查期限内审查完毕的件数。",
)
def government_reviewed_on_time(scope: Scope):
    return _reviewed_in_time(government_documents(scope).filter(on_time=True))


@metric(
    "filing.problems_found",
    label="审查发现问题",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="报送备案的文件中，审查发现问题（与制定机关沟通或者发出书面审查意见）的件数。",
)
def problems_found(scope: Scope):
    return documents_filed(scope).filter(problem_found=True)


@metric(
    "filing.corrected",
    label="督促纠正",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="发现问题的文件中，制定机关已经纠正（修改、废止或者停止执行）并经核实的件数。",
)
def corrected(scope: Scope):
    return documents_filed(scope).filter(state="corrected")


@metric(
    "filing.annulled",
    label="撤销",
    unit="件",
    section="legislation",
    url=_url,
    date_field="filed_on",
    definition="常委会决定撤销的件数。",
)
def annulled(scope: Scope):
    return documents_filed(scope).filter(state="annulled")


@metric(
    "filing.proposals_received",
    label="收到审查建议",
    unit="件",
    section="legislation",
    url=_proposal_url,
    date_field="submitted_on",
    definition="提出日期在本期内的审查建议件数（公民和组织）。",
)
def proposals_received(scope: Scope):
    return ReviewProposal.objects.filter(congress__in=scope.congresses, **scope.dates("submitted_on")).exclude(
        state="new"
    )


@metric(
    "filing.proposals_answered",
    label="审查建议已反馈",
    unit="件",
    section="legislation",
    url=_proposal_url,
    date_field="submitted_on",
    definition="本期收到的审查建议中，已向建议人反馈（含告知不予审查、移送）的件数。",
)
def proposals_answered(scope: Scope):
    return proposals_received(scope).filter(state__in=ANSWERED_STATES)


ratio(
    "filing.on_time_rate",
    label="按期报备率",
    numerator="filing.on_time",
    denominator="filing.documents_filed",
    section="legislation",
    definition="按期报备件数 ÷ 报送备案件数 × 100%，保留一位小数。",
)


@phrase("filing.review_claim", needs=("filing.government_documents", "filing.government_reviewed_on_time"))
def review_claim(values) -> str:
    """What the summary may say of the government's documents: "全部及时" only when
    every one was filed on time and reviewed within the time limit."""
    total = values["filing.government_documents"].value
    done = values["filing.government_reviewed_on_time"].value
    if total and total == done:
        return "全部及时进行了备案审查"
    return f"进行了备案审查，其中按期报备并按期审结{done}件"
