"""The legislative programme and annual plan (立法规划、年度立法计划, issue 13 item 1): the needs
collected (立法项目建议) from the government, deputies, the committees and the public, their
appraisal (立项论证), and the plan with its items, adopted by the directors' meeting and published.

A need is a case (received → accepted into a plan or refused with a reason) and a public
submission (receipt code, contact: core/intake.py). The plan is a case (drafting → adopted →
published, adjusted with a reason). A plan item is a plain record of its plan; the bill it
starts is linked to it with workflow.Link (涉及), never a second pointer."""

from django.conf import settings
from django.db import models

from renda.core import clock
from renda.core.intake import PublicSubmission
from renda.workflow.models import Case
from renda.workflow.plans import AdoptedPlan

from .models import Bill


class LegislativePlan(AdoptedPlan):
    """年度立法计划 (one year) or 五年立法规划 (a term's programme, `year` its first year); the
    adopted plan of workflow/plans.py with a kind."""

    class Kind(models.TextChoices):
        PLAN = "plan", "年度立法计划"
        PROGRAMME = "programme", "五年立法规划"

    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.PLAN)
    year = models.PositiveSmallIntegerField("年度（规划为起始年度）")

    case_type_key = "legislative_plan"

    class Meta(AdoptedPlan.Meta):
        verbose_name = "立法计划"
        verbose_name_plural = "立法计划"
        constraints = [
            models.UniqueConstraint(fields=["congress", "kind", "year"], name="legislative_plan_once_a_year")
        ]

    @property
    def period_label(self) -> str:
        return f"{self.year}—{self.year + 4}年" if self.kind == self.Kind.PROGRAMME else f"{self.year}年度"


class LegislativeNeed(PublicSubmission, Case):
    """立法项目建议: a regulation asked for, with its reason and the area it falls in (LEG-1)."""

    class Source(models.TextChoices):
        GOVERNMENT = "government", "政府提出"
        DEPUTY = "deputy", "代表议案、建议"
        COMMITTEE = "committee", "专门委员会、工作委员会"
        PUBLIC = "public", "公众建议"

    source = models.CharField("来源", max_length=12, choices=Source.choices)
    proposer = models.CharField("建议人", max_length=80, blank=True)
    unit = models.ForeignKey(
        "core.HandlingUnit", verbose_name="提出单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey(
        "core.Body", verbose_name="提出的委员会", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("立法的必要性和主要内容")
    area = models.CharField("立法事项范围", max_length=12, choices=Bill.Area.choices)
    area_basis = models.CharField("法律授权依据", max_length=200, blank=True)
    decided_on = models.DateField("论证日期", null=True, blank=True)

    case_type_key = "legislative_need"
    personal_fields = {"proposer", "contact"}

    class Meta:
        verbose_name = "立法项目建议"
        verbose_name_plural = "立法项目建议"
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["congress", "state"])]

    def __str__(self):
        return self.title


class PlanItem(models.Model):
    """A project of the plan: 正式项目 (to be submitted this year), 预备项目 (may be, when ready),
    调研项目 (studied this year)."""

    class Category(models.TextChoices):
        FORMAL = "formal", "正式项目"
        PREPARATORY = "preparatory", "预备项目"
        RESEARCH = "research", "调研项目"

    plan = models.ForeignKey(LegislativePlan, verbose_name="立法计划", on_delete=models.PROTECT, related_name="items")
    need = models.ForeignKey(
        LegislativeNeed,
        verbose_name="立法项目建议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    title = models.CharField("项目名称", max_length=200)
    category = models.CharField("项目类别", max_length=12, choices=Category.choices)
    area = models.CharField("立法事项范围", max_length=12, choices=Bill.Area.choices)
    area_basis = models.CharField("法律授权依据", max_length=200, blank=True)
    drafter = models.CharField("起草单位", max_length=100)
    sitting = models.ForeignKey(
        "core.CommitteeMeeting",
        verbose_name="拟提请审议的会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_month = models.PositiveSmallIntegerField("拟提请审议月份", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("列入时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "立法计划项目"
        verbose_name_plural = "立法计划项目"
        ordering = ["plan", "category", "id"]

    def __str__(self):
        return self.title

    @property
    def congress_id(self):
        return self.plan.congress_id
