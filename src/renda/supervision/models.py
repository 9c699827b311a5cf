"""Supervision (监督, rules.md §3): the annual plan and its items — work reports, law-enforcement
inspections, investigations and inspections, special inquiries — and inquiries by members (质询案).

Each item is a case (its state moves only through workflow.perform). What the platform already
has is used, not copied: who took part is `workflow.Participation` (speakers, inspection teams,
proposers), reports and responses are `workflow.documents`, satisfaction votes are
`ballots.Ballot`s about the item, problems found go on the one ledger (`renda.problems`), and
items link to what they follow up or arise from with `workflow.Link`.
"""

from django.db import models

from renda.workflow.models import Case
from renda.workflow.plans import AdoptedPlan


class SupervisionPlan(AdoptedPlan):
    """年度监督工作计划: drafted by staff, adopted by the directors' meeting (主任会议),
    published; adjusted afterwards only with a reason (SUP-1, 监督法 Art. 9-10). The fields and
    the case type are the shared adopted plan's (workflow/plans.py)."""

    case_type_key = "supervision_plan"

    class Meta(AdoptedPlan.Meta):
        verbose_name = "年度监督工作计划"
        verbose_name_plural = "年度监督工作计划"
        constraints = [models.UniqueConstraint(fields=["congress", "year"], name="supervision_plan_once_a_year")]


