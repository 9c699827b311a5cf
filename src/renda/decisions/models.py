"""Resolutions and decisions (决议、决定) of the standing committee (issue 13 item 5).

One model for both: a 决议 and a 决定 go through the same steps (drafted, put on a sitting's
agenda, voted by more than half of all members, published with a number) and differ only in
the name the document carries, so `kind` tells them apart (the engine maps a model to one case
type; two models would be two identical case types). The text is a versioned document
(`workflow.documents`: `draft` 草案, `text` the adopted text); the vote is a `ballots.Ballot`
about the resolution; the matter it decides (a work report, a bill, a plan …) is a
`workflow.Link` of kind 决定."""

from django.db import models

from renda.workflow.models import Case


class Resolution(Case):
    class Kind(models.TextChoices):
        RESOLUTION = "resolution", "决议"
        DECISION = "decision", "决定"

    class Subject(models.TextChoices):
        BUDGET_ADJUSTMENT = "budget_adjustment", "批准预算调整"
        FINAL_ACCOUNTS = "final_accounts", "批准决算"
        WORK_REPORT = "work_report", "审议工作报告"
        LEGISLATION = "legislation", "法规、立法计划"
        LIVELIHOOD = "livelihood", "民生实事项目"
        MAJOR_MATTER = "major_matter", "重大事项"
        PERSONNEL = "personnel", "人事、代表资格"
        OTHER = "other", "其他"

    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    subject = models.CharField("事项类型", max_length=20, choices=Subject.choices)
    proposer = models.CharField("提请机关", max_length=100, blank=True, help_text="如：主任会议、市人民政府")
    sitting = models.ForeignKey(
        "core.CommitteeMeeting",
        verbose_name="审议的会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    sequence = models.PositiveIntegerField("年度序号", null=True, blank=True, editable=False)
    adopted_on = models.DateField("通过日期", null=True, blank=True)  # the day of the vote that passed it
    published_on = models.DateField("公布日期", null=True, blank=True)

    case_type_key = "resolution"

    class Meta:
        verbose_name = "决议决定"
        verbose_name_plural = "决议决定"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["congress", "state"])]

    def __str__(self):
        return self.title
