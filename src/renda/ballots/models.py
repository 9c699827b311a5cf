"""Ballots: one mechanism for every vote of the platform (表决, 票决, 满意度测评).

    Ballot ── BallotOption (what one may choose: 赞成/反对/弃权, or candidates)
          └─ Voter (the roll: who may vote) ── Cast (the voter has voted; one per voter, a unique constraint)
    SealedPaper   a secret ballot's paper while the ballot is open: encrypted, no voter (the ballot box)
    SecretChoice  the choices of a secret ballot, written at close: no voter, no time, random ids (unlinkable)
    NamedChoice   the choices of a named ballot, recorded with the voter's cast

Cast ballots and choices are append-only: the models refuse update and delete, and
database triggers (migration 0002) do the same for raw SQL. The ballot box is not the
record: closing the ballot empties it. Results are always counted from these rows
(services.tally); no number is stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from . import rules_of_vote


class StateChangeOutsideService(Exception):
    pass


def random_id() -> int:
    return secrets.randbits(62) + 1


class RandomIdField(models.BigIntegerField):
    """A random 62-bit primary key. On SQLite it is declared INTEGER so that it becomes
    the rowid: the table is stored in key order, i.e. in random order, and no hidden
    rowid keeps the order in which the rows were inserted."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", random_id)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class Ballot(models.Model):
    class Kind(models.TextChoices):
        SECRET = "secret", "无记名投票"
        NAMED = "named", "记名投票"

    class State(models.TextChoices):
        DRAFT = "draft", "未开始"
        OPEN = "open", "投票中"
        CLOSED = "closed", "已结束"

    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("表决事项", max_length=200)
    # What is voted on: a case (an appointment, a work report …) or any record.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField("投票方式", max_length=10, choices=Kind.choices, default=Kind.SECRET)
    rule = models.CharField("表决规则", max_length=40)  # a key of rules_of_vote.PASS_RULES
    rule_params = models.JSONField("规则参数", default=dict, blank=True)
    max_choices = models.PositiveSmallIntegerField("每票最多选择", default=1)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT, editable=False)
    published = models.BooleanField("结果公开", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    opened_at = models.DateTimeField("开始时间", null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "表决"
        verbose_name_plural = "表决"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_choices__gte=1), name="ballot_max_choices_positive"),
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | models.Q(state="open", opened_at__isnull=False)
                | models.Q(state="closed", opened_at__isnull=False, closed_at__isnull=False),
                name="ballot_state_times",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._persisted_state = instance.__dict__.get("state")
        return instance

    def save(self, *args, **kwargs):
        # The state moves only through services.open_ballot / close_ballot.
        persisted = getattr(self, "_persisted_state", Ballot.State.DRAFT)
        if self.state != persisted and not getattr(self, "_in_service", False):
            raise StateChangeOutsideService("表决状态只能通过开始、结束表决改变。")
        super().save(*args, **kwargs)
        self._persisted_state = self.state

    @property
    def pass_rule(self) -> rules_of_vote.PassRule:
        return rules_of_vote.get(self.rule)

    @property
    def mode(self) -> str:
        return self.pass_rule.mode

    @property
    def is_secret(self) -> bool:
        return self.kind == Ballot.Kind.SECRET


class BallotOption(models.Model):
    class Position(models.TextChoices):
        FOR = rules_of_vote.FOR, "赞成"
        AGAINST = rules_of_vote.AGAINST, "反对"
        ABSTAIN = rules_of_vote.ABSTAIN, "弃权"
        CANDIDATE = "", "候选项"

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="options", verbose_name="表决")
    label = models.CharField("选项", max_length=200)
    order = models.PositiveSmallIntegerField("顺序")
    position = models.CharField("计为", max_length=10, choices=Position.choices, blank=True)
    # The record an option stands for (a candidate project, an appointee …).
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = "表决选项"
        verbose_name_plural = "表决选项"
        ordering = ["ballot", "order"]
        constraints = [models.UniqueConstraint(fields=["ballot", "order"], name="ballot_option_unique_order")]

    def __str__(self):
        return self.label


class Voter(models.Model):
    """One line of the roll: who may vote in a ballot, and as whom."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="voters", verbose_name="表决")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="账号")
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="人员"
    )
    deputy = models.ForeignKey(
        "core.Deputy", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="代表资格"
    )
    present = models.BooleanField("出席", default=False)

    class Meta:
        verbose_name = "投票人"
        verbose_name_plural = "投票人"
        ordering = ["ballot", "id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "user"], name="voter_once_per_ballot")]

    def __str__(self):
        return str(self.person or self.user)


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("已投出的选票不可修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("已投出的选票不可删除。")


class Cast(AppendOnly):
    """The voter has voted. One per voter, by a unique constraint (OneToOne). For a
    secret ballot it says nothing about the choice: SecretChoice has no link to it."""

    voter = models.OneToOneField(Voter, on_delete=models.PROTECT, related_name="cast", verbose_name="投票人")
    idempotency_key = models.CharField("幂等键", max_length=100)
    cast_at = models.DateTimeField("投票时间", default=timezone.now)

    class Meta:
        verbose_name = "投票记录"
        verbose_name_plural = "投票记录"


class SecretChoice(AppendOnly):
    """One choice on one paper of a secret ballot. No voter, no time; the id and the
    paper are random, so neither the columns nor the storage order follow the order in
    which voters voted. A blank paper is one row without option."""

    id = RandomIdField(primary_key=True)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    paper = models.BigIntegerField(default=random_id)
    option = models.ForeignKey(BallotOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "无记名选票"
        verbose_name_plural = "无记名选票"
        indexes = [models.Index(fields=["ballot", "option"])]


class SealedPaper(models.Model):
    """A secret ballot's paper in the ballot box, while the ballot is open: its choices
    sealed with the ballot's key (sealing.py), no voter, no time, a random id. It is
    written in the voter's Cast transaction, so on PostgreSQL it shares that row's xmin:
    what a reader of the database links to a voter is a sealed paper, never a choice.
    close_ballot opens the box, writes the SecretChoice rows in a random order in its own
    transaction and deletes the papers."""

    id = RandomIdField(primary_key=True)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = "密封选票"
        verbose_name_plural = "密封选票"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("已投出的选票不可修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)


class NamedChoice(AppendOnly):
    """One choice of a named ballot, with the voter's cast. A blank paper is one row without option."""

    cast = models.ForeignKey(Cast, on_delete=models.PROTECT, related_name="choices")
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(BallotOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "记名选票"
        verbose_name_plural = "记名选票"
        indexes = [models.Index(fields=["ballot", "option"])]
