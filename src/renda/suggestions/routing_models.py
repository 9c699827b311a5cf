"""Records of the routing model (renda.suggestions.routing): the corrections staff and deputies
make to its proposals, and the log of every retraining decision.

- `RoutingCorrection`: "proposed X, chosen Y" for one text, from a suggestion (登记 category,
  交办 lead unit) or a 码上见代表 message (the category of the suggestion it became, the unit it
  was referred to). Only real corrections are kept (a proposal existed and differs). The next
  retraining learns from them (newest first held back to test the candidate).
- `RoutingModelRecord`: each retraining's comparison of the candidate with the model in use on
  the held-back slice (both macro-F1 scores, sizes, the decision)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

KINDS = [("category", "类别"), ("unit", "主办单位")]


class RoutingCorrection(models.Model):
    class Source(models.TextChoices):
        SUGGESTION = "suggestion", "代表建议"
        MESSAGE = "message", "码上见代表留言"

    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("内容", max_length=10, choices=KINDS)
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    object_id = models.PositiveBigIntegerField("来源记录")
    text = models.TextField("文本")
    proposed = models.CharField("系统建议", max_length=40)
    corrected = models.CharField("更正为", max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("更正时间", default=timezone.now, db_index=True)

    class Meta:
        app_label = "suggestions"
        verbose_name = verbose_name_plural = "分类分办更正"
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.proposed} → {self.corrected}"


class RoutingModelRecord(models.Model):
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("内容", max_length=10, choices=KINDS)
    decided_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    current_f1 = models.FloatField("现有模型 macro-F1", null=True, blank=True)
    candidate_f1 = models.FloatField("候选模型 macro-F1", null=True, blank=True)
    n_train = models.PositiveIntegerField("训练条数")
    n_heldback = models.PositiveIntegerField("留出条数")
    n_corrections = models.PositiveIntegerField("更正条数")
    n_corrections_held = models.PositiveIntegerField("留出的更正条数")
    replaced = models.BooleanField("已替换")
    reason = models.CharField("说明", max_length=60)
    seconds = models.FloatField("用时（秒）")

    class Meta:
        app_label = "suggestions"
        verbose_name = verbose_name_plural = "分类分办模型训练记录"
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.congress} {self.get_kind_display()} {'替换' if self.replaced else '保留'}"
