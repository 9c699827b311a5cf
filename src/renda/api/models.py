"""Idempotency keys of the JSON API: a client that retries a write (a timeout, a lost
answer) sends the same `Idempotency-Key` and gets the first answer again, while the
write happened once."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_LIFETIME = timedelta(hours=24)


class IdempotencyKeyQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(created_at__lt=(now or timezone.now()) - KEY_LIFETIME)


class IdempotencyKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request = models.CharField("请求", max_length=300, help_text="method and path")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request's content")
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdempotencyKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self):
        return f"{self.key}（{self.request}）"
