"""专家智库: the experts a congress calls on, their fields of expertise, the records (any case)
they are assigned to and the written opinions they give. Shared by supervision and, later,
legislation (expert revision): an assignment names its record by a generic relation.

An assigned expert is also a `workflow.Participation` (capacity 专家) of the record, so that
who took part in what stays one table."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from renda.core.fields import EncryptedCharField


class ExpertField(models.Model):
    """A field of expertise (法学, 环境保护, 财政审计 …), named once per congress."""

    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("专业领域", max_length=40)

    class Meta:
        verbose_name = "专业领域"
        verbose_name_plural = "专业领域"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="expert_field_once")]

    def __str__(self):
        return self.name


class Expert(models.Model):
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "core.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="expert_entries"
    )
    fields = models.ManyToManyField(ExpertField, verbose_name="专业领域", related_name="experts", blank=True)
    title = models.CharField("职称", max_length=60, blank=True, help_text="如：教授、研究员、高级会计师")
    workplace = models.CharField("工作单位", max_length=120, blank=True)
    mobile = EncryptedCharField("手机号码", max_length=20, blank=True, mask="mobile")
    appointed_on = models.DateField("聘任日期", db_index=True)
    term_end = models.DateField("聘期届满", null=True, blank=True)
    is_active = models.BooleanField("在库", default=True, help_text="解聘或不再联系的专家取消勾选，其意见记录保留")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # their values never enter the audit log; shown masked, in full only to `view_contact`
    personal_fields = {"mobile"}

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家"
        ordering = ["person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "person"], name="expert_once_per_congress")]

    def __str__(self):
        return self.person.name

    def get_absolute_url(self):
        return reverse("experts:detail", args=[self.pk])

    def clean(self):
        if self.appointed_on and self.term_end and self.term_end < self.appointed_on:
            raise ValidationError({"term_end": "聘期届满日期不能早于聘任日期。"})


class ExpertAssignment(models.Model):
    """An expert assigned to a record (any case or record with a congress). The record's
    title and URL are kept, as `Participation` keeps them, so an expert's page lists their
    assignments in one query."""

    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.PROTECT, related_name="assignments")
    congress = models.ForeignKey("core.Congress", verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    assigned_on = models.DateField("邀请日期", db_index=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task = models.CharField("任务", max_length=200, blank=True, help_text="如：参加执法检查并提出书面意见")
    label = models.CharField("事项", max_length=200)
    url = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "专家参与"
        verbose_name_plural = "专家参与"
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "content_type", "object_id"], name="expert_assigned_once")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.expert}：{self.label}"


def opinion_path(instance, filename):
    from renda.core.uploads import stored_name

    return f"experts/{instance.submitted_on:%Y}/{stored_name(filename)}"


class ExpertOpinion(models.Model):
    """A written opinion (书面意见) an assigned expert gave: the text is the record; a file
    (the signed original) may come with it."""

    assignment = models.ForeignKey(
        ExpertAssignment, verbose_name="专家参与", on_delete=models.PROTECT, related_name="opinions"
    )
    submitted_on = models.DateField("提交日期", db_index=True)
    text = models.TextField("书面意见")
    file = models.FileField("附件", upload_to=opinion_path, max_length=255, blank=True)
    file_name = models.CharField("附件名称", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "专家书面意见"
        verbose_name_plural = "专家书面意见"
        ordering = ["submitted_on", "id"]

    def __str__(self):
        return f"{self.assignment.expert}的书面意见"

    @property
    def download_url(self) -> str:
        from renda.core.downloads import download_url

        return download_url(self) if self.file else ""
