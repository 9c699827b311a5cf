"""Report-back (述职): a deputy reports to their electoral unit (向原选举单位述职), at least once
a term. Scheduled by the staff, then held (the report's text, who attended), then evaluated by
the attendees on their phones through a per-report-back code (the same unguessable token and
QR drawing as 码上见代表), then closed. The deputy's Participation (capacity 述职) puts it in the
performance archive with its trace.

    scheduled 已安排 → held 已述职 → evaluating 测评中 → closed 已结束   (deputies/reportback.py)
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from renda.core.fields import EncryptedCharField
from renda.core.intake import PublicSubmission

from .stations import new_token


class ReportBack(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", "已安排"
        HELD = "held", "已述职"
        EVALUATING = "evaluating", "测评中"
        CLOSED = "closed", "已结束"

    deputy = models.ForeignKey(
        "core.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="report_backs"
    )
    # the deputy's congress and term: scoping, metrics and the "not yet reported" page without a join
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("core.Term", verbose_name="届", on_delete=models.PROTECT, related_name="+")
    constituency = models.ForeignKey(
        "core.Constituency",
        verbose_name="原选举单位（选区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_name = models.CharField("述职对象", max_length=100, help_text="如：临河区人大常委会、狼山镇第三选区选民")
    place = models.CharField("地点", max_length=100)
    scheduled_on = models.DateField("计划日期", db_index=True)
    held_on = models.DateField("述职日期", null=True, blank=True, db_index=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.SCHEDULED, db_index=True)
    attendees = models.PositiveIntegerField("参加人数", default=0)
    attendee_names = models.TextField("参加人员（可不填）", max_length=4000, blank=True)
    report = models.TextField("述职报告", max_length=20000, blank=True)
    # the evaluation code: the key of the public page (never the pk), as MeetCode's token
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "代表述职"
        verbose_name_plural = "代表述职"
        ordering = ["-scheduled_on", "-id"]
        indexes = [models.Index(fields=["congress", "state"]), models.Index(fields=["term", "deputy"])]

    def __str__(self):
        return f"{self.deputy.person.name}向{self.unit_name}述职"

    @property
    def held(self) -> bool:
        return self.held_on is not None

    def get_absolute_url(self):
        return reverse("deputies:reportback", args=[self.pk])

    def get_evaluation_url(self):
        return reverse("deputies_public:reportback_evaluate", args=[self.token])


class ReportBackEvaluation(PublicSubmission):
    """One attendee's answer to the satisfaction form (满意度测评), from a phone, without an
    account. One per device (`device`: a random token kept in a signed cookie), no more answers
    than attendees, throttled per address by core.intake."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"

    report_back = models.ForeignKey(
        ReportBack, verbose_name="述职", on_delete=models.CASCADE, related_name="evaluations"
    )
    rating = models.CharField("评价", max_length=12, choices=Rating.choices)
    comment = models.TextField("意见建议", max_length=1000, blank=True)
    # anonymous: no contact is asked (the base's field stays empty)
    contact = EncryptedCharField("联系方式", max_length=80, blank=True)
    device = models.CharField(max_length=32, editable=False)

    # no case behind it: the retention job (core.personal) reads this field; the contact is
    # never asked, so there is nothing to erase
    closed_at_field = "submitted_on"

    class Meta:
        verbose_name = "述职满意度测评"
        verbose_name_plural = "述职满意度测评"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["report_back", "device"], name="reportback_one_answer_per_device")
        ]

    def __str__(self):
        return f"{self.report_back}：{self.get_rating_display()}"

    def get_absolute_url(self):
        return self.report_back.get_absolute_url()
