"""Deputy suggestions (代表建议、批评和意见): the most used workflow of the platform.

A `Suggestion` is a case (its state moves only through workflow.perform); co-signers,
the units it is assigned to, replies and evaluations are records beside it.
"""

from django.db import models
from django.utils import timezone

from renda.workflow.models import Case

CATEGORIES = [
    ("城乡建设", "城乡建设"),
    ("环境保护", "环境保护"),
    ("交通运输", "交通运输"),
    ("教育文体", "教育文体"),
    ("劳动和社会保障", "劳动和社会保障"),
    ("商贸旅游", "商贸旅游"),
    ("卫生计生", "卫生计生"),
    ("农牧水利", "农牧水利"),
    ("政法民政", "政法民政"),
    ("其他", "其他"),
]


class Suggestion(Case):
    term = models.ForeignKey("core.Term", verbose_name="届", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "core.PlenarySession",
        verbose_name="提出时的会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="大会期间提出的建议属于该次会议；闭会期间提出的为空",
    )
    lead_deputy = models.ForeignKey("core.Deputy", verbose_name="领衔代表", on_delete=models.PROTECT, related_name="+")
    content = models.TextField("内容")
    category = models.CharField("类别", max_length=20, choices=CATEGORIES)
    submitted_on = models.DateField("提出日期", null=True, blank=True, db_index=True)
    registered_on = models.DateField("立案日期", null=True, blank=True, db_index=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    sequence = models.PositiveIntegerField("序号", null=True, blank=True)
    published = models.BooleanField(
        "公开", default=True, help_text="建议及答复在门户网站公开（涉及秘密或隐私的不公开）"
    )
    key_supervision = models.BooleanField("重点督办", default=False)
    responsible_leader = models.CharField("督办领导", max_length=40, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name="并入", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    lead_unit = models.ForeignKey(
        "core.HandlingUnit", verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    suggested_category = models.CharField("系统建议类别", max_length=20, blank=True)
    suggested_unit = models.ForeignKey(
        "core.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="系统建议主办单位",
    )
    # made by the drafting form when opened: a draft the deputy's offline queue sends twice
    # (a lost answer) is stored once; unique per lead deputy (core/offline.py)
    idempotency_key = models.UUIDField("幂等键", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "代表建议"
        verbose_name_plural = "代表建议"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["congress", "state"]), models.Index(fields=["lead_unit", "state"])]
        constraints = [
            # the last guard behind renda.core.numbering: one 立案号 once per congress
            models.UniqueConstraint(
                fields=["congress", "number"], condition=~models.Q(number=""), name="suggestion_unique_number"
            ),
            models.UniqueConstraint(
                fields=["lead_deputy", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="suggestion_idempotency_per_lead",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def between_sessions(self) -> bool:
        return self.session_id is None


class CoSigner(models.Model):
    """附议代表: named by the lead deputy; each confirms before the suggestion goes in."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    deputy = models.ForeignKey("core.Deputy", on_delete=models.PROTECT, related_name="+")
    confirmed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "附议代表"
        verbose_name_plural = "附议代表"
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosign_once")]


class Assignment(models.Model):
    """A unit a suggestion is assigned to (交办): the lead unit (主办) or an assisting one
    (协办), with its signing, return and, for an assisting unit, its opinion."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        ASSISTING = "assisting", "协办"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("core.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    assigned_on = models.DateField()
    active = models.BooleanField(default=True, help_text="false once the unit returned it or was replaced")
    opinion = models.TextField("协办意见", blank=True)
    opinion_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "交办"
        verbose_name_plural = "交办"
        indexes = [models.Index(fields=["unit", "active"])]


class Reply(models.Model):
    class Category(models.TextChoices):
        A = "A", "A类：所提问题已经解决或者基本解决"
        B = "B", "B类：正在解决或者列入规划、计划逐步解决"
        C = "C", "C类：因目前条件限制或者其他原因需待以后解决"
        D = "D", "D类：留作参考"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey("core.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField()
    category = models.CharField("答复类别", max_length=1, choices=Category.choices)
    text = models.TextField("答复内容")
    signed_by = models.CharField("签发人", max_length=40)
    replied_on = models.DateField(db_index=True)
    on_time = models.BooleanField(default=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["round"]


class Evaluation(models.Model):
    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evaluations")
    deputy = models.ForeignKey("core.Deputy", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField()
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices)
    comment = models.TextField("意见", blank=True)
    evaluated_on = models.DateField(default=timezone.localdate, db_index=True)

    class Meta:
        verbose_name = "满意度测评"
        verbose_name_plural = "满意度测评"
        ordering = ["round"]


# the routing model's corrections and retraining log (a per-part file)
from .routing_models import RoutingCorrection, RoutingModelRecord  # noqa: E402, F401
