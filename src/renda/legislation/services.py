"""Writing legislation records: bills, draft versions, comment periods, public comments and
their moderation and handling. Each checks the permission and refuses bad input in Chinese."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from renda.core.clock import now
from renda.core.scoping import require
from renda.core.services import audit
from renda.workflow import documents
from renda.workflow.documents import DocumentVersion
from renda.workflow.engine import current_day

from . import articles
from .models import Bill, Cause, CommentPeriod, Opinion, PublicComment

MIN_COMMENT_DAYS = 30  # LEG-6: 立法法第四十条, normally at least 30 days

OUTSIDE_SCOPE = (
    "设区的市只能对城乡建设与管理、生态文明建设、历史文化保护、基层治理等方面的事项制定地方性法规"
    "（立法法第八十一条）；超出上述范围的，须写明法律的授权依据。"
)


def area_errors(area, basis) -> dict:
    """LEG-1, the one check (a bill, a need accepted into the plan): one of the four areas, or
    其他 with the law that authorises it."""
    if area not in Bill.Area.values:
        return {"area": "请选择立法事项范围。"}
    if area == Bill.Area.OTHER and not (basis or "").strip():
        return {"area_basis": OUTSIDE_SCOPE}
    return {}


def create_bill(by, *, congress, title, area, drafter, area_basis="", readings_required=None) -> Bill:
    bill = Bill(congress=congress, title=(title or "").strip(), area=area, drafter=(drafter or "").strip())
    bill.area_basis = (area_basis or "").strip()
    if readings_required is not None:
        bill.readings_required = readings_required
    require(by, "add", bill)
    errors = {}
    if not bill.title:
        errors["title"] = "请填写法规案名称。"
    if not bill.drafter:
        errors["drafter"] = "请填写起草单位。"
    errors.update(area_errors(area, bill.area_basis))
    if bill.readings_required not in (1, 2, 3):
        errors["readings_required"] = "审议次数应为一至三次。"
    if errors:
        raise ValidationError(errors)
    bill.save()
    audit(by, "create", bill, {"title": bill.title, "area": area})
    return bill


def _text_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name[:60]}.txt", text.encode("utf-8"), content_type="text/plain")


@transaction.atomic
def add_draft(bill: Bill, upload_or_text, by, note: str = "", *, causes: str = "", at=None) -> DocumentVersion:
    """A new version of the draft (法规草案): a plain-text or .docx upload, or the text itself.
    `causes`: lines “第五条：公众意见#12、政协意见#3” citing what each article of this version
    follows; comments marked 采纳/部分采纳 on the aligned article of the previous draft are cited
    too (suggested: staff may remove them)."""
    require(by, "change", bill)
    if isinstance(upload_or_text, str):
        if not upload_or_text.strip():
            raise ValidationError("草案文本不能为空。")
        # \x0b/\x0c (pasted from Word) stored as line breaks, in the file as in its text
        upload_or_text = _text_upload(bill.title, documents.clean_text(upload_or_text))
    prepared = documents.prepare(upload_or_text)
    unread = articles.unread_numbers(prepared.text)
    if unread:  # a mistyped number would silently join the article before
        raise ValidationError(
            f"条号无法识别：“{unread[0]}”。请改为中文数字（第十条）或阿拉伯数字（第10条）后重新提交。"
        )
    if not articles.parse(prepared.text).articles:
        raise ValidationError("未能从草案中识别出条文（第一条、第二条……），请上传纯文本或 Word（.docx）格式的草案。")
    numbers = {a.number for a in articles.parse(prepared.text).articles}
    cited = parse_causes(bill, causes, numbers)  # refused before anything is stored
    version = documents.add_version(bill, "draft", prepared, by, note=note, title=f"《{bill.title}》草案", at=at)
    for article, source in cited:
        add_cause(bill, version, article, source, by)
    suggest_causes(bill, version, by)
    return version


def drafts(bill: Bill):
    return documents.versions(bill).filter(document__kind="draft")


def articles_of(version: DocumentVersion) -> articles.Text:
    return articles.parse(version.text)


def open_period(bill: Bill, by, *, version: DocumentVersion, opens_on: date, closes_on: date, published=True):
    require(by, "comment", bill)
    if version.document.object_id != bill.pk or version.document.kind != "draft":
        raise ValidationError({"version": "请选择本法规案的草案版本。"})
    if closes_on < opens_on + timedelta(days=MIN_COMMENT_DAYS - 1):
        raise ValidationError(
            {
                "closes_on": f"公开征求意见的期限一般不少于三十日（立法法第四十条），请将截止日期定在{opens_on + timedelta(days=MIN_COMMENT_DAYS - 1):%Y年%-m月%-d日}或之后。"
            }
        )
    period = CommentPeriod.objects.create(
        bill=bill, version=version, opens_on=opens_on, closes_on=closes_on, published=published, created_by=by
    )
    audit(by, "create", period, {"opens_on": str(opens_on), "closes_on": str(closes_on)})
    return period


def submit_comment(period: CommentPeriod, *, text, article=None, name="", contact="", today=None) -> PublicComment:
    """A comment from the public (no account): only while the period is open."""
    today = today or current_day()
    if not period.is_open(today):
        raise ValidationError("本次征求意见已截止或尚未开始，不再接收意见。")
    text = (text or "").strip()
    if len(text) < 5:
        raise ValidationError({"text": "请填写意见内容（至少5个字）。"})
    if article is not None and article not in {a.number for a in articles_of(period.version).articles}:
        raise ValidationError({"article": "草案中没有这一条。"})
    return PublicComment.objects.create(
        period=period,
        article=article,
        text=text[:5000],
        name=(name or "").strip()[:40],
        contact=(contact or "").strip()[:80],
        submitted_at=now(),
    )


@transaction.atomic
def moderate(comment: PublicComment, by, *, publish: bool, reason: str = "") -> PublicComment:
    require(by, "moderate", comment)
    reason = (reason or "").strip()
    if not publish and not reason:
        raise ValidationError({"status_reason": "不予公开的，请写明理由。"})
    comment.status = PublicComment.Status.PUBLISHED if publish else PublicComment.Status.HIDDEN
    comment.status_reason = "" if publish else reason[:200]
    comment.save(update_fields=["status", "status_reason"])
    audit(by, "moderate", comment, {"status": comment.status})
    return comment


@transaction.atomic
def handle(comment: PublicComment, by, *, handling: str, note: str = "") -> PublicComment:
    require(by, "handle", comment)
    if handling not in (
        PublicComment.Handling.ADOPTED,
        PublicComment.Handling.PARTLY,
        PublicComment.Handling.NOT_ADOPTED,
    ):
        raise ValidationError({"handling": "请选择采纳情况。"})
    if handling != PublicComment.Handling.ADOPTED and not (note or "").strip():
        raise ValidationError({"handling_note": "未采纳或部分采纳的，请写明理由。"})
    comment.handling, comment.handling_note = handling, (note or "").strip()
    comment.save(update_fields=["handling", "handling_note"])
    audit(by, "handle", comment, {"handling": handling})
    return comment


# ---------------------------------------------------------------- early involvement, opinions


def record_early_involvement(bill: Bill, by, text: str, *, at=None):
    """提前介入: the legal committee's early involvement in the drafting, kept as a note (a
    version of the bill's document "early_involvement")."""
    require(by, "change", bill)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"early_involvement": "请填写提前介入的情况。"})
    return documents.add_version(
        bill, "early_involvement", _text_upload("法制委员会提前介入情况", text), by, note="提前介入", at=at
    )


