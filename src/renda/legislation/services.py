"""Writing legislation records: bills, draft versions, comment periods, public comments and
their moderation and handling. Each checks the permission and refuses bad input in Chinese."""

from __future__ import annotations

from datetime import date, timedelta

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
from .models import Bill, CommentPeriod, PublicComment

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


def add_draft(bill: Bill, upload_or_text, by, note: str = "") -> DocumentVersion:
    """A new version of the draft (法规草案): a plain-text upload, or the text itself."""
    require(by, "change", bill)
    if isinstance(upload_or_text, str):
        if not upload_or_text.strip():
            raise ValidationError("草案文本不能为空。")
        upload_or_text = SimpleUploadedFile(
            f"{bill.title[:40]}.txt", upload_or_text.encode("utf-8"), content_type="text/plain"
        )
    prepared = documents.prepare(upload_or_text)
    if not articles.parse(prepared.text).articles:
        raise ValidationError("未能从草案中识别出条文（第一条、第二条……），请上传纯文本格式的草案。")
    return documents.add_version(bill, "draft", prepared, by, note=note, title=f"《{bill.title}》草案")


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
