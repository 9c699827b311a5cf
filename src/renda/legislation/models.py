"""Legislation (立法, rules.md §1 LEG-*): the bill (法规案) as a case, its public comment
periods (公开征求意见, LEG-6) and the comments received.

The draft's versions are `workflow.documents` (kind "draft"); the votes are `ballots.Ballot`s
about the bill; the sittings that read it are `core.CommitteeMeeting`s named in its events."""

from django.conf import settings
from django.db import models

from renda.core.fields import EncryptedCharField
from renda.workflow.models import Case


def default_readings() -> int:
    return settings.RENDA_LEGISLATION_READINGS


class Bill(Case):
    """法规案: drafted, submitted to the standing committee, read two or three times (LEG-5),
    voted on, approved by the region's standing committee within 4 months (LEG-2), promulgated
    by a 公告 stating 制定机关、通过时间、批准机关、批准时间、施行日期 (LEG-8)."""

    class Area(models.TextChoices):
        # LEG-1: the four areas a 设区的市 may legislate on (立法法第八十一条)
        URBAN = "urban", "城乡建设与管理"
        ECOLOGY = "ecology", "生态文明建设"
        HERITAGE = "heritage", "历史文化保护"
        GRASSROOTS = "grassroots", "基层治理"
        OTHER = "other", "其他（须有法律授权）"

    area = models.CharField("立法事项范围", max_length=12, choices=Area.choices)
    area_basis = models.CharField("法律授权依据", max_length=200, blank=True)
    drafter = models.CharField("起草单位", max_length=100)
    readings_required = models.PositiveSmallIntegerField("审议次数", default=default_readings)
    readings_done = models.PositiveSmallIntegerField("已审议次数", default=0)
    submitted_on = models.DateField("提请审议日期", null=True, blank=True)
    passed_on = models.DateField("通过日期", null=True, blank=True)
    # the 公告 (LEG-8, 杭州市立法条例第四十八条)
    enacting_body = models.CharField("制定机关", max_length=100, blank=True)
    approving_body = models.CharField("批准机关", max_length=100, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    promulgated_on = models.DateField("公布日期", null=True, blank=True)
    announcement = models.CharField("公告", max_length=60, blank=True)

    case_type_key = "bill"

    class Meta:
        verbose_name = "法规案"
        verbose_name_plural = "法规案"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class CommentPeriod(models.Model):
    """公开征求意见: one version of the draft open to comments from `opens_on` to `closes_on`
    (normally at least 30 days, LEG-6); seen by the public once published."""

    bill = models.ForeignKey(Bill, verbose_name="法规案", on_delete=models.PROTECT, related_name="periods")
    version = models.ForeignKey(
        "workflow.DocumentVersion", verbose_name="征求意见稿", on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    published = models.BooleanField("已公布", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "公开征求意见"
        verbose_name_plural = "公开征求意见"
        ordering = ["-opens_on", "-id"]

    def __str__(self):
        return f"《{self.bill.title}》公开征求意见"

    @property
    def congress_id(self):
        return self.bill.congress_id

    def is_open(self, today) -> bool:
        return self.published and self.opens_on <= today <= self.closes_on


class PublicComment(models.Model):
    """A comment of the public on one article of the draft (or on the whole when `article` is
    None); published after moderation; its handling (采纳情况) is reported back (LEG-6)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        PUBLISHED = "published", "已公开"
        HIDDEN = "hidden", "不予公开"

    class Handling(models.TextChoices):
        NONE = "", "未处理"
        ADOPTED = "adopted", "采纳"
        PARTLY = "partly", "部分采纳"
        NOT_ADOPTED = "not_adopted", "未采纳"

    period = models.ForeignKey(
        CommentPeriod, verbose_name="征求意见", on_delete=models.PROTECT, related_name="comments"
    )
    article = models.PositiveIntegerField("条文", null=True, blank=True)
    text = models.TextField("意见")
    name = models.CharField("姓名", max_length=40, blank=True)
    contact = EncryptedCharField("联系方式", max_length=80, blank=True)
    submitted_at = models.DateTimeField("提交时间")
    status = models.CharField("审核状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField("不予公开的理由", max_length=200, blank=True)
    handling = models.CharField("采纳情况", max_length=12, choices=Handling.choices, blank=True, default="")
    handling_note = models.TextField("处理说明", blank=True)

    personal_fields = {"name", "contact"}

    class Meta:
        verbose_name = "公众意见"
        verbose_name_plural = "公众意见"
        ordering = ["article", "submitted_at", "id"]

    def __str__(self):
        return f"意见 {self.pk}"


from .plan_models import LegislativeNeed, LegislativePlan, PlanItem  # noqa: E402, F401  (立法规划、计划: plan_models.py)