def record_opinion(bill: Bill, by, *, kind, source, text, received_on, article=None) -> Opinion:
    opinion = Opinion(
        bill=bill,
        kind=kind,
        source=(source or "").strip(),
        text=(text or "").strip(),
        received_on=received_on,
        article=article,
        recorded_by=by,
    )
    require(by, "add", opinion)
    errors = {}
    if kind not in Opinion.Kind.values:
        errors["kind"] = "请选择意见类别。"
    if not opinion.source:
        errors["source"] = "请填写提出意见的单位或个人。"
    if not opinion.text:
        errors["text"] = "请填写意见内容。"
    if errors:
        raise ValidationError(errors)
    opinion.save()
    audit(by, "create", opinion, {"kind": kind})
    return opinion


# the states in which the members deliberate a bill (提请审议 … 审议完毕待表决)
DELIBERATING = ("submitted", "reading", "ready")


def speak(bill: Bill, by, *, text, article=None, today: date | None = None) -> Opinion:
    """审议意见 of a member of the standing committee on a bill under deliberation, in their own
    name (the rule lets only the congress's members and directors, and only while it is
    deliberated): an Opinion of kind 常委会组成人员, cited by the next draft like any other."""
    require(by, "speak", bill)
    person = getattr(by, "person", None)
    opinion = Opinion(
        bill=bill,
        kind=Opinion.Kind.MEMBER,
        # the name and the day are the server's: nobody speaks in another's name or on another day
        source=person.name if person else (by.display_name or by.username),
        text=(text or "").strip(),
        article=article,
        received_on=today or current_day(),
        recorded_by=by,
    )
    if not opinion.text:
        raise ValidationError({"text": "请填写审议意见。"})
    opinion.save()
    audit(by, "create", opinion, {"kind": opinion.kind})
    return opinion


