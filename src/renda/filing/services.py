"""Filing a document and receiving a review proposal. State changes go through
workflow.perform; what a transition does is in effects."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from renda.core import clock
from renda.core.models import Congress, HandlingUnit, Role
from renda.core.scoping import actor_of, allowed
from renda.core.services import audit
from renda.core.storage import atomic_with_files
from renda.workflow import documents
from renda.workflow.engine import perform

from .models import Filing, ReviewProposal

# Who files with a congress's standing committee (rules FR-2): the government and its
# general office, the supervisory commission, the court and the procuratorate (the
# government's departments file with the government, not here); and lower congresses.
FILING_UNITS = Q(
    kind__in=(
        HandlingUnit.Kind.GOVERNMENT,
        HandlingUnit.Kind.SUPERVISORY_COMMISSION,
        HandlingUnit.Kind.COURT,
        HandlingUnit.Kind.PROCURATORATE,
    )
) | Q(parent__kind=HandlingUnit.Kind.GOVERNMENT, name__endswith="人民政府办公室")
KINDS_BY_UNIT = {
    HandlingUnit.Kind.GOVERNMENT: (Filing.Kind.RULE, Filing.Kind.GOVERNMENT),
    HandlingUnit.Kind.SUPERVISORY_COMMISSION: (Filing.Kind.SUPERVISORY,),
    HandlingUnit.Kind.COURT: (Filing.Kind.JUDICIAL,),
    HandlingUnit.Kind.PROCURATORATE: (Filing.Kind.JUDICIAL,),
}
FIELDS = ("kind", "title", "document_number", "adopted_on", "published_on", "drafting_explanation", "legal_basis")


def filer_choices(by) -> list[tuple[str, str, Congress]]:
    """Who the user may file for: ("unit:<id>" | "congress:<id>", label, receiving congress)."""
    actor = actor_of(by)
    choices = []
    for unit in HandlingUnit.objects.filter(FILING_UNITS, pk__in=actor.unit_ids).select_related("congress"):
        choices.append((f"unit:{unit.pk}", unit.name, unit.congress))
    for a in actor.assignments:
        if a.role == Role.STAFF and a.congress.parent_id:
            choices.append((f"congress:{a.congress_id}", f"{a.congress.region}人大常委会", a.congress.parent))
        if a.role == Role.STAFF and a.congress.level in (Congress.Level.CITY, Congress.Level.PROVINCIAL):
            # its own local regulations, recorded here and sent on to the upper level
            choices.append(
                (f"own:{a.congress_id}", f"{a.congress.region}人大常委会（地方性法规报上级备案）", a.congress)
            )
    return choices


def prepare_text(upload, field: str = "source_file"):
    """The filed document's file checked and read once (workflow.documents.prepare); a
    filed text must have text: a file it cannot be read from is refused."""
    from renda.assist.extract import SUPPORTED

    try:
        prepared = documents.prepare(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if prepared.suffix not in SUPPORTED:
        old_word = "（旧版 Word 请另存为 .docx）" if prepared.suffix == ".doc" else ""
        raise ValidationError(
            {
                field: [
                    f"“{prepared.name}”：备案文件的正式文本请上传 .txt、.docx 或 .pdf 文件{old_word}，系统从中提取正文。"
                ]
            }
        )
    if prepared.text_note:
        raise ValidationError({field: [f"“{prepared.name}”：{prepared.text_note}"]})
    return prepared


def kinds_for(filer: str) -> tuple[str, ...]:
    """The kinds of document a filer ("unit:<id>" | "congress:<id>" | "own:<id>") may file;
    the first is the form's default."""
    kind, _, pk = filer.partition(":")
    if kind == "own":
        return (Filing.Kind.REGULATION,)
    if kind == "congress":
        return (Filing.Kind.RESOLUTION,)
    unit = HandlingUnit.objects.filter(pk=int(pk)).only("kind").first() if pk.isdigit() else None
    return KINDS_BY_UNIT.get(unit.kind if unit else None, (Filing.Kind.GOVERNMENT,))


