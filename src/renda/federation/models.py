"""三级联网: the peers an instance exchanges signed messages with, its outbox and its inbox.

Outbox: a message is written in the same transaction as the change it reports (the
outbox pattern), numbered per peer 1, 2, 3 … without gaps, and delivered in that order
until the peer acknowledges it. Inbox: what peers sent us, one row per accepted
message, in their order; never changed afterwards. See docs/federation.md.
"""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models

code_validator = RegexValidator(r"^\d{12}$", "区划代码应为12位数字。")


class Peer(models.Model):
    class Direction(models.TextChoices):
        UP = "up", "上级（本级向其报送）"
        DOWN = "down", "下级（向本级报送）"

    code = models.CharField("区划代码", max_length=12, validators=[code_validator])
    name = models.CharField("名称", max_length=80, help_text="如：内蒙古自治区人大常委会")
    direction = models.CharField("方向", max_length=4, choices=Direction.choices)
    base_url = models.URLField("接口地址", blank=True, help_text="上级实例的地址，如 https://rd.nmg.example.cn")
    public_key = models.CharField(
        "公钥",
        max_length=64,
        blank=True,
        help_text="对方实例的 Ed25519 公钥（base64，32字节）：验证下级的消息、上级的确认回执",
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    # A delivery run holds the peer until then, so that two workers never send its
    # queue at the same time (the periodic job, the immediate job, the command).
    delivering_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "联网节点"
        verbose_name_plural = "联网节点"
        ordering = ["direction", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "direction"], name="peer_unique_code_direction")]

    def __str__(self):
        return f"{self.name}（{self.code}，{self.get_direction_display()}）"


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待送达"
        ACKED = "acked", "已确认"

    peer = models.ForeignKey(Peer, verbose_name="接收节点", on_delete=models.PROTECT, related_name="outbox")
    sequence = models.PositiveBigIntegerField("序号")
    message_id = models.UUIDField("消息标识", default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("类型", max_length=40)
    subject = models.CharField("对象", max_length=80, help_text="如 filing:42", db_index=True)
    body = models.JSONField("内容")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField("发送次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    acked_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "待报送消息"
        verbose_name_plural = "待报送消息"
        ordering = ["peer", "sequence"]
        constraints = [models.UniqueConstraint(fields=["peer", "sequence"], name="outbound_unique_sequence")]
        indexes = [models.Index(fields=["peer", "status", "sequence"])]

    def __str__(self):
        return f"#{self.sequence} {self.kind} {self.subject}"


class InboundMessage(models.Model):
    """An accepted message. Append-only: the model refuses updates and deletes."""

    sender = models.CharField("发送方（区划代码）", max_length=12)
    recipient = models.CharField("接收方（区划代码）", max_length=12)
    sequence = models.PositiveBigIntegerField("序号")
    message_id = models.UUIDField("消息标识")
    kind = models.CharField("类型", max_length=40)
    body = models.JSONField("内容")
    sent_at = models.CharField("发送时间", max_length=40)
    signature = models.CharField("签名", max_length=100)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    applied = models.BooleanField(
        "已处理", default=False, help_text="否：本实例不认识该消息类型，仅存档（不阻塞后续消息）"
    )

    class Meta:
        verbose_name = "收到的消息"
        verbose_name_plural = "收到的消息"
        ordering = ["sender", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "sequence"], name="inbound_unique_sequence"),
            models.UniqueConstraint(fields=["sender", "message_id"], name="inbound_unique_message"),
        ]

    def __str__(self):
        return f"{self.sender} #{self.sequence} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("收到的消息不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("收到的消息不可删除。")