# ---------------------------------------------------------------- causes of a draft's changes

CAUSE_LINE = re.compile(r"^第(?P<article>[一二三四五六七八九十百零〇两\d]+)条\s*[:：]\s*(?P<refs>.+)$")
CAUSE_REF = re.compile(r"(?P<kind>公众|专家|政协|部门|组成人员|常委会组成人员)意见\s*#?\s*(?P<id>\d+)")
OPINION_KINDS = {"政协": "cppcc", "部门": "department", "组成人员": "member", "常委会组成人员": "member"}


def _source(bill: Bill, kind: str, pk: int):
    """The comment or opinion a reference names, if it is this bill's."""
    if kind == "公众":
        return PublicComment.objects.filter(pk=pk, period__bill=bill).first()
    if kind == "专家":
        # an expert's opinion: recorded here (Opinion 专家) or written in the think tank
        from renda.experts.models import ExpertOpinion

        found = Opinion.objects.filter(pk=pk, bill=bill, kind=Opinion.Kind.EXPERT).first()
        if found is None:
            found = ExpertOpinion.objects.filter(
                pk=pk,
                assignment__content_type=ContentType.objects.get_for_model(Bill),
                assignment__object_id=bill.pk,
            ).first()
        return found
    return Opinion.objects.filter(pk=pk, bill=bill, kind=OPINION_KINDS[kind]).first()


def parse_causes(bill: Bill, text: str, numbers) -> list[tuple[int, object]]:
    """Lines “第五条：公众意见#12、政协意见#3” → [(5, comment 12), (5, opinion 3)]; a line that
    cannot be read, an article the version does not have, or a source that is not this bill's
    is refused in Chinese, naming the line."""
    out, errors = [], []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        m = CAUSE_LINE.match(line)
        if not m:
            errors.append(f"“{line[:30]}”：请按“第五条：公众意见#12、政协意见#3”的格式填写。")
            continue
        article = articles.read_number(m["article"])
        if article is None:  # "第1十条": neither a Chinese numeral nor digits
            errors.append(f"“{line[:30]}”：条号“{m['article']}”无法识别，请写成“第十条”或“第10条”。")
            continue
        if article not in numbers:
            errors.append(f"“{line[:30]}”：本稿没有第{articles.int_to_cn(article)}条。")
            continue
        refs = list(CAUSE_REF.finditer(m["refs"]))
        if not refs:
            errors.append(f"“{line[:30]}”：没有写明依据的意见（如公众意见#12）。")
        for ref in refs:
            source = _source(bill, ref["kind"], int(ref["id"]))
            if source is None:
                errors.append(f"“{ref.group(0)}”不是本法规案收到的意见。")
            else:
                out.append((article, source))
    if errors:
        raise ValidationError({"causes": errors})
    return out


