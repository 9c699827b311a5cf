"""Filing and review of normative documents (备案审查: 有件必备、有备必审、有错必纠).

A `Filing` is one normative document filed with a congress's standing committee, and
the case of its review (rules.md §2). A `ReviewProposal` (审查建议) is a citizen's or an
organisation's request that a document be reviewed; it is answered with feedback.
`LowerFiling` mirrors, in an upper-level instance, what lower levels forwarded to it
(三级联网; see federation).
"""

from __future__ import annotations

from django.db import models

from renda.core.fields import EncryptedCharField
from renda.core.intake import PublicSubmission
from renda.workflow.models import Case

FILING_DAYS = 30  # 公布后三十日内报送备案 (立法法第一百零九条; rules FR-1, FR-2)

STANDARDS = [
    ("constitutionality", "合宪性", "是否存在与宪法规定、宪法原则或宪法精神相抵触的问题"),
    ("political", "政治性", "是否与党中央重大决策部署和国家重大改革方向相一致"),
    (
        "legality",
        "合法性",
        "是否超越权限，违法设定行政许可、行政处罚、行政强制或收费，违法减损权利、增加义务，"
        "同上位法相抵触，违背法定程序",
    ),
    (
        "appropriateness",
        "适当性",
        "是否明显违背社会主义核心价值观和公序良俗，权利义务明显不合理，违背比例原则，"
        "因情况变化不宜继续施行，同位阶文件不一致",
    ),
]
STANDARD_RESULTS = [("ok", "未发现问题"), ("doubt", "存疑"), ("problem", "存在问题")]


