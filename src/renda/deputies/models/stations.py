"""Liaison stations (人大代表之家、代表联络站) and 码上见代表.

A station belongs to a congress and sits in a township or street; deputies are on duty there
by a schedule (a date, or a weekday every week) and the staff record each reception day. A
QR code per deputy and per station (`MeetCode`: an unguessable token, never the pk) opens a
public page where a constituent leaves a message (`MeetMessage`, a `core.intake`
PublicSubmission: receipt code, encrypted contact). The deputy or the station's staff answer
it, or convert it to a suggestion draft (traced by a workflow.Link) or refer it to a unit."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from renda.core.fields import EncryptedCharField
from renda.core.intake import PublicSubmission

WEEKDAYS = [(0, "星期一"), (1, "星期二"), (2, "星期三"), (3, "星期四"), (4, "星期五"), (5, "星期六"), (6, "星期日")]


class LiaisonStation(models.Model):
    class Kind(models.TextChoices):
        HOME = "home", "人大代表之家"
        STATION = "station", "代表联络站"

    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.STATION)
    # the township's congress when it is in the tree; else the township/street as text
    area = models.ForeignKey(
        "core.Congress",
        verbose_name="所在乡镇（人大）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.CharField("所在乡镇（街道）", max_length=60, blank=True)
    address = models.CharField("地址", max_length=200)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "代表联络站"
        verbose_name_plural = "代表联络站"
        ordering = ["congress", "name"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="station_name_unique")]

    def __str__(self):
        return self.name

    @property
    def place(self) -> str:
        return self.township or (self.area.region if self.area_id else "")

    def clean(self):
        if not self.township and not self.area_id:
            raise ValidationError({"township": "请填写所在乡镇（街道），或选择所在乡镇人大。"})

    def get_absolute_url(self):
        return reverse("deputies:station", args=[self.pk])


class StationDuty(models.Model):
    """A deputy on duty at a station: on one date, or on a weekday every week."""

    station = models.ForeignKey(LiaisonStation, verbose_name="联络站", on_delete=models.CASCADE, related_name="duties")
    deputy = models.ForeignKey("core.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("日期", null=True, blank=True)
    weekday = models.PositiveSmallIntegerField("每周", null=True, blank=True, choices=WEEKDAYS)

    class Meta:
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        ordering = ["weekday", "on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(on__isnull=False, weekday__isnull=True)
                | models.Q(on__isnull=True, weekday__isnull=False),
                name="duty_date_or_weekday",
            )
        ]

    def __str__(self):
        return f"{self.when}：{self.deputy}"

    @property
    def when(self) -> str:
        return f"每{self.get_weekday_display()}" if self.weekday is not None else f"{self.on:%Y年%m月%d日}"

    def clean(self):
        if (self.on is None) == (self.weekday is None):
            raise ValidationError({"on": "请填写值班日期或选择每周的值班日（二者选一）。"})


class Reception(models.Model):
    """A reception day (接待日) at a station: who was there, how many came, what they raised."""

    station = models.ForeignKey(
        LiaisonStation, verbose_name="联络站", on_delete=models.PROTECT, related_name="receptions"
    )
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("接待日期", db_index=True)
    deputies = models.ManyToManyField("core.Deputy", verbose_name="到站代表", related_name="+")
    visitors = models.PositiveIntegerField("接待群众人数", default=0)
    matters = models.TextField("反映的问题", max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "接待日"
        verbose_name_plural = "接待日"
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.station} {self.on:%Y-%m-%d} 接待日"

    def get_absolute_url(self):
        return reverse("deputies:station", args=[self.station_id])


def new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 bits: the code's URL cannot be guessed from a pk


class MeetCode(models.Model):
    """The token behind a printed QR code (码上见代表): of a deputy or of a station."""

    # the token is the key: nothing else (no counter) names a code in a URL
    token = models.CharField(max_length=32, primary_key=True, default=new_token, editable=False)
    deputy = models.OneToOneField(
        "core.Deputy", null=True, blank=True, on_delete=models.CASCADE, related_name="meet_code"
    )
    station = models.OneToOneField(
        LiaisonStation, null=True, blank=True, on_delete=models.CASCADE, related_name="meet_code"
    )

    class Meta:
        verbose_name = "码上见代表二维码"
        verbose_name_plural = "码上见代表二维码"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deputy__isnull=False, station__isnull=True)
                | models.Q(deputy__isnull=True, station__isnull=False),
                name="meet_code_one_owner",
            )
        ]

    def __str__(self):
        return str(self.deputy or self.station)

    def get_absolute_url(self):
        return reverse("deputies_public:meet", args=[self.token])


class MeetMessage(PublicSubmission):
    """A constituent's message left through a code (群众留言)."""

    class State(models.TextChoices):
        NEW = "new", "待答复"
        ANSWERED = "answered", "已答复"
        SUGGESTION = "suggestion", "已转为代表建议"
        REFERRED = "referred", "已转交有关单位"

    # the receiver: the deputy of the code, or the station (its staff answer)
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(
        "core.Deputy", verbose_name="代表", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        LiaisonStation, verbose_name="联络站", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("留言内容", max_length=2000)
    name = EncryptedCharField("姓名", max_length=40, blank=True, mask="name")
    # optional here (the brief: a constituent may stay anonymous); the receipt alone then finds it
    contact = EncryptedCharField("联系电话", max_length=80, blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.NEW, db_index=True)
    answer = models.TextField("答复", max_length=2000, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the routing model's suggestion (renda.suggestions.routing), kept for whoever answers
    proposed_category = models.CharField("系统建议类别", max_length=20, blank=True)
    proposed_unit = models.ForeignKey(
        "core.HandlingUnit",
        verbose_name="系统建议单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "core.HandlingUnit",
        verbose_name="转交单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    personal_fields = {"contact", "name"}
    erasable_fields = ("contact", "name")
    closed_at_field = "answered_at"  # the retention period runs from the answer (core.personal)

    class Meta:
        verbose_name = "群众留言"
        verbose_name_plural = "群众留言"
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["deputy", "state"]), models.Index(fields=["congress", "state"])]

    def __str__(self):
        return f"群众留言 {self.receipt}"

    @property
    def receiver(self) -> str:
        return str(self.deputy.person.name if self.deputy_id else self.station)

    @property
    def summary(self) -> str:
        return self.text[:30] + ("…" if len(self.text) > 30 else "")

    def contact_matches(self, tail: str) -> bool:
        # left without a telephone: the receipt (50 bits) is the only secret
        if not self.contact:
            return not (tail or "").strip()
        return super().contact_matches(tail)

    def get_absolute_url(self):
        return reverse("deputies:message", args=[self.pk])
