"""The agenda and the attendance of a sitting (issue 14 items 1–2).

The sitting itself is `core.CommitteeMeeting` (no second sitting table). An agenda item names
the case it decides by content type and id (a generic key, like `workflow.Link`) rather than a
`Link` of a new kind: the item carries what a link has no place for (its order, the act due at
the sitting, the materials' due date), and one row per item keeps reordering and removing to a
single write. Observers (列席) are `workflow.Participation` rows on the sitting, not rows here,
so that a deputy's archive counts them."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AgendaItem(models.Model):
    sitting = models.ForeignKey(
        "core.CommitteeMeeting", verbose_name="会议", on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("议题", max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    case_type = models.CharField("案件类型", max_length=40)
    transition = models.CharField("会议上的操作", max_length=40)
    materials_due = models.DateField("材料报送截止日期")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "议程事项"
        verbose_name_plural = "议程事项"
        ordering = ["sitting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "content_type", "object_id", "transition"], name="agenda_item_once"
            )
        ]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """One member of the committee at one sitting: present, on leave (requested with a reason,
    approved by the staff) or absent."""

    class Status(models.TextChoices):
        PRESENT = "present", "出席"
        LEAVE_REQUESTED = "leave_requested", "请假待批准"
        ON_LEAVE = "on_leave", "请假"
        ABSENT = "absent", "缺席"

    sitting = models.ForeignKey(
        "core.CommitteeMeeting", verbose_name="会议", on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey("core.Person", verbose_name="组成人员", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("出席情况", max_length=20, choices=Status.choices)
    remote = models.BooleanField("视频参会", default=False)  # joined the sitting's video room (meetings.video)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    leave_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leave_approved_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "出席情况"
        verbose_name_plural = "出席情况"
        ordering = ["sitting", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "person"], name="attendance_once")]

    def __str__(self):
        return f"{self.person} {self.get_status_display()}"
