"""Double contact (双联系): a committee member's visit to a deputy (委员联系代表) and a
deputy's contact with constituents (代表联系群众). Each record also writes one
`workflow.Participation` for the deputy (接受走访 / 联系群众), which is how the performance
archive sees it without knowing this model."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from renda.core.fields import EncryptedCharField


class ContactRecord(models.Model):
    class Kind(models.TextChoices):
        MEMBER_VISIT = "member_visit", "委员联系代表"
        CONSTITUENTS = "constituents", "代表联系群众"

    class Way(models.TextChoices):
        VISIT = "visit", "走访"
        FORUM = "forum", "座谈"
        PHONE = "phone", "电话"
        ONLINE = "online", "网络"
        RECEPTION = "reception", "接待"

    kind = models.CharField("类别", max_length=14, choices=Kind.choices)
    deputy = models.ForeignKey(
        "core.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="contact_records"
    )
    # the visiting member's seat (委员联系代表); recorded_by when the member has no seat on file
    member = models.ForeignKey(
        "core.CommitteeMember",
        verbose_name="常委会组成人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_records",
    )
    # the deputy's congress: scoping and the metrics need no join
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=100)
    way = models.CharField("方式", max_length=10, choices=Way.choices, default=Way.VISIT)
    people_reached = models.PositiveIntegerField("联系人数", default=1)
    matters = models.TextField("反映的问题和意见", max_length=4000, blank=True)
    # personal data, encrypted: shown in full only to the deputy and the congress's staff
    # (action view_contact); masked elsewhere, never in the audit log
    constituent = EncryptedCharField("群众联系方式", max_length=100, blank=True, help_text="如需回复，可记姓名和电话")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # made by the phone form when opened: an entry the offline queue sends twice (a lost
    # answer) is stored once; unique per recorder (core/offline.py)
    idempotency_key = models.UUIDField("幂等键", null=True, blank=True, editable=False)

    personal_fields = {"constituent"}

    class Meta:
        verbose_name = "双联系记录"
        verbose_name_plural = "双联系记录"
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["congress", "kind", "on"]),
            models.Index(fields=["deputy", "on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(people_reached__gte=1), name="contact_people_ge_1"),
            models.UniqueConstraint(
                fields=["recorded_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="contact_idempotency_per_recorder",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def title(self) -> str:
        return f"{self.place}（{self.get_way_display()}，{self.people_reached}人）"

    def get_absolute_url(self):
        return reverse("deputies:contact", args=[self.pk])