def kind_problem(filer: str, filer_name: str, kind: str) -> str:
    """The error when the filer may not file a document of this kind, else ""."""
    allowed_kinds = kinds_for(filer)
    if kind in allowed_kinds:
        return ""
    return f"{filer_name}报送备案的文件类别应为：{'、'.join(Filing.Kind(k).label for k in allowed_kinds)}。"


def filer_key(filing: Filing) -> str:
    if filing.filer_unit_id:
        return f"unit:{filing.filer_unit_id}"
    if filing.kind == Filing.Kind.REGULATION and filing.filer_congress_id == filing.congress_id:
        return f"own:{filing.filer_congress_id}"
    return f"congress:{filing.filer_congress_id}"


def _fill(by, filing: Filing, data: dict, upload):
    """Put the form's fields on a filing (new or a draft) and check them: the filer the user
    may file for, the kind that filer files, the text, the dates, no second filing of the
    same document. Returns the prepared upload (or None)."""
    choices = {key: congress for key, _, congress in filer_choices(by)}
    filer = data.get("filer") or (next(iter(choices)) if len(choices) == 1 else "")
    if filer not in choices:
        raise PermissionDenied("您不能以该机关的名义报送备案。")
    kind, _, pk = filer.partition(":")
    filing.congress = choices[filer]
    for k in FIELDS:
        setattr(filing, k, data[k])
    filing.filer_unit = HandlingUnit.objects.get(pk=int(pk)) if kind == "unit" else None
    filing.filer_congress_id = int(pk) if kind != "unit" else None
    problem = kind_problem(filer, filing.filer_name, filing.kind)
    if problem:
        raise ValidationError({"kind": [problem]})
    text = (data.get("text") or "").strip()
    prepared = prepare_text(upload) if upload is not None else None
    if prepared or text or not filing.pk:  # editing a draft: an empty text keeps the one it has
        filing.text = prepared.text if prepared else text
    if filing.adopted_on and filing.published_on and filing.adopted_on > filing.published_on:
        raise ValidationError({"adopted_on": ["通过（签发）日期不能晚于公布日期。"]})
    filing.full_clean(exclude=["state", "congress"])
    twin = (
        Filing.objects.filter(
            congress=filing.congress,
            document_number=filing.document_number.strip(),
            filer_unit=filing.filer_unit_id,
            filer_congress=filing.filer_congress_id,
        )
        .exclude(state__in=("draft", "returned", "discarded"))
        .exclude(pk=filing.pk)
        .first()
    )
    if twin is not None:
        raise ValidationError(
            {
                "document_number": [
                    f"文号为{filing.document_number}的文件已经报送备案（{twin.state_label}），"
                    "不要重复报送；补充材料请在原件中办理。"
                ]
            }
        )
    return prepared


@atomic_with_files()  # the filed text's file goes if the filing is refused after it was written
def file_document(by, data: dict, upload=None, *, submit: bool = True, today: date | None = None) -> Filing:
    """Create a filing for the filer chosen in data["filer"] and, unless only saving a
    draft, send it in (报送备案). The text is the uploaded file's, or data["text"]."""
    filing = Filing()
    prepared = _fill(by, filing, data, upload)
    at = clock.on(today) if today else None
    with clock.dated(at if today != timezone.localdate() else None):  # filed on a past day: created then
        filing.save()
    if prepared is not None:  # version 1 of the filed text, received the day it was filed
        documents.add_version(filing, "text", prepared, by, at=at)
    audit(by, "create", filing, {"title": filing.title, "document_number": filing.document_number})
    if submit:
        perform(filing, "submit", by, today=today)
    return filing


