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
    # 征求意见情况的说明: a version of the bill's document "consultation_summary", shown on
    # the public page once the period has closed (LEG-6: the result is reported back)
    summary = models.ForeignKey(
        "workflow.DocumentVersion",
        verbose_name="征求意见情况的说明",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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


class Opinion(models.Model):
    """An opinion on a bill received from outside the public comment page: the CPPCC's
    (政协), a department's (部门), a member of the standing committee's (常委会组成人员) or an
    expert's given outside the think tank (an assigned expert's written opinion is an
    `experts.ExpertOpinion` and is cited as such). Cited by the changes of the next draft."""

    class Kind(models.TextChoices):
        EXPERT = "expert", "专家"
        CPPCC = "cppcc", "政协"
        DEPARTMENT = "department", "部门"
        MEMBER = "member", "常委会组成人员"

    bill = models.ForeignKey(Bill, verbose_name="法规案", on_delete=models.PROTECT, related_name="opinions")
    kind = models.CharField("意见类别", max_length=12, choices=Kind.choices)
    source = models.CharField("提出意见的单位或个人", max_length=100)
    article = models.PositiveIntegerField("条文", null=True, blank=True)
    text = models.TextField("意见")
    received_on = models.DateField("收到日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["received_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}意见#{self.pk}"

    @property
    def congress_id(self):
        return self.bill.congress_id


class Cause(models.Model):
    """Why an article of a draft version reads as it does: one public comment, opinion or
    expert's written opinion it follows (依据). `article` is the article's number in `version`
    (the newer of the two drafts compared); `articles.Change.causes` is filled from these.
    `suggested`: added automatically from a comment marked 采纳 on the aligned article of the
    previous draft (staff may remove it)."""

    bill = models.ForeignKey(Bill, verbose_name="法规案", on_delete=models.PROTECT, related_name="causes")
    version = models.ForeignKey(
        "workflow.DocumentVersion", verbose_name="草案版本", on_delete=models.PROTECT, related_name="+"
    )
    article = models.PositiveIntegerField("条文")
    comment = models.ForeignKey(
        PublicComment, verbose_name="公众意见", null=True, blank=True, on_delete=models.PROTECT, related_name="causes"
    )
    opinion = models.ForeignKey(
        Opinion, verbose_name="意见", null=True, blank=True, on_delete=models.PROTECT, related_name="causes"
    )
    expert_opinion = models.ForeignKey(
        "experts.ExpertOpinion",
        verbose_name="专家书面意见",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested = models.BooleanField("系统提示", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "修改依据"
        verbose_name_plural = "修改依据"
        ordering = ["article", "id"]
        constraints = [
            models.CheckConstraint(
                name="legislation_cause_one_source",
                condition=(
                    models.Q(comment__isnull=False, opinion__isnull=True, expert_opinion__isnull=True)
                    | models.Q(comment__isnull=True, opinion__isnull=False, expert_opinion__isnull=True)
                    | models.Q(comment__isnull=True, opinion__isnull=True, expert_opinion__isnull=False)
                ),
            ),
            models.UniqueConstraint(fields=["version", "article", "comment"], name="legislation_cause_comment_once"),
            models.UniqueConstraint(fields=["version", "article", "opinion"], name="legislation_cause_opinion_once"),
            models.UniqueConstraint(
                fields=["version", "article", "expert_opinion"], name="legislation_cause_expert_once"
            ),
        ]

    @property
    def congress_id(self):
        return self.bill.congress_id

    @property
    def label(self) -> str:
        """公众意见#12（第五条）: the source and the article it was about."""
        from .articles import int_to_cn

        if self.comment_id:
            n = self.comment.article
            where = f"（第{int_to_cn(n)}条）" if n else "（草案整体）"
            return f"公众意见#{self.comment_id}{where}"
        if self.opinion_id:
            n = self.opinion.article
            return f"{self.opinion.get_kind_display()}意见#{self.opinion_id}" + (f"（第{int_to_cn(n)}条）" if n else "")
        return f"专家意见#{self.expert_opinion_id}"

    def __str__(self):
        return self.label


from .plan_models import LegislativeNeed, LegislativePlan, PlanItem  # noqa: E402, F401  (立法规划、计划: plan_models.py)
