"""The tenant tree and the people of a congress.

Every record of Renda belongs, directly or through its parents, to a `Congress`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from .fields import EncryptedCharField

CN_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 21 → 二十一 (as in 第四届, 五届三次会议)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


# The two-digit province prefixes of GB/T 2260 (a division code starts with one of them).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


def division_code_error(code: str) -> str | None:
    """Why `code` is not an administrative division code (6 digits of GB/T 2260, or the 12 of
    the statistical division code), or None. All zeros never is: root_congress() and the
    federation identity rely on real codes."""
    if not (code.isascii() and code.isdigit() and len(code) in (6, 12)):
        return "区划代码应为6位或12位数字（如 150802 或 150802000000）。"
    if code[:2] not in PROVINCE_PREFIXES:
        return "区划代码的前两位不是有效的省级代码。"
    return None


class Congress(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "全国"
        PROVINCIAL = "provincial", "省（自治区、直辖市）"
        CITY = "city", "设区的市"
        COUNTY = "county", "县（旗、区）"
        TOWNSHIP = "township", "乡镇（苏木）"

    code = models.CharField("区划代码", max_length=12, unique=True)
    region = models.CharField("行政区域", max_length=60, help_text="如：巴彦淖尔市")
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级人大", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialized path of codes ("150000000000/150800000000/"): a subtree is one prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    has_standing_committee = models.BooleanField("设常委会", default=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "人民代表大会"
        verbose_name_plural = "人民代表大会"
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return f"{self.region}人民代表大会"

    @property
    def short_name(self) -> str:
        return f"{self.region}人大"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def clean(self):
        if error := division_code_error(self.code or ""):
            raise ValidationError({"code": error})
        if self.parent_id:
            order = [c for c, _ in self.Level.choices]
            if order.index(self.level) <= order.index(self.parent.level):
                raise ValidationError({"level": "下级人大的级别必须低于上级人大。"})
            if self.pk and self.parent.path.startswith(self.path):
                raise ValidationError({"parent": "不能把人大设为其下级的下级。"})

    def save(self, *args, **kwargs):
        old_path = Congress.objects.filter(pk=self.pk).values_list("path", flat=True).first() if self.pk else None
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # A new code or parent: the congresses below carry the old prefix, and scoping
            # matches on the path, so rewrite it in one statement.
            from django.db.models import Value
            from django.db.models.functions import Concat, Substr

            Congress.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1), output_field=models.CharField())
            )

    def subtree(self):
        return Congress.objects.filter(path__startswith=self.path)

    def ancestors(self):
        codes = [c for c in self.path.split("/") if c]
        return Congress.objects.filter(code__in=codes).order_by("path")


class Term(models.Model):
    congress = models.ForeignKey(Congress, verbose_name="人大", on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField("届次")
    start_date = models.DateField("起始日期")
    end_date = models.DateField("届满日期", null=True, blank=True)

    class Meta:
        verbose_name = "届"
        verbose_name_plural = "届"
        ordering = ["congress__path", "-number"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number")]

    def __str__(self):
        return f"{self.congress.region}第{chinese_ordinal(self.number)}届"

    @property
    def label(self) -> str:
        return f"第{chinese_ordinal(self.number)}届"

    def covers(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class PlenarySession(models.Model):
    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField("会次")
    start_date = models.DateField("开幕日期")
    end_date = models.DateField("闭幕日期")

    class Meta:
        verbose_name = "人民代表大会会议"
        verbose_name_plural = "人民代表大会会议"
        ordering = ["term", "number"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="session_unique_number")]

    def __str__(self):
        return (
            f"{self.term.congress.region}{chinese_ordinal(self.term.number)}届人大{chinese_ordinal(self.number)}次会议"
        )


class CommitteeMeeting(models.Model):
    """A sitting of the standing committee (常委会第N次会议) or a directors' meeting (主任会议第N次会议).
    Supervision schedules reports at a sitting and counts its deadlines from its first day; the
    meetings module adds agendas, attendance and voting to it."""

    class Kind(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", "常委会会议"
        DIRECTORS_MEETING = "directors_meeting", "主任会议"

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="committee_meetings")
    kind = models.CharField("会议类别", max_length=20, choices=Kind.choices, default=Kind.STANDING_COMMITTEE)
    number = models.PositiveSmallIntegerField("会次")
    start_date = models.DateField("举行日期")
    end_date = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "常委会会议"
        verbose_name_plural = "常委会会议"
        ordering = ["term", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "kind", "number"], name="committee_meeting_unique_number")
        ]

    def __str__(self):
        return f"{self.term.congress.region}{self.label}"

    @property
    def label(self) -> str:
        what = "人大常委会" if self.kind == self.Kind.STANDING_COMMITTEE else "人大常委会主任会议"
        return f"{chinese_ordinal(self.term.number)}届{what}第{chinese_ordinal(self.number)}次会议"


class Body(models.Model):
    class Kind(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", "常务委员会"
        SPECIAL_COMMITTEE = "special_committee", "专门委员会"
        WORKING_COMMITTEE = "working_committee", "工作委员会"
        OFFICE = "office", "办事机构"
        STATUTORY = "statutory", "法定机构"

    congress = models.ForeignKey(Congress, verbose_name="人大", on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField("名称", max_length=80)
    short_name = models.CharField("简称", max_length=30)
    kind = models.CharField("类别", max_length=24, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["congress__path", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="body_unique_name")]

    def __str__(self):
        return self.short_name or self.name


class HandlingUnit(models.Model):
    """A unit that answers to the congress (一府一委两院 and the government's departments)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        DEPARTMENT = "department", "政府工作部门"
        SUPERVISORY_COMMISSION = "supervisory_commission", "监察委员会"
        COURT = "court", "人民法院"
        PROCURATORATE = "procuratorate", "人民检察院"
        LOWER_GOVERNMENT = "lower_government", "下级人民政府"
        OTHER = "other", "其他单位"

    congress = models.ForeignKey(
        Congress,
        verbose_name="所属人大",
        on_delete=models.PROTECT,
        related_name="handling_units",
        help_text="该单位向哪一级人大负责",
    )
    name = models.CharField("单位名称", max_length=80)
    short_name = models.CharField("简称", max_length=30)
    kind = models.CharField("类别", max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["congress__path", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="unit_unique_name")]

    def __str__(self):
        return self.short_name or self.name


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    name = models.CharField("姓名", max_length=40, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=12, default="汉族")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    party = models.CharField("政治面貌", max_length=20, blank=True)
    education = models.CharField("学历", max_length=20, blank=True)
    workplace = models.CharField("工作单位及职务", max_length=120, blank=True)
    mobile = EncryptedCharField("手机号码", max_length=20, blank=True, mask="mobile")

    # Fields holding personal data: their values never enter the audit log (only their names).
    personal_fields = {"birth_date", "mobile"}

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    class Position(models.TextChoices):
        CHAIR = "chair", "主任"
        VICE_CHAIR = "vice_chair", "副主任"
        SECRETARY_GENERAL = "secretary_general", "秘书长"
        MEMBER = "member", "委员"

    congress = models.ForeignKey(
        Congress, verbose_name="人大", on_delete=models.PROTECT, related_name="committee_members"
    )
    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="committee_members")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="committee_seats")
    position = models.CharField("职务", max_length=20, choices=Position.choices)
    body = models.ForeignKey(
        Body, verbose_name="所在机构", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    start_date = models.DateField("任职日期")
    end_date = models.DateField("离任日期", null=True, blank=True)

    POSITION_ORDER = {"chair": 0, "vice_chair": 1, "secretary_general": 2, "member": 3}

    class Meta:
        verbose_name = "常委会组成人员"
        verbose_name_plural = "常委会组成人员"
        ordering = ["congress__path", "term", "start_date", "id"]

    def __str__(self):
        return f"{self.person.name}（{self.get_position_display()}）"

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()

    @property
    def is_director(self) -> bool:
        """主任会议 = chair, vice-chairs and the secretary-general."""
        return self.position != self.Position.MEMBER


class Delegation(models.Model):
    """代表团 at a plenary session (usually one per lower-level division)."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="delegations")
    name = models.CharField("名称", max_length=60)

    class Meta:
        verbose_name = "代表团"
        verbose_name_plural = "代表团"
        ordering = ["term", "id"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="delegation_unique_name")]

    def __str__(self):
        return self.name


class DeputyGroup(models.Model):
    """代表小组 between sessions."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="deputy_groups")
    name = models.CharField("名称", max_length=60)

    class Meta:
        verbose_name = "代表小组"
        verbose_name_plural = "代表小组"
        ordering = ["term", "id"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="group_unique_name")]

    def __str__(self):
        return self.name