def add_cause(bill: Bill, version: DocumentVersion, article: int, source, by, *, suggested=False) -> Cause:
    from renda.experts.models import ExpertOpinion

    cause = Cause(bill=bill, version=version, article=article, suggested=suggested, created_by=by)
    if isinstance(source, PublicComment):
        cause.comment = source
        field = "comment"
    elif isinstance(source, Opinion):
        cause.opinion = source
        field = "opinion"
    elif isinstance(source, ExpertOpinion):
        cause.expert_opinion = source
        field = "expert_opinion"
    else:
        raise ValidationError("修改依据只能是公众意见、专家意见、政协意见、部门意见或常委会组成人员意见。")
    require(by, "add", cause)
    existing = Cause.objects.filter(version=version, article=article, **{field: source}).first()
    if existing:
        return existing
    cause.save()
    audit(by, "create", cause, {"article": article, field: source.pk})
    return cause


def remove_cause(cause: Cause, by) -> None:
    require(by, "delete", cause)
    audit(by, "delete", cause, {"article": cause.article})
    cause.delete()


ADOPTED = (PublicComment.Handling.ADOPTED, PublicComment.Handling.PARTLY)


def suggest_causes(bill: Bill, version: DocumentVersion, by) -> list[Cause]:
    """The comments marked 采纳 (or 部分采纳) on an article of the previous draft cite the
    article of this draft aligned with it, when that article changed."""
    previous = drafts(bill).filter(number__lt=version.number).order_by("-number").first()
    if previous is None:
        return []
    adopted = {}
    for c in PublicComment.objects.filter(period__version=previous, handling__in=ADOPTED, article__isnull=False):
        adopted.setdefault(c.article, []).append(c)
    if not adopted:
        return []
    made = []
    for change in articles.diff(articles_of(previous), articles_of(version)):
        if change.is_heading or not change.old_number or not change.new_number:
            continue
        for comment in adopted.get(change.old_number, []):
            made.append(add_cause(bill, version, change.new_number, comment, by, suggested=True))
    return made


def causes_of(version: DocumentVersion) -> dict[int, list[Cause]]:
    """The causes cited by each article of `version` (one query)."""
    out: dict[int, list[Cause]] = {}
    for cause in Cause.objects.filter(version=version).select_related("comment", "opinion", "expert_opinion"):
        out.setdefault(cause.article, []).append(cause)
    return out


def sources_of(bill: Bill) -> list[tuple[str, str]]:
    """What a change of this bill may cite, as (reference, label) for the diff page's choices:
    comments of its periods (published or handled), opinions recorded on it."""
    rows = []
    for c in PublicComment.objects.filter(period__bill=bill).exclude(status=PublicComment.Status.HIDDEN):
        where = f"第{articles.int_to_cn(c.article)}条" if c.article else "整体"
        rows.append((f"公众意见#{c.pk}", f"公众意见#{c.pk}（{where}）{c.text[:24]}"))
    for o in Opinion.objects.filter(bill=bill):
        kind = "组成人员" if o.kind == Opinion.Kind.MEMBER else o.get_kind_display()
        rows.append((f"{kind}意见#{o.pk}", f"{o.get_kind_display()}意见#{o.pk}（{o.source}）{o.text[:24]}"))
    return rows


# ---------------------------------------------------------------- the consultation summary


@transaction.atomic
def publish_summary(period: CommentPeriod, by, text: str, *, today=None, at=None) -> DocumentVersion:
    """征求意见情况的说明 (LEG-6: the result reported back): once the period has closed, a
    version of the bill's document "consultation_summary", shown on the period's public page."""
    require(by, "comment", period.bill)
    today = today or current_day()
    if today <= period.closes_on:
        raise ValidationError({"text": f"征求意见于{period.closes_on:%Y年%-m月%-d日}截止，截止后才能发布情况说明。"})
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError({"text": "请填写征求意见情况的说明（至少10个字）。"})
    version = documents.add_version(
        period.bill,
        "consultation_summary",
        _text_upload("征求意见情况的说明", text),
        by,
        note=f"第{period.version.number}稿征求意见",
        at=at,
    )
    period.summary = version
    period.save(update_fields=["summary"])
    audit(by, "publish_summary", period, {"version": version.number})
    return version
