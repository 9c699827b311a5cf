"""Case events, deadlines and the working-day calendar.

A case is any model that inherits `Case`. Its state changes only through
`workflow.engine.perform`, which appends an `Event` in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from renda.core import clock


class StateChangeOutsideTransition(Exception):
    pass


class Case(models.Model):
    """Abstract base of every case (suggestion, filing, bill, problem item ...)."""

    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=32, db_index=True, editable=False)
    number = models.CharField("编号", max_length=40, blank=True, db_index=True)
    title = models.CharField("标题", max_length=200)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Set by each concrete class: the key of its CaseType in workflow.registry.
    case_type_key: str = ""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._persisted_state = instance.__dict__.get("state")
        return instance

    def save(self, *args, **kwargs):
        from .registry import case_type_of

        persisted = getattr(self, "_persisted_state", None)
        if self._state.adding and (at := clock.dated_at()):  # entered after the fact
            self.created_at = at
        if self._state.adding and not self.state:
            self.state = case_type_of(self).initial
        elif (
            self._state.adding
            and self.state != case_type_of(self).initial
            and not getattr(self, "_in_transition", False)
        ):
            raise StateChangeOutsideTransition("新建案件必须处于初始状态。")
        elif not self._state.adding and not getattr(self, "_in_transition", False):
            if self.state != persisted:
                raise StateChangeOutsideTransition("案件状态只能通过流程操作改变。")
            # An ordinary save never writes the state column: a copy loaded before a
            # transition must not put the old state back.
            fields = kwargs.get("update_fields")
            if fields is None:
                fields = [f.name for f in self._meta.concrete_fields if not f.primary_key]
            kwargs["update_fields"] = [f for f in fields if f != "state"]
        super().save(*args, **kwargs)
        self._persisted_state = self.state

    @property
    def case_type(self):
        from .registry import case_type_of

        return case_type_of(self)

    @property
    def state_label(self) -> str:
        return self.case_type.state(self.state).label

    def get_absolute_url(self) -> str:
        case_type = self.case_type
        return case_type.url(self) if case_type.url else ""

    def events(self):
        return Event.objects.for_case(self)

    def deadlines(self):
        return Deadline.objects.for_case(self)


class CaseQuerySet(models.QuerySet):
    def for_case(self, case):
        return self.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)


class Event(models.Model):
    """One performed transition. Append-only: the model and database triggers refuse
    updates and deletes (see the migration)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    case_type = models.CharField(max_length=40, db_index=True)
    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField()
    transition = models.CharField(max_length=40)
    transition_label = models.CharField(max_length=40)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=120)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "流程事件"
        verbose_name_plural = "流程事件"
        ordering = ["content_type", "object_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "sequence"], name="event_unique_sequence")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.transition_label}（{self.actor_label}）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("流程事件不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("流程事件不可删除。")


def attachment_path(instance, filename):
    from renda.core.uploads import stored_name

    return f"attachments/{instance.event.at:%Y/%m}/{instance.event_id}/{stored_name(filename)}"


class EventAttachment(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    @property
    def download_url(self) -> str:
        from renda.core.downloads import download_url

        return download_url(self)


class DeadlineQuerySet(CaseQuerySet):
    def running(self):
        return self.filter(status=Deadline.Status.RUNNING)

    def running_for_outer(self, model):
        """Running clocks of the `model` row of an outer query (for Subquery annotations
        on list pages: one subquery, not one query per row)."""
        from django.db.models import OuterRef

        return self.running().filter(content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"))

    def overdue(self, today=None):
        return self.running().filter(due_on__lt=today or timezone.localdate())

    def due_within(self, days: int, today=None):
        today = today or timezone.localdate()
        return self.running().filter(due_on__gte=today, due_on__lte=today + timezone.timedelta(days=days))


class Deadline(models.Model):
    """A clock that a transition started. "Due soon" and "overdue" are queries on it."""

    class Status(models.TextChoices):
        RUNNING = "running", "计时中"
        PAUSED = "paused", "已暂停"
        STOPPED = "stopped", "已结束"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    case_type = models.CharField(max_length=40, db_index=True)
    congress = models.ForeignKey("core.Congress", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=60)
    rule = models.CharField("规则", max_length=60)
    citation = models.CharField("依据", max_length=200, blank=True)
    # Who must act before the deadline: a handling unit, if any (for its inbox and reminders).
    handling_unit = models.ForeignKey(
        "core.HandlingUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField()
    due_on = models.DateField(db_index=True)
    original_due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING, db_index=True)
    paused_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return f"{self.label}：{self.due_on:%Y年%m月%d日}"


class DeadlineExtension(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="extensions")
    previous_due_on = models.DateField()
    new_due_on = models.DateField()
    reason = models.CharField("延期理由", max_length=200)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"
        ordering = ["at"]


class CalendarDay(models.Model):
    """An official holiday or make-up working day that overrides the calendar library
    (for years the library does not cover yet: the State Council publishes each year's
    arrangement in the autumn before)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=40, blank=True)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y年%m月%d日} {'上班' if self.is_workday else '放假'} {self.name}"


class Participation(models.Model):
    """Who took part in what, in what capacity: one person (and the deputy mandate, when
    they took part as a deputy) on one case or record. A deputy's archive (履职档案) is a
    query over these rows, not a join of every module's tables. The record's title and
    URL are kept at recording time so that a list of them costs one query."""

    class Capacity(models.TextChoices):
        AUTHOR = "author", "领衔提出"
        COSIGNER = "cosigner", "附议"
        MEMBER = "member", "成员"
        DEPUTY = "deputy", "代表"
        OBSERVER = "observer", "列席"
        INSPECTOR = "inspector", "检查组成员"
        SPEAKER = "speaker", "发言"
        VOTER = "voter", "参加表决"
        TRAINEE = "trainee", "参训"
        EXPERT = "expert", "专家"
        OATH = "oath", "宪法宣誓"
        CONTACT = "contact", "联系群众"  # deputies.ContactRecord (代表联系群众)
        VISITED = "visited", "接受走访"  # deputies.ContactRecord (委员联系代表)
        STATION = "station", "进站接待"  # deputies.Reception: the deputies on duty that day
        REPORT_BACK = "report_back", "述职"  # deputies.ReportBack (向原选举单位述职)

    person = models.ForeignKey(
        "core.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="participations"
    )
    deputy = models.ForeignKey(
        "core.Deputy",
        verbose_name="代表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        help_text="以代表身份参加时的代表资格",
    )
    capacity = models.CharField("身份", max_length=12, choices=Capacity.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    event = models.ForeignKey(
        Event, verbose_name="流程事件", null=True, blank=True, on_delete=models.PROTECT, related_name="participations"
    )
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("日期", db_index=True)
    label = models.CharField("事项", max_length=200)
    url = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "参与记录"
        verbose_name_plural = "参与记录"
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "person", "capacity"], name="participation_once"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["person", "on"]),
            models.Index(fields=["deputy", "on"]),
        ]

    def __str__(self):
        return f"{self.person.name}（{self.get_capacity_display()}）：{self.label}"


class Link(models.Model):
    """A record (any) linked to a case with a kind: 决定, 涉及, 源于, 跟踪. Read from either
    end (`workflow.links.links_of`), the other end named by the inverse phrase."""

    class Kind(models.TextChoices):
        DECIDES = "decides", "决定"
        CONCERNS = "concerns", "涉及"
        ARISES_FROM = "arises_from", "源于"
        FOLLOWS_UP = "follows_up", "跟踪"
        LEADS_TO = "leads_to", "引出"

    # how each end names the other: "…" stands for it
    PHRASES = {
        Kind.DECIDES: ("决定…", "由…决定"),
        Kind.CONCERNS: ("涉及…", "为…所涉及"),
        Kind.ARISES_FROM: ("源于…", "引出…"),
        Kind.FOLLOWS_UP: ("跟踪…", "由…跟踪"),
        # a contact record's matter that became a suggestion: the suggestion 源于 the contact
        Kind.LEADS_TO: ("引出…", "源于…"),
    }

    from_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    from_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("from_type", "from_id")
    to_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    to_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("to_type", "to_id")
    kind = models.CharField("关联类型", max_length=12, choices=Kind.choices)
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "关联"
        verbose_name_plural = "关联"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["from_type", "from_id", "to_type", "to_id", "kind"], name="link_once")
        ]
        indexes = [models.Index(fields=["from_type", "from_id"]), models.Index(fields=["to_type", "to_id"])]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.from_type_id}:{self.from_id} → {self.to_type_id}:{self.to_id}）"


from .documents import Document, DocumentVersion  # noqa: E402,F401  (versioned documents of cases and records)
