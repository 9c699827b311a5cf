"""Metrics of appointments (seed section 四: “任免国家机关工作人员5批次61人次”, the law exam and
the oath). Each figure counts records of its own year: a batch and its nominations by the day
the committee voted (`decided_on`) — a batch voted on, whatever came after (notified, sworn);
an exam by the day it was started (an exam left open past its time counts once failed); an
oath by its day, and the persons who swore by the oath's day.

人次 (person-times) counts passed nominations: one person appointed to one post and removed from
another in the same batch is two 人次, as the seed counts them.
"""

from renda.reports.metrics import Scope, metric

from .models import AppointmentBatch, Exam, Nomination, OathTaking

DECIDED = ("decided", "notified", "sworn")


def _url(obj):
    return obj.get_absolute_url()


def _batch_url(n):
    return n.batch.get_absolute_url()


def _batches(scope: Scope):
    return AppointmentBatch.objects.filter(
        congress__in=scope.congresses, state__in=DECIDED, **scope.dates("decided_on")
    )


@metric(
    "appointments.batches",
    label="任免国家机关工作人员",
    unit="批次",
    section="decisions",
    url=_url,
    date_field="decided_on",
    definition="常委会会议表决日期在本期内的任免案件数（已表决、已公布任免名单或已完成宪法宣誓）；撤回的不计。",
)
def batches(scope):
    return _batches(scope)


def _passed(scope: Scope, kinds=None):
    qs = Nomination.objects.filter(
        batch__congress__in=scope.congresses,
        batch__state__in=DECIDED,
        result=Nomination.Result.PASSED,
        **scope.dates("batch__decided_on"),
    )
    return qs.filter(kind__in=kinds) if kinds else qs


@metric(
    "appointments.person_times",
    label="任免人次",
    unit="人次",
    section="decisions",
    url=_batch_url,
    date_field="batch__decided_on",
    definition="本期内表决的任免案中表决通过的任免人员人次：任命、免职、接受辞职、撤职各计一人次。",
)
def person_times(scope):
    return _passed(scope)


@metric(
    "appointments.appointed",
    label="任命",
    unit="人次",
    section="decisions",
    url=_batch_url,
    date_field="batch__decided_on",
    definition="本期内表决通过的任命人次。",
)
def appointed(scope):
    return _passed(scope, [Nomination.Kind.APPOINT])


@metric(
    "appointments.removed",
    label="免职、接受辞职、撤职",
    unit="人次",
    section="decisions",
    url=_batch_url,
    date_field="batch__decided_on",
    definition="本期内表决通过的免职、接受辞职和撤职人次。",
)
def removed(scope):
    return _passed(scope, list(Nomination.ENDING))


def _exams(scope: Scope):
    return Exam.objects.filter(
        nomination__batch__congress__in=scope.congresses, passed__isnull=False, **scope.datetimes("started_at")
    )


@metric(
    "appointments.exams",
    label="任前法律知识考试",
    unit="人次",
    section="decisions",
    url=lambda e: e.nomination.batch.get_absolute_url(),
    date_field="started_at",
    definition="本期内开始、已交卷或已超时的任前法律知识考试人次（补考另计一人次）。",
)
def exams(scope):
    return _exams(scope)


@metric(
    "appointments.exams_passed",
    label="任前法律知识考试合格",
    unit="人次",
    section="decisions",
    url=lambda e: e.nomination.batch.get_absolute_url(),
    date_field="started_at",
    definition="本期内开始的任前法律知识考试中成绩合格的人次。",
)
def exams_passed(scope):
    return _exams(scope).filter(passed=True)


@metric(
    "appointments.oaths",
    label="宪法宣誓仪式",
    unit="次",
    section="decisions",
    url=lambda o: o.batch.get_absolute_url(),
    date_field="on",
    definition="本期内组织的宪法宣誓次数（集体宣誓、单独宣誓各计一次）。",
)
def oaths(scope):
    return OathTaking.objects.filter(batch__congress__in=scope.congresses, **scope.dates("on"))


@metric(
    "appointments.sworn",
    label="宪法宣誓人员",
    unit="人",
    section="decisions",
    url=_batch_url,
    definition="本期内进行宪法宣誓的任命人员人数（按宣誓日期）。",
)
def sworn(scope):
    through = OathTaking.nominations.through.objects.filter(
        oathtaking__batch__congress__in=scope.congresses,
        **{f"oathtaking__{k}": v for k, v in scope.dates("on").items()},
    )
    return Nomination.objects.filter(pk__in=through.values("nomination_id"))