class Filing(Case):
    class Kind(models.TextChoices):
        RULE = "rule", "政府规章"
        GOVERNMENT = "government", "行政规范性文件"
        SUPERVISORY = "supervisory", "监察委员会规范性文件"
        JUDICIAL = "judicial", "审判、检察工作规范性文件"
        RESOLUTION = "resolution", "下级人大及其常委会决议、决定"
        REGULATION = "regulation", "地方性法规"

    class Outcome(models.TextChoices):
        NO_PROBLEM = "no_problem", "未发现问题"
        CORRECTED = "corrected", "已纠正"
        ANNULLED = "annulled", "已撤销"
        RETURNED = "returned", "不予备案（退回）"
        KEPT = "kept", "经常委会审议未予撤销"

    case_type_key = "filing"

    kind = models.CharField("文件类别", max_length=16, choices=Kind.choices)
    filer_unit = models.ForeignKey(
        "core.HandlingUnit", verbose_name="制定机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filer_congress = models.ForeignKey(
        "core.Congress",
        verbose_name="报备的人大常委会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="下级人大常委会报备其决议、决定时填写",
    )
    document_number = models.CharField("文号", max_length=60, help_text="如：巴政发〔2020〕12号")
    adopted_on = models.DateField("通过（签发）日期")
    published_on = models.DateField("公布日期", db_index=True)
    filed_on = models.DateField("报送日期", null=True, blank=True, db_index=True)
    registered_on = models.DateField("登记日期", null=True, blank=True, db_index=True)
    reviewed_on = models.DateField("审查结束日期", null=True, blank=True, db_index=True)
    corrected_on = models.DateField("纠正日期", null=True, blank=True, db_index=True)
    text = models.TextField("文件正文")
    drafting_explanation = models.TextField("起草说明", blank=True)
    legal_basis = models.TextField("制定依据", blank=True)
    on_time = models.BooleanField("按期报备", null=True, editable=False, help_text="报送日期在公布后三十日内")
    committee = models.ForeignKey(
        "core.Body", verbose_name="审查机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested = models.BooleanField("依申请审查", default=False, help_text="有审查建议或审查要求")
    checklist = models.JSONField("审查要点", default=dict, blank=True)
    findings = models.JSONField("自动检查结果", default=list, blank=True, editable=False)
    citations = models.JSONField(
        "引用的法律法规",
        default=list,
        blank=True,
        editable=False,
        help_text="报送时核对：每个被引用的文件及其在公布日的状态",
    )
    problem_found = models.BooleanField("发现问题", default=False, db_index=True)
    problem_summary = models.TextField("问题", blank=True)
    opinion = models.TextField("书面审查意见", blank=True)
    correction = models.TextField("纠正情况", blank=True)
    outcome = models.CharField("审查结果", max_length=12, choices=Outcome.choices, blank=True)
    registration_year = models.PositiveSmallIntegerField("登记年度", null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField("登记序号", null=True, blank=True, editable=False)
    published = models.BooleanField("公开", default=True, help_text="登记后在门户网站公开文件目录和审查状态")

    class Meta:
        verbose_name = "备案文件"
        verbose_name_plural = "备案文件"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["congress", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(filer_unit__isnull=False) | models.Q(filer_congress__isnull=False),
                name="filing_has_filer",
            ),
            models.UniqueConstraint(
                fields=["congress", "registration_year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="filing_unique_sequence",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.document_number}）"

    @property
    def filer_name(self) -> str:
        if self.filer_unit_id:
            return self.filer_unit.name
        return f"{self.filer_congress.region}人大常委会" if self.filer_congress_id else ""

    @property
    def goes_up(self) -> bool:
        """Sent on to the upper level (rules FR-1): regulations and government rules."""
        return self.kind in (self.Kind.RULE, self.Kind.REGULATION)


class ReviewProposal(PublicSubmission, Case):
    """审查建议 from a citizen or an organisation (立法法第一百一十三条; rules FR-10)."""

    class ProposerKind(models.TextChoices):
        CITIZEN = "citizen", "公民"
        ORGANISATION = "organisation", "组织"

    case_type_key = "review_proposal"

    proposer = models.CharField("建议人", max_length=80)
    proposer_kind = models.CharField("建议人类别", max_length=12, choices=ProposerKind.choices)
    address = EncryptedCharField("通信地址", max_length=200, blank=True, mask="address")
    filing = models.ForeignKey(
        Filing, verbose_name="所涉备案文件", null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    document_title = models.CharField("所涉文件名称", max_length=200)
    document_number = models.CharField("所涉文件文号", max_length=60, blank=True)
    issue = models.TextField("建议审查的问题")
    reasons = models.TextField("理由")
    answered_on = models.DateField("反馈日期", null=True, blank=True, db_index=True)
    feedback = models.TextField("反馈意见", blank=True)
    transferred_to = models.CharField("移送机关", max_length=120, blank=True)
    publish_feedback = models.BooleanField(
        "公开反馈", default=False, help_text="反馈意见在门户网站公开（不公开建议人的联系方式）"
    )

    personal_fields = {"proposer", "contact", "address"}
    erasable_fields = ("contact", "address")

    class Meta:
        verbose_name = "审查建议"
        verbose_name_plural = "审查建议"
        ordering = ["-submitted_on", "-id"]


class LowerFiling(models.Model):
    """A filing forwarded by a lower-level Renda instance (三级联网), as last reported.

    Written only by the federation inbox, in the order the lower level sent its
    messages; the lower level stays the owner of the case."""

    congress = models.ForeignKey("core.Congress", verbose_name="接收的人大", on_delete=models.PROTECT, related_name="+")
    sender = models.CharField("报送的人大（区划代码）", max_length=12)
    sender_name = models.CharField("报送的人大", max_length=80)
    remote_id = models.PositiveBigIntegerField()
    number = models.CharField("备案登记号", max_length=40, blank=True)
    kind = models.CharField("文件类别", max_length=16, choices=Filing.Kind.choices)
    title = models.CharField("标题", max_length=200)
    document_number = models.CharField("文号", max_length=60)
    filer = models.CharField("制定机关", max_length=120)
    published_on = models.DateField("公布日期")
    filed_on = models.DateField("报送日期", null=True, blank=True)
    state = models.CharField(max_length=32)
    state_label = models.CharField("审查状态", max_length=40)
    outcome = models.CharField("审查结果", max_length=40, blank=True)
    text = models.TextField("文件正文", blank=True)
    received_at = models.DateTimeField("首次收到", auto_now_add=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True)

    class Meta:
        verbose_name = "下级报送备案文件"
        verbose_name_plural = "下级报送备案文件"
        ordering = ["-published_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["sender", "remote_id"], name="lower_filing_once")]

    def __str__(self):
        return f"{self.title}（{self.document_number}）"
