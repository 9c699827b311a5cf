"""Activities (履职活动) a deputy records by hand: what happens outside the platform's records
(contacts with constituents, visits, station duty, research). They count in the performance
archive (履职档案) only once the congress's staff have confirmed them; machine-recorded
activities are `workflow.Participation` rows and are not copied here."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Activity(models.Model):
    class Kind(models.TextChoices):
        CONTACT = "contact", "联系群众"
        VISIT = "visit", "走访"
        STATION = "station", "进站履职"
        RESEARCH = "research", "调研"
        OTHER = "other", "其他"

    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        RETURNED = "returned", "退回"

    deputy = models.ForeignKey("core.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="activities")
    # the deputy's congress, kept so that scoping and the yearly scores need no join
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=100)
    people_reached = models.PositiveIntegerField("联系群众人数", default=0)
    note = models.TextField("情况说明", max_length=2000, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("确认时间", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # made by the form when it is opened (in the browser, also offline): a queued entry sent
    # again after a lost answer finds the entry it already made (services.record_activity)
    idempotency_key = models.UUIDField("幂等键", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "履职活动"
        verbose_name_plural = "履职活动"
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["deputy", "on"]),
            models.Index(fields=["congress", "state", "on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="activity_idempotency_per_deputy",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def title(self) -> str:
        return self.place + (f"（{self.people_reached}人）" if self.people_reached else "")

    @property
    def editable(self) -> bool:
        return self.state in (self.State.PENDING, self.State.RETURNED)

    def get_absolute_url(self):
        return reverse("deputies:activity", args=[self.pk])


def evidence_path(instance, filename):
    from renda.core.uploads import stored_name

    return f"deputies/activities/{timezone.localdate():%Y/%m}/{stored_name(filename)}"


class ActivityEvidence(models.Model):
    """A file (photo, sign-in sheet …) that shows an activity took place; checked by
    core.uploads and downloaded through core.downloads."""

    activity = models.ForeignKey(Activity, verbose_name="履职活动", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path, max_length=255)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小", default=0)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def download_url(self) -> str:
        from renda.core.downloads import download_url

        return download_url(self)