class SupervisionItem(Case):
    """What every supervision item has: the plan it belongs to, the body in charge (a special
    or working committee), the organ supervised, the sitting that hears it."""

    plan = models.ForeignKey(
        SupervisionPlan,
        verbose_name="所属计划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.ForeignKey("core.Body", verbose_name="牵头机构", on_delete=models.PROTECT, related_name="+")
    organ = models.ForeignKey(
        "core.HandlingUnit",
        verbose_name="被监督机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "core.HandlingUnit",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="代被监督机关起草报告、落实审议意见的部门",
    )
    sitting = models.ForeignKey(
        "core.CommitteeMeeting",
        verbose_name="提请审议的会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField("工作要点", blank=True)
    key_item = models.BooleanField("重点监督事项", default=False)
    satisfaction_vote = models.BooleanField("进行满意度测评", default=False)
    # whether the organ's response (研究处理情况) is put to the committee for deliberation (SUP-4)
    deliberate_response = models.BooleanField("研究处理情况提请审议", default=False)
    planned_on = models.DateField("列入计划日期", null=True, blank=True, db_index=True)
    held_on = models.DateField("审议/开展日期", null=True, blank=True, db_index=True)
    opinions = models.TextField("审议意见", blank=True)
    opinions_sent_on = models.DateField("审议意见交办日期", null=True, blank=True)
    response = models.TextField("研究处理情况", blank=True)
    response_received_on = models.DateField("研究处理情况报送日期", null=True, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    published_on = models.DateField("公开日期", null=True, blank=True, db_index=True)
    round = models.PositiveSmallIntegerField("报告轮次", default=1)
    # what the open satisfaction vote is about: the report itself or the response to the opinions
    voting_on = models.CharField("测评对象", max_length=10, blank=True)

    class Meta:
        abstract = True
        ordering = ["-planned_on", "-id"]

    def __str__(self):
        return self.title

    @property
    def sitting_on(self):
        """The first day of the sitting that hears the item: the anchor of its report clocks."""
        return self.sitting.start_date if self.sitting_id else None


class WorkReport(SupervisionItem):
    """专项工作报告 and the reports the law requires each year (SUP-2, SUP-5)."""

    class Kind(models.TextChoices):
        SPECIAL = "special", "专项工作报告"
        PLAN_EXECUTION = "plan_execution", "计划执行情况报告"
        BUDGET_EXECUTION = "budget_execution", "预算执行情况报告"
        FINAL_ACCOUNTS = "final_accounts", "决算报告"
        AUDIT = "audit", "审计工作报告"
        AUDIT_RECTIFICATION = "audit_rectification", "审计查出问题整改情况报告"
        STATE_ASSETS = "state_assets", "国有资产管理情况报告"
        ENVIRONMENT = "environment", "环境状况报告"

    kind = models.CharField("报告类别", max_length=24, choices=Kind.choices, default=Kind.SPECIAL)

    case_type_key = "work_report"

    class Meta(SupervisionItem.Meta):
        verbose_name = "专项工作报告"
        verbose_name_plural = "专项工作报告"
        indexes = [models.Index(fields=["congress", "state"])]


class LawInspection(SupervisionItem):
    """执法检查 (SUP-6): the team, its activities, the inspection report, then the SUP-4 loop."""

    law_title = models.CharField("检查的法律法规", max_length=200)

    case_type_key = "law_inspection"

    class Meta(SupervisionItem.Meta):
        verbose_name = "执法检查"
        verbose_name_plural = "执法检查"
        indexes = [models.Index(fields=["congress", "state"])]


class Investigation(SupervisionItem):
    """专题调研, 执法调研, 视察 (incl. 主任集体视察) and 跟踪监督: the same family as an
    inspection with a lighter path (no sitting's deliberation unless opinions are sent)."""

    class Kind(models.TextChoices):
        INVESTIGATION = "investigation", "专题调研"
        LAW_INVESTIGATION = "law_investigation", "执法调研"
        INSPECTION = "inspection", "视察"
        COLLECTIVE_INSPECTION = "collective_inspection", "主任集体视察"
        FOLLOW_UP = "follow_up", "跟踪监督"

    kind = models.CharField("类别", max_length=24, choices=Kind.choices, default=Kind.INVESTIGATION)

    case_type_key = "investigation"

    class Meta(SupervisionItem.Meta):
        verbose_name = "调研视察"
        verbose_name_plural = "调研视察"
        indexes = [models.Index(fields=["congress", "state"])]


class Inquiry(SupervisionItem):
    """专题询问 (SUP-7): at a sitting, members and deputies ask; the heads of the organ answer;
    what they promise becomes problems on the ledger."""

    case_type_key = "inquiry"

    class Meta(SupervisionItem.Meta):
        verbose_name = "专题询问"
        verbose_name_plural = "专题询问"
        indexes = [models.Index(fields=["congress", "state"])]


class Interpellation(SupervisionItem):
    """质询案 (SUP-9): at least 5 members jointly (3 at a county), in writing; answered orally or in
    writing; more than half of the proposers dissatisfied → the directors may order a second answer.
    The proposers are Participation rows (领衔提出, 附议)."""

    class AnswerMode(models.TextChoices):
        ORAL = "oral", "口头答复"
        WRITTEN = "written", "书面答复"

    questions = models.TextField("质询的问题和内容")
    answer_mode = models.CharField("答复方式", max_length=10, choices=AnswerMode.choices, blank=True)
    answer = models.TextField("答复", blank=True)

    case_type_key = "interpellation"

    class Meta(SupervisionItem.Meta):
        verbose_name = "质询案"
        verbose_name_plural = "质询案"


class Activity(models.Model):
    """A dated activity of an inspection or investigation: 座谈会、实地检查、暗访、问卷调查、
    第三方评估、抽查 (监督法 Art. 34)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "座谈会"
        SITE_VISIT = "site_visit", "实地检查"
        UNANNOUNCED = "unannounced", "暗访"
        QUESTIONNAIRE = "questionnaire", "问卷调查"
        THIRD_PARTY = "third_party", "第三方评估"
        SAMPLING = "sampling", "抽查"

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField("活动方式", max_length=16, choices=Kind.choices)
    on = models.DateField("日期")
    place = models.CharField("地点", max_length=120)
    note = models.TextField("情况", blank=True)
    created_by = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "检查调研活动"
        verbose_name_plural = "检查调研活动"
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class InquiryQuestion(models.Model):
    """One question of a special inquiry: who asked (a member or a deputy), who answered for the
    organ, the answer and the measures promised (each promise opened on the problem ledger)."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField("序号")
    asker = models.ForeignKey("core.Person", verbose_name="询问人", on_delete=models.PROTECT, related_name="+")
    asker_deputy = models.ForeignKey(
        "core.Deputy", verbose_name="代表资格", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField("询问的问题")
    answerer = models.CharField("应询人（姓名、职务）", max_length=80)
    answer = models.TextField("回答", blank=True)
    promises = models.TextField("承诺的整改措施", blank=True)
    # the promise put on the one problem ledger (open_problem_from_promise), once
    problem = models.OneToOneField(
        "problems.ProblemItem",
        verbose_name="列入问题清单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "询问问题"
        verbose_name_plural = "询问问题"
        ordering = ["inquiry", "order"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "order"], name="inquiry_question_order")]