@atomic_with_files()
def update_draft(by, filing: Filing, data: dict, upload=None, *, submit: bool = False) -> Filing:
    """The filer corrects a draft (text, file, fields) and, if asked, sends it in. Its
    automatic findings are those of the text as it now reads (a draft is checked as read)."""
    if not allowed(by, "change", filing):
        raise PermissionDenied("只有制定机关可以修改尚未报送的草稿。")
    before = filing.text
    prepared = _fill(by, filing, data, upload)
    if prepared is None and filing.text != before and documents.current(filing, "text") is not None:
        # the text was corrected by hand: the filed file must say the same, so the corrected
        # text becomes its next version (a plain-text file), never the old file with a new text
        from django.core.files.uploadedfile import SimpleUploadedFile

        name = f"{filing.document_number or filing.title}（修改稿）.txt".replace("/", "／")
        prepared = prepare_text(SimpleUploadedFile(name, filing.text.encode("utf-8"), content_type="text/plain"))
    filing.save()
    if prepared is not None:  # a corrected file is the text's next version
        documents.add_version(filing, "text", prepared, by, note="修改草稿")
    audit(by, "change", filing, {"title": filing.title, "document_number": filing.document_number})
    if submit:
        perform(filing, "submit", by)
    return filing


@transaction.atomic
def receive_proposal(congress: Congress, data: dict, *, today: date | None = None) -> ReviewProposal:
    """A review proposal sent through the public form (审查建议): recorded and put
    before staff, with the receipt code the proposer follows it by."""
    proposal = ReviewProposal(congress=congress, submitted_on=today or timezone.localdate(), **data)
    proposal.title = f"关于《{proposal.document_title.strip('《》')}》的审查建议"[:200]
    if not proposal.filing_id:
        from .cases import FILING

        match = (
            Filing.objects.filter(
                congress=congress,
                document_number=proposal.document_number.strip(),
                state__in=FILING.states_tagged("registered"),
            )
            .exclude(kind=Filing.Kind.REGULATION)
            .first()
            if proposal.document_number.strip()
            else None
        )
        proposal.filing = match
    proposal.full_clean(exclude=["state", "congress", "receipt"])
    with clock.dated(clock.on(today) if today and today != timezone.localdate() else None):
        proposal.save()
    perform(proposal, "receive", None, today=today)
    return proposal


def with_next_due(qs):
    """Annotate each filing with its running clock that falls due first (one subquery):
    label and due date, for the lists."""
    from django.db.models import Subquery

    from renda.workflow.models import Deadline

    clocks = Deadline.objects.running_for_outer(Filing).order_by("due_on")
    return qs.annotate(
        next_due=Subquery(clocks.values("due_on")[:1]), next_due_label=Subquery(clocks.values("label")[:1])
    )


def segments(text: str, findings: list[dict]) -> list[dict]:
    """The text cut where findings start and end, so that the page can highlight each
    finding (overlapping ones too): pieces with the findings covering them, their
    messages, and an anchor on the piece where a finding starts. One sweep over the
    cut points: the findings open at each point are those started and not yet ended."""
    n = len(text)
    spans = [(max(0, min(f["start"], n)), max(0, min(f["end"], n))) for f in findings]
    starts_at, ends_at = {}, {}
    for i, (a, b) in enumerate(spans):
        if a < b:
            starts_at.setdefault(a, []).append(i)
            ends_at.setdefault(b, []).append(i)
    points = sorted({0, n, *starts_at, *ends_at})
    out, open_ = [], []
    for a, b in zip(points, points[1:]):
        ended, started = set(ends_at.get(a, ())), starts_at.get(a, [])
        open_ = [i for i in open_ if i not in ended] + started
        out.append(
            {
                "text": text[a:b],
                "covering": list(open_),
                "anchor": f"finding-{started[0]}" if started else "",
                "title": "；".join(findings[i]["message"] for i in open_),
            }
        )
    return out


def citations(text: str, published=None) -> list:
    """Every act the text cites, with what the law index says of it (for the reviewer)."""
    from renda.assist.lawcheck import citations as find

    seen, unique = set(), []
    for c in find(text, published):
        if (c.title, c.status) not in seen:  # an act cited twice is listed once
            seen.add((c.title, c.status))
            unique.append(c)
    return unique
