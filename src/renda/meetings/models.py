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
    """One item of the agenda of a sitting of the standing committee (or directors' meeting)
    or of a plenary session (人民代表大会会议): exactly one of `sitting` and `session` is set.
    Two nullable keys rather than a generic one: both stay real foreign keys (joins, cascades)
    and the check constraint keeps an item on one agenda."""

    sitting = models.ForeignKey(
        "core.CommitteeMeeting",
        verbose_name="会议",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    session = models.ForeignKey(
        "core.PlenarySession",
        verbose_name="人民代表大会会议",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_items",
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
            ),
            models.UniqueConstraint(
                fields=["session", "content_type", "object_id", "transition"], name="agenda_item_once_in_session"
            ),
            models.CheckConstraint(
                condition=models.Q(sitting__isnull=False, session__isnull=True)
                | models.Q(sitting__isnull=True, session__isnull=False),
                name="agenda_item_one_sitting",
            ),
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

    # a member at a standing committee sitting, or a deputy at a plenary session (exactly one)
    sitting = models.ForeignKey(
        "core.CommitteeMeeting",
        verbose_name="会议",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    session = models.ForeignKey(
        "core.PlenarySession",
        verbose_name="人民代表大会会议",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attendance",
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
        constraints = [
            models.UniqueConstraint(fields=["sitting", "person"], name="attendance_once"),
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once_in_session"),
            models.CheckConstraint(
                condition=models.Q(sitting__isnull=False, session__isnull=True)
                | models.Q(sitting__isnull=True, session__isnull=False),
                name="attendance_one_sitting",
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.get_status_display()}"


# ---------------------------------------------------------------- group deliberation (分组审议)


class DeliberationGroup(models.Model):
    """A group (第一组, 第二组…) into which the staff split the people of a standing committee
    sitting for deliberation: the serving members and the observers (列席)."""

    sitting = models.ForeignKey(
        "core.CommitteeMeeting", verbose_name="会议", on_delete=models.CASCADE, related_name="deliberation_groups"
    )
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("组名", max_length=20)
    convener = models.ForeignKey(
        "core.Person", verbose_name="召集人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "审议小组"
        verbose_name_plural = "审议小组"
        ordering = ["sitting", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "name"], name="deliberation_group_name_once")]

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    """One person in one group. The sitting is repeated here so that the database keeps every
    person in at most one group of a sitting."""

    sitting = models.ForeignKey("core.CommitteeMeeting", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(DeliberationGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("core.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "小组成员"
        verbose_name_plural = "小组成员"
        ordering = ["group", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "person"], name="group_member_one_group")]

    def __str__(self):
        return f"{self.group}：{self.person}"


class Speech(models.Model):
    """审议发言: what one person said at a sitting (on an agenda item, in a group, both
    optional) or, for a supervision item deliberated outside a sitting, on the case alone;
    recorded by the staff or by the speaker; circulated (印发/通报) once `circulated_at` is set:
    to the sitting's people, and to the organ or department of the case spoken on.

    The one speech model of the platform (supervision's 审议发言 live here too). `case` is the
    case spoken on; when the speech is on an agenda item that names a case, the two agree
    (the services set one from the other)."""

    sitting = models.ForeignKey(
        "core.CommitteeMeeting",
        verbose_name="会议",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="speeches",
        help_text="在会外审议的监督事项可不指定会议",
    )
    item = models.ForeignKey(
        AgendaItem, verbose_name="议题", null=True, blank=True, on_delete=models.SET_NULL, related_name="speeches"
    )
    group = models.ForeignKey(
        DeliberationGroup,
        verbose_name="小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speeches",
    )
    # the case spoken on (a supervision item, a bill …), like AgendaItem's key
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    case = GenericForeignKey("content_type", "object_id")
    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    speaker = models.ForeignKey("core.Person", verbose_name="发言人", on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(
        "core.Deputy",
        verbose_name="代表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="发言人以列席代表身份发言时的代表资格",
    )
    spoken_on = models.DateField("发言日期", default=timezone.localdate)
    text = models.TextField("发言内容")
    # null only on speeches carried over from supervision's records without a recorder
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    circulated_at = models.DateTimeField("印发时间", null=True, blank=True)

    class Meta:
        verbose_name = "审议发言"
        verbose_name_plural = "审议发言"
        ordering = ["sitting", "recorded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="speech_case")]

    def __str__(self):
        return f"{self.speaker}的发言"