class Constituency(models.Model):
    """原选举单位 (indirect election) or 选区 (direct election)."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="constituencies")
    name = models.CharField("名称", max_length=80)

    class Meta:
        verbose_name = "选举单位"
        verbose_name_plural = "选举单位"
        ordering = ["term", "id"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="constituency_unique_name")]

    def __str__(self):
        return self.name


class Deputy(models.Model):
    """A person's mandate in one term of one congress."""

    class Status(models.TextChoices):
        SERVING = "serving", "在任"
        ENDED = "ended", "已终止"

    class Occupation(models.TextChoices):
        WORKER = "worker", "工人"
        FARMER = "farmer", "农牧民"
        PROFESSIONAL = "professional", "专业技术人员"
        OFFICIAL = "official", "党政干部"
        ENTERPRISE = "enterprise", "企业负责人"
        MILITARY = "military", "解放军"
        OTHER = "other", "其他"

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="mandates")
    congress = models.ForeignKey(Congress, verbose_name="人大", on_delete=models.PROTECT, related_name="deputies")
    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="deputies")
    delegation = models.ForeignKey(
        Delegation, verbose_name="代表团", null=True, blank=True, on_delete=models.PROTECT, related_name="deputies"
    )
    group = models.ForeignKey(
        DeputyGroup, verbose_name="代表小组", null=True, blank=True, on_delete=models.SET_NULL, related_name="deputies"
    )
    constituency = models.ForeignKey(
        Constituency, verbose_name="选举单位", null=True, blank=True, on_delete=models.PROTECT, related_name="deputies"
    )
    occupation = models.CharField("代表构成", max_length=16, choices=Occupation.choices, default=Occupation.OTHER)
    is_grassroots = models.BooleanField("基层代表", default=False)
    elected_date = models.DateField("当选日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SERVING)
    ended_date = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=60, blank=True)

    class Meta:
        verbose_name = "人大代表"
        verbose_name_plural = "人大代表"
        ordering = ["congress__path", "term", "delegation", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "term"], name="deputy_one_mandate_per_term")]

    def __str__(self):
        return f"{self.person.name}（{self.congress.region}人大代表）"

    def clean(self):
        if self.term_id and self.congress_id and self.term.congress_id != self.congress_id:
            raise ValidationError({"term": "届次必须属于该代表所在的人大。"})
        for field in ("delegation", "group", "constituency"):
            related = getattr(self, field)
            if related is not None and related.term_id != self.term_id:
                raise ValidationError({field: "必须属于同一届。"})


