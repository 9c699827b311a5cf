"""Registers of the seed's sections 一 (党的领导) and 六 (自身建设): study sessions,
trainings with their participants, reports to and requests for study by the party
committee, party-group pre-study of major matters, and work rules. Records, not cases:
each is dated, typed and linked to what it concerns; every figure counts them.

A training's participants are `workflow.Participation` rows (capacity 参训): the
deputies' archive reads them with everything else they took part in. A pre-study names
the case it precedes with a `workflow.Link` (涉及)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Register(models.Model):
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


class StudySession(Register):
    class Kind(models.TextChoices):
        CENTRAL_GROUP = "central_group", "党组中心组学习会"
        SEMINAR = "seminar", "理论研讨"
        LECTURE = "lecture", "专题辅导讲座"
        COLLECTIVE = "collective", "机关集体学习"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    date = models.DateField("日期", db_index=True)
    topic = models.CharField("学习内容", max_length=200)
    speaker = models.CharField("主讲人", max_length=60, blank=True)
    body = models.ForeignKey(
        "core.Body", verbose_name="组织机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "学习"
        verbose_name_plural = "学习"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.topic}"


class Training(Register):
    class Audience(models.TextChoices):
        MEMBERS = "members", "常委会组成人员"
        DEPUTIES = "deputies", "人大代表"
        STAFF = "staff", "机关干部"

    title = models.CharField("培训名称", max_length=200)
    audience = models.CharField("培训对象", max_length=12, choices=Audience.choices)
    start_date = models.DateField("开始日期", db_index=True)
    end_date = models.DateField("结束日期")
    place = models.CharField("地点", max_length=100, blank=True)
    organizer = models.CharField("主办单位", max_length=100, help_text="本级人大常委会举办的，填本级常委会")
    hosted = models.BooleanField(
        "本级举办", default=True, help_text="由本级人大常委会举办（计入“举办各类培训班”）；参加上级举办的培训不勾选"
    )
    # one row per person (人次 are counted from them); deleted with the training
    participations = GenericRelation("workflow.Participation", related_query_name="training")

    class Meta:
        verbose_name = "培训"
        verbose_name_plural = "培训"
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("party:training_edit", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期。"})


class PartyReport(Register):
    class Kind(models.TextChoices):
        REPORT = "report", "向党委报告"
        REQUEST = "request", "提请党委研究"

    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    date = models.DateField("日期", db_index=True)
    matter = models.CharField("事项", max_length=200)
    document_number = models.CharField("文号", max_length=40, blank=True)
    body = models.ForeignKey(
        "core.Body", verbose_name="承办机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "请示报告"
        verbose_name_plural = "请示报告"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.matter}"


class PreStudy(Register):
    """党组前置研究: the party group studies a major matter before the committee decides.
    The case it precedes (any case type), when there is one, is linked (涉及)."""

    date = models.DateField("日期", db_index=True)
    matter = models.CharField("研究事项", max_length=200)
    conclusion = models.TextField("研究意见", blank=True)
    links = GenericRelation("workflow.Link", content_type_field="from_type", object_id_field="from_id")

    class Meta:
        verbose_name = "党组前置研究"
        verbose_name_plural = "党组前置研究"
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.matter

    def get_absolute_url(self):
        return reverse("party:prestudy_edit", args=[self.pk])


class WorkRule(Register):
    class Action(models.TextChoices):
        MADE = "made", "制定"
        REVISED = "revised", "修订"

    title = models.CharField("制度名称", max_length=200)
    action = models.CharField("制定或修订", max_length=10, choices=Action.choices)
    adopted_on = models.DateField("通过日期", db_index=True)
    adopted_by = models.CharField("通过会议", max_length=60, help_text="如：主任会议、党组会议、常委会会议")

    class Meta:
        verbose_name = "工作制度"
        verbose_name_plural = "工作制度"
        ordering = ["-adopted_on", "-id"]

    def __str__(self):
        return f"{self.get_action_display()}《{self.title}》"
