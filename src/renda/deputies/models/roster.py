"""The roster over the term: each change of a deputy's mandate is a dated, append-only
`DeputyEvent` (当选, 补选, 辞职, 终止资格, 罢免, 调离, 调入). `Deputy.status`, `ended_date` and
`elected_date` (core) are kept consistent with the events by one service
(`renda.deputies.roster.record_event`), so that "deputies in office on a date" is a query on
the mandate alone (`roster.in_office`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DeputyEvent(models.Model):
    class Kind(models.TextChoices):
        ELECTED = "elected", "当选"
        BY_ELECTION = "by_election", "补选"
        RESIGNATION = "resignation", "辞职"
        TERMINATION = "termination", "终止资格"
        RECALL = "recall", "罢免"
        TRANSFER_OUT = "transfer_out", "调离"
        TRANSFER_IN = "transfer_in", "调入"

    # events that open a mandate, and those that end it (代表法 Art. 49: 调离本行政区域,
    # 辞职被接受, 被罢免 … end the mandate; 调入 moves a serving deputy to another delegation)
    OPENING = frozenset({Kind.ELECTED, Kind.BY_ELECTION})
    ENDING = frozenset({Kind.RESIGNATION, Kind.TERMINATION, Kind.RECALL, Kind.TRANSFER_OUT})

    deputy = models.ForeignKey("core.Deputy", verbose_name="代表资格", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("变动类型", max_length=16, choices=Kind.choices)
    date = models.DateField("日期", db_index=True)
    reference = models.CharField(
        "决定或依据", max_length=200, help_text="如：市人大常委会第十五次会议决定接受辞职，巴人常〔2019〕12号"
    )
    # 调入: where the deputy now belongs (the mandate's own fields are updated to them)
    delegation = models.ForeignKey(
        "core.Delegation", verbose_name="调入代表团", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "core.DeputyGroup",
        verbose_name="调入代表小组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "代表变动"
        verbose_name_plural = "代表变动"
        ordering = ["deputy", "date", "id"]
        constraints = [
            # at most one opening and one end per mandate, whatever path writes them
            models.UniqueConstraint(
                fields=["deputy"], condition=Q(kind__in=["elected", "by_election"]), name="deputy_event_one_opening"
            ),
            models.UniqueConstraint(
                fields=["deputy"],
                condition=Q(kind__in=["resignation", "termination", "recall", "transfer_out"]),
                name="deputy_event_one_end",
            ),
        ]

    def __str__(self):
        return f"{self.deputy.person.name}{self.get_kind_display()}（{self.date:%Y-%m-%d}）"

    @property
    def is_opening(self) -> bool:
        return self.kind in self.OPENING

    @property
    def is_ending(self) -> bool:
        return self.kind in self.ENDING

    def save(self, *args, **kwargs):
        # append-only: a wrong entry is answered by a later decision, never rewritten
        if not self._state.adding:
            raise ValidationError("代表变动记录一经登记不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("代表变动记录一经登记不能删除。")