class User(AbstractUser):
    """An account. What it may see and do comes from its RoleAssignments (see core.scoping)."""

    person = models.ForeignKey(
        Person, verbose_name="对应人员", null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    display_name = models.CharField("显示名称", max_length=40, blank=True)
    # Set when an administrator chooses the password (a new account, a reset): the holder must
    # replace it before anything else (core.signin.SignInMiddleware).
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    def set_password(self, raw_password):
        # stamps the change for the optional maximum password age (RENDA_PASSWORD_MAX_AGE_DAYS)
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @cached_property
    def actor(self):
        from .scoping import Actor

        return Actor(self)


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    STAFF = "staff", "机关工作人员"
    DIRECTOR = "director", "主任会议成员"
    MEMBER = "member", "常委会组成人员"
    DEPUTY = "deputy", "人大代表"
    UNIT = "unit", "承办单位工作人员"
    # 等保 level 3 separates the system, security and audit administrators (三员分立).
    SECURITY = "security", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


# No account may hold two of these (GB/T 22239-2019 8.1.4.2 / 8.1.10.2: separation of duties).
SEPARATED_ROLES = (Role.ADMIN, Role.SECURITY, Role.AUDITOR)


def separation_conflict(user, role: str, exclude_pk=None) -> str:
    """Why `user` may not also hold `role` ("" if they may)."""
    if role not in SEPARATED_ROLES or user is None or user.pk is None:
        return ""
    if user.is_superuser and role != Role.ADMIN:
        return "超级管理员账号不能兼任安全管理员或审计管理员。"
    held = RoleAssignment.objects.filter(user_id=user.pk, role__in=SEPARATED_ROLES).exclude(role=role)
    if exclude_pk is not None:
        held = held.exclude(pk=exclude_pk)
    other = held.values_list("role", flat=True).first()
    if other:
        return (
            f"该账号已是{Role(other).label}，不能再担任{Role(role).label}："
            "系统管理员、安全管理员、审计管理员须由不同账号担任。"
        )
    return ""


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    congress = models.ForeignKey(Congress, verbose_name="人大", on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(
        Body, verbose_name="所在机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        HandlingUnit, verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name="代表资格", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["user", "role"]

    def __str__(self):
        return self.label()

    def label(self, names: dict | None = None) -> str:
        """ "role · where"; `names` may name a role as a case type calls it (a unit's staff
        filing a document are 制定机关工作人员, not 承办单位工作人员)."""
        where = self.handling_unit or self.body or self.congress.short_name
        return f"{(names or {}).get(self.role) or self.get_role_display()} · {where}"

    def clean(self):
        errors = {}
        if self.role == Role.UNIT and not self.handling_unit_id:
            errors["handling_unit"] = "承办单位工作人员必须指定所在单位。"
        if self.role == Role.STAFF and not self.body_id:
            errors["body"] = "机关工作人员必须指定所在机构。"
        if self.role == Role.DEPUTY and not self.deputy_id:
            errors["deputy"] = "人大代表角色必须对应一个代表资格。"
        if self.handling_unit_id and self.role != Role.UNIT:
            errors["handling_unit"] = "只有承办单位工作人员才指定所在单位。"
        if self.user_id and (conflict := separation_conflict(self.user, self.role, exclude_pk=self.pk)):
            errors["role"] = conflict
        if errors:
            raise ValidationError(errors)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"


class Notification(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=200)
    url = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, default="info")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]


class AuditEntry(models.Model):
    """Append-only, hash-chained record of every write and security event (core/audit.py).

    Cases keep their own history (workflow.Event); each transition also leaves a reference
    entry here. Updates and deletes are refused by the model and by database triggers (see
    migrations); `hash` chains each entry to the one before it, so an edit, a deletion or an
    insertion made behind the triggers' back is found by `renda audit verify`.
    """

    seq = models.BigIntegerField("序号", unique=True, null=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=80)
    action = models.CharField(max_length=40, db_index=True)
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_label = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    ip = models.CharField("地址", max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("操作记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("操作记录不可删除。")


class AuditChainHead(models.Model):
    """The one row saying where the audit chain ends (its last seq and hash, with a keyed
    mac of both): appending locks it, so two writers never fork the chain, and a log cut
    short at its end is found by verify."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "操作记录链尾"
        verbose_name_plural = "操作记录链尾"


class NumberSequence(models.Model):
    """The last number given in one numbering sequence of a congress (立案号, 备案登记号 …).

    Written only by `renda.core.numbering.next_number`, which locks the row inside the
    caller's transaction: numbers are unique and, since a rolled-back transaction takes
    its increment back with it, gap-free.
    """

    congress = models.ForeignKey(Congress, verbose_name="人大", on_delete=models.CASCADE, related_name="+")
    sequence = models.CharField("编号序列", max_length=60)
    year = models.PositiveSmallIntegerField("年度", default=0, help_text="按年度编号的序列填年度；否则为0")
    last = models.PositiveIntegerField("已用到的号", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [
            models.UniqueConstraint(fields=["congress", "sequence", "year"], name="number_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.sequence}{f'（{self.year}年）' if self.year else ''}：{self.last}"
