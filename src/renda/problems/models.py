"""The platform's one problem ledger (问题清单台账).

A `ProblemList` (问题清单) gathers the problems found by one source case — a report's
deliberation, an inspection, an inquiry's promises, later budget warnings and livelihood
projects — under the body in charge of supervising them. Its source is a `workflow.Link`
(源于) from the list to the case; `source_type`/`source_id` repeat it on the row so that the
ledger filters and groups by source in SQL.

A `ProblemItem` (问题) is a case (`problem_item`): the responsible unit rectifies it by a
deadline, reports progress, asks for closure (销号) with evidence; the body in charge
accepts or returns it, and re-checks it after closure. Any module opens items through
`problems.services.open_problem(source, …)`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from renda.workflow.models import Case


class ProblemList(models.Model):
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("清单名称", max_length=200)
    body = models.ForeignKey("core.Body", verbose_name="负责督办的机构", on_delete=models.PROTECT, related_name="+")
    # the source case (also a workflow.Link 源于): kept here for the ledger's filters
    source_type = models.ForeignKey(ContentType, verbose_name="来源类型", on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField("来源编号")
    source = GenericForeignKey("source_type", "source_id")
    created_on = models.DateField("建立日期", db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "问题清单"
        verbose_name_plural = "问题清单"
        ordering = ["-created_on", "-id"]
        constraints = [
            # one list per source: every module that opens items on a case adds to the same list
            models.UniqueConstraint(fields=["source_type", "source_id"], name="problemlist_one_per_source")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return f"/work/problems/lists/{self.pk}/"


class ProblemItem(Case):
    case_type_key = "problem_item"

    problem_list = models.ForeignKey(
        ProblemList, verbose_name="问题清单", on_delete=models.PROTECT, related_name="items"
    )
    body = models.ForeignKey("core.Body", verbose_name="负责督办的机构", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "core.HandlingUnit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="problem_items"
    )
    measures = models.TextField("整改措施", blank=True)
    due_on = models.DateField("整改期限", db_index=True)
    listed_on = models.DateField("列入日期", db_index=True)
    closed_on = models.DateField("销号日期", null=True, blank=True, db_index=True)
    # 问〔year〕sequence号, from core.numbering ("problems.item" per congress and year)
    year = models.PositiveSmallIntegerField("年度", null=True, editable=False)
    sequence = models.PositiveIntegerField("序号", null=True, editable=False)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year", "sequence"],
                name="problemitem_unique_sequence",
                condition=models.Q(sequence__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["unit", "due_on"]), models.Index(fields=["congress", "listed_on"])]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title
