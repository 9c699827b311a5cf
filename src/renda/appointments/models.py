"""Appointments (任免, rules.md §5): a batch of nominations submitted by a nominating head to a
sitting of the standing committee (任免案), the pre-appointment law exam (任前法律知识考试, local
practice, APP-5), one vote per person (APP-3) and the constitutional oath (宪法宣誓, APP-6 … APP-8).

The batch is a case (its state moves only through workflow.perform); votes are ballots.Ballot
rows about each nomination, oath takers are workflow.Participation rows, the sitting is
core.CommitteeMeeting: nothing here is a second copy of those."""

from django.db import models

from renda.workflow.models import Case

# APP-7: the 2018 text (the 2015 one ended 「为建设富强、民主、文明、和谐的社会主义国家努力奋斗！」)
OATH_TEXT = (
    "我宣誓：忠于中华人民共和国宪法，维护宪法权威，履行法定职责，忠于祖国、忠于人民，恪尽职守、廉洁奉公，"
    "接受人民监督，为建设富强民主文明和谐美丽的社会主义现代化强国努力奋斗！"
)
OATH_CITATION = "全国人民代表大会常务委员会关于实行宪法宣誓制度的决定（2015年通过，2018年2月24日修订）第二条"


class AppointmentBatch(Case):
    """任免案: signed by the nominating head, submitted with the 任免呈报表 N days before the sitting (APP-4)."""

    class Nominator(models.TextChoices):
        MAYOR = "mayor", "市长"
        COURT = "court", "法院院长"
        PROCURATORATE = "procuratorate", "检察院检察长"
        SUPERVISION = "supervision", "监委主任"
        DIRECTORS = "directors", "主任会议"

    nominator = models.CharField("提请人", max_length=20, choices=Nominator.choices)
    unit = models.ForeignKey(
        "core.HandlingUnit",
        verbose_name="提请机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sitting = models.ForeignKey(
        "core.CommitteeMeeting",
        verbose_name="提请审议的会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_on = models.DateField("提请日期", null=True, blank=True)
    decided_on = models.DateField("表决日期", null=True, blank=True)
    notified_on = models.DateField("任免名单公布日期", null=True, blank=True)

    case_type_key = "appointment_batch"

    class Meta:
        verbose_name = "任免案"
        verbose_name_plural = "任免案"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def sitting_on(self):
        return self.sitting.start_date if self.sitting_id else None


class Nomination(models.Model):
    class Kind(models.TextChoices):
        APPOINT = "appoint", "任命"
        REMOVE = "remove", "免职"
        RESIGN = "resign", "接受辞职"  # 辞去…职务: the person's letter, the committee accepts by vote
        DISMISS = "dismiss", "撤职"

    # the kinds that end a tenure (voted before an appointment to the same post, no exam, no oath)
    ENDING = (Kind.REMOVE, Kind.RESIGN, Kind.DISMISS)

    class Result(models.TextChoices):
        PENDING = "pending", "待表决"
        PASSED = "passed", "通过"
        FAILED = "failed", "未通过"
        WITHDRAWN = "withdrawn", "撤回"

    batch = models.ForeignKey(
        AppointmentBatch, verbose_name="任免案", on_delete=models.CASCADE, related_name="nominations"
    )
    person = models.ForeignKey("core.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("任免", max_length=10, choices=Kind.choices, default=Kind.APPOINT)
    post = models.CharField("职务", max_length=100)
    form_text = models.TextField("任免呈报表", blank=True)
    statement = models.TextField("任前发言", blank=True)
    exam_required = models.BooleanField("须参加任前法律知识考试", default=True)
    must_swear = models.BooleanField("须进行宪法宣誓", default=True)
    ballot = models.OneToOneField(
        "ballots.Ballot", verbose_name="表决", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField("表决结果", max_length=10, choices=Result.choices, default=Result.PENDING)
    order = models.PositiveSmallIntegerField("表决顺序", default=0)

    class Meta:
        verbose_name = "任免人员"
        verbose_name_plural = "任免人员"
        ordering = ["batch", "order", "id"]

    def __str__(self):
        name = self.person.name
        if self.kind == "appoint":
            return f"任命{name}为{self.post}"
        if self.kind == "resign":
            return f"接受{name}辞去{self.post}职务"
        if self.kind == "dismiss":
            return f"撤销{name}的{self.post}职务"
        return f"免去{name}的{self.post}职务"


class Question(models.Model):
    """A question of the law exam's bank: one or more right options (indices into `options`)."""

    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=40, help_text="如：宪法、地方组织法、监督法")
    stem = models.TextField("题干")
    options = models.JSONField("选项", default=list)
    answers = models.JSONField("正确答案", default=list, help_text="正确选项的序号（从0起）")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "考试题目"
        verbose_name_plural = "考试题目"
        ordering = ["category", "id"]

    def __str__(self):
        return self.stem[:40]


class Exam(models.Model):
    """One sitting of the law exam by a nominee: the questions are drawn and stored at the start."""

    nomination = models.ForeignKey(Nomination, verbose_name="任免人员", on_delete=models.CASCADE, related_name="exams")
    attempt = models.PositiveSmallIntegerField("第几次", default=1)
    started_at = models.DateTimeField("开始时间")
    duration_minutes = models.PositiveSmallIntegerField("限时（分钟）")
    question_ids = models.JSONField("抽取的题目", default=list)
    answers = models.JSONField("作答", default=dict, blank=True)
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    score = models.PositiveSmallIntegerField("得分", null=True, blank=True)
    passed = models.BooleanField("合格", null=True, blank=True)

    class Meta:
        verbose_name = "任前法律知识考试"
        verbose_name_plural = "任前法律知识考试"
        ordering = ["nomination", "attempt"]
        constraints = [models.UniqueConstraint(fields=["nomination", "attempt"], name="exam_attempt_once")]

    def __str__(self):
        return f"{self.nomination.person.name}第{self.attempt}次考试"

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.started_at + timedelta(minutes=self.duration_minutes)


class OathTaking(models.Model):
    """宪法宣誓 (APP-6 … APP-8): who swore are Participation rows of this record."""

    class Mode(models.TextChoices):
        COLLECTIVE = "collective", "集体宣誓"
        INDIVIDUAL = "individual", "单独宣誓"

    batch = models.ForeignKey(AppointmentBatch, verbose_name="任免案", on_delete=models.PROTECT, related_name="oaths")
    on = models.DateField("宣誓日期")
    mode = models.CharField("方式", max_length=12, choices=Mode.choices)
    leader = models.ForeignKey(
        "core.Person", verbose_name="领誓人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administered_by = models.CharField("监誓人", max_length=60)
    text = models.TextField("誓词", default=OATH_TEXT)
    citation = models.CharField("依据", max_length=200, default=OATH_CITATION)
    nominations = models.ManyToManyField(Nomination, verbose_name="宣誓人员", related_name="oaths")

    class Meta:
        verbose_name = "宪法宣誓"
        verbose_name_plural = "宪法宣誓"
        ordering = ["batch", "on", "id"]

    def __str__(self):
        return f"{self.batch.title}·{self.get_mode_display()}（{self.on}）"

    @property
    def congress_id(self):
        return self.batch.congress_id


class Tenure(models.Model):
    """任职经历: a post held by a person, opened by an appointment and closed by a removal,
    resignation or dismissal, written when a batch's 任免名单 is published (services.notify)."""

    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("core.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    post = models.CharField("职务", max_length=100)
    organ = models.CharField("任职机关", max_length=100, blank=True)
    started_on = models.DateField("任职日期", null=True, blank=True)
    ended_on = models.DateField("离任日期", null=True, blank=True)
    started_by = models.ForeignKey(
        Nomination, verbose_name="任命", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        Nomination, verbose_name="免职、辞职或撤职", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "任职经历"
        verbose_name_plural = "任职经历"
        ordering = ["person", "started_on", "id"]

    def __str__(self):
        return f"{self.person.name}·{self.post}"
