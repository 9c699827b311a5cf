"""Appointments services: the batch and its nominations, the law exam, the votes, the oath.
The case's state moves only through workflow.perform; the effects below run inside it."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from renda.ballots import services as ballots
from renda.ballots.models import Ballot
from renda.core import clock
from renda.core.models import Person
from renda.core.scoping import actor_of, require
from renda.core.services import audit, save_record
from renda.workflow.engine import current_day
from renda.workflow.models import Participation
from renda.workflow.participation import record_participants

from .models import AppointmentBatch, Exam, Nomination, OathTaking, Question, Tenure

GRACE = timedelta(seconds=30)  # a paper sent as the time ends is still in transit

# ---------------------------------------------------------------- the batch


def create_batch(by, *, congress, title, nominator, unit=None, sitting=None) -> AppointmentBatch:
    require(by, "add", AppointmentBatch)
    actor = actor_of(by)
    if not (actor.manages(congress.pk) or (unit is not None and unit.pk in actor.unit_ids)):
        raise PermissionDenied("只能为本级人大或本机关提请任免案。")
    batch = AppointmentBatch(congress=congress, title=title, nominator=nominator, unit=unit, sitting=sitting)
    batch.full_clean(exclude=["state"])
    batch.save()
    audit(by, "create", batch, {"title": title})
    return batch


def add_nomination(
    by,
    batch,
    *,
    person,
    post,
    kind=Nomination.Kind.APPOINT,
    form_text="",
    statement="",
    exam_required=None,
    must_swear=None,
) -> Nomination:
    require(by, "change", batch)
    if batch.state != "drafting":
        raise ValidationError("任免案提请后不能再增加人员。")
    last = batch.nominations.order_by("-order").values_list("order", flat=True).first() or 0
    nomination = Nomination(batch=batch, order=last + 1)
    _fill(nomination, person, post, kind, form_text, statement, exam_required, must_swear)
    nomination.save()
    audit(by, "create", nomination, {"post": post, "kind": kind})
    return nomination


def update_nomination(
    by, nomination, *, person, post, kind, form_text="", statement="", exam_required=None, must_swear=None
) -> Nomination:
    require(by, "change", nomination.batch)
    if nomination.batch.state != "drafting":
        raise ValidationError("任免案提请后不能再修改任免人员。")
    _fill(nomination, person, post, kind, form_text, statement, exam_required, must_swear)
    nomination.save()
    audit(by, "update", nomination, {"post": post, "kind": kind})
    return nomination


def _fill(n, person, post, kind, form_text, statement, exam_required, must_swear):
    """APP-5/APP-6: the exam and the oath are for those appointed; a removal, a resignation
    accepted or a dismissal has neither, whatever was ticked."""
    appoint = kind == Nomination.Kind.APPOINT
    n.person, n.post, n.kind, n.form_text, n.statement = person, post, kind, form_text, statement
    n.exam_required = appoint and (True if exam_required is None else exam_required)
    n.must_swear = appoint and (True if must_swear is None else must_swear)
    if not post.strip():
        raise ValidationError({"post": "请填写职务。"})


def nominee(by, batch, *, name, gender="M", kind=Nomination.Kind.APPOINT, post="") -> Person:
    """The person a nomination typed by name is about: for a removal, resignation or dismissal
    the holder of that post of the congress by that name (their tenure is the one closed), else
    a person already named in this batch (removed from one post, appointed to another), else a
    new person. Permission comes from the batch: the nominating unit may name people."""
    name = name.strip()
    if not name:
        raise ValidationError({"person_name": "请填写姓名。"})
    if kind in Nomination.ENDING:
        held = Tenure.objects.filter(
            congress=batch.congress_id, post=post, person__name=name, ended_on__isnull=True
        ).first()
        if held:
            return held.person
    named = batch.nominations.filter(person__name=name).select_related("person").first()
    if named:
        return named.person
    return save_record(by, Person(name=name, gender=gender), check=False)


def vote_order(nominations) -> list[Nomination]:
    """APP-3: one person at a time, in the batch's order, except that for the same post the
    removal, the resignation or the dismissal comes before the appointment (深圳任免条例 Art. 18-19)."""
    items = [n for n in nominations if n.result != Nomination.Result.WITHDRAWN]
    first = {}
    for n in sorted(items, key=lambda n: (n.order, n.pk)):
        first.setdefault(n.post, n.order)
    return sorted(items, key=lambda n: (first[n.post], n.kind not in Nomination.ENDING, n.order, n.pk))


# the case's effects (workflow.perform: case, cleaned data, user)


def schedule(case, data, by):
    case.sitting = data["sitting"]
    case.save(update_fields=["sitting"])


def submit(case, data, by):
    if not case.nominations.exists():
        raise ValidationError("任免案中还没有任免人员。")
    if case.sitting_id is None:
        raise ValidationError("请先安排提请审议的常委会会议。")
    case.submitted_on = current_day()
    case.save(update_fields=["submitted_on"])


def exam_status(nomination, exams=None) -> str:
    """ "exempt", "passed", "failed" (no retake left), "pending" (may still sit the exam).
    `exams`: the nomination's exams when already fetched (a list page's one query)."""
    if not nomination.exam_required:
        return "exempt"
    exams = list(nomination.exams.all()) if exams is None else exams
    if any(e.passed for e in exams):
        return "passed"
    failed = sum(1 for e in exams if e.passed is False)
    return "failed" if failed > settings.RENDA_LAW_EXAM_RETAKES else "pending"


def examine(case, data, by):
    waiting = [
        n.person.name
        for n in case.nominations.exclude(result=Nomination.Result.WITHDRAWN).select_related("person")
        if exam_status(n) not in ("exempt", "passed")
    ]
    if waiting:
        raise ValidationError(f"以下人员尚未通过任前法律知识考试：{'、'.join(waiting)}。")


def open_votes(case, data, by):
    """One secret ballot per person, 全体组成人员的过半数 (APP-3), created in the voting order;
    the first is opened, the next when it is closed (next_vote)."""
    roll = ballots.committee_roll(case.congress, on=current_day())
    for n in vote_order(case.nominations.select_related("person")):
        ballot = ballots.create_ballot(
            by,
            congress=case.congress,
            title=f"表决：{n}",
            rule="majority_of_all",
            voters=roll,
            subject=n,
            kind=Ballot.Kind.SECRET,
        )
        n.ballot = ballot
        n.save(update_fields=["ballot"])
    _open_next(case, by)


def batch_ballots(case):
    """The ballots of a batch (one per person, about the nomination): the hall's view of it."""
    return Ballot.objects.filter(pk__in=case.nominations.exclude(ballot=None).values("ballot"))


def _queue(case):
    return vote_order(case.nominations.select_related("person", "ballot"))


def _open_next(case, by) -> bool:
    for n in _queue(case):
        if n.ballot and n.ballot.state == Ballot.State.DRAFT:
            ballots.open_ballot(by, n.ballot)
            return True
    return False


def _close_current(case, by) -> bool:
    for n in _queue(case):
        if n.ballot and n.ballot.state == Ballot.State.OPEN:
            ballot = ballots.close_ballot(by, n.ballot)
            ballots.publish(by, ballot)  # announced on the spot (APP-3)
            n.result = Nomination.Result.PASSED if ballots.tally(ballot).outcome.passed else Nomination.Result.FAILED
            n.save(update_fields=["result"])
            return True
    return False


def next_vote(case, data, by):
    if not _close_current(case, by):
        raise ValidationError("没有进行中的表决。")
    _open_next(case, by)  # none left: the last vote is closed, 结束表决 follows


def decide(case, data, by):
    _close_current(case, by)
    if any(n.ballot and n.ballot.state != Ballot.State.CLOSED for n in _queue(case)):
        raise ValidationError("还有未表决的人员，请逐项表决。")
    case.decided_on = current_day()
    case.save(update_fields=["decided_on"])


def notify(case, data, by):
    case.notified_on = current_day()
    case.save(update_fields=["notified_on"])
    write_tenures(case)


ORGANS = {
    "mayor": "人民政府",
    "court": "中级人民法院",
    "procuratorate": "人民检察院",
    "supervision": "监察委员会",
    "directors": "人民代表大会常务委员会",
}


def write_tenures(batch):
    """任职经历 from a published 任免名单: an appointment opens a tenure from the vote; a
    removal, resignation or dismissal closes the person's open tenure of that post (or records
    one whose start predates the platform)."""
    on = batch.decided_on or current_day()
    organ = f"{batch.congress.region}{ORGANS.get(batch.nominator, '')}"
    passed = batch.nominations.filter(result=Nomination.Result.PASSED).select_related("person")
    for n in vote_order(passed):
        if n.kind == Nomination.Kind.APPOINT:
            Tenure.objects.create(
                congress_id=batch.congress_id, person=n.person, post=n.post, organ=organ, started_on=on, started_by=n
            )
            continue
        open_ = Tenure.objects.filter(
            congress_id=batch.congress_id, person=n.person, post=n.post, ended_on__isnull=True
        ).first() or Tenure(congress_id=batch.congress_id, person=n.person, post=n.post, organ=organ)
        open_.ended_on, open_.ended_by = on, n
        open_.save()


def to_swear(batch):
    return batch.nominations.filter(result=Nomination.Result.PASSED, must_swear=True)


def sworn(case, data, by):
    missing = to_swear(case).exclude(oaths__isnull=False).select_related("person")
    if missing:
        raise ValidationError(f"以下人员尚未进行宪法宣誓：{'、'.join(n.person.name for n in missing)}。")


# ---------------------------------------------------------------- the oath (APP-6 … APP-8)


@transaction.atomic
def record_oath(by, batch, *, on: date, mode, nominations, administered_by: str, leader=None) -> OathTaking:
    require(by, "change", batch)
    if batch.state != "notified":
        raise ValidationError("任免名单公布后方可组织宪法宣誓。")
    nominations = list(nominations)
    allowed = set(to_swear(batch).values_list("pk", flat=True))
    if not nominations or any(n.pk not in allowed for n in nominations):
        raise ValidationError("宣誓人员须是本任免案中表决通过的任命人员。")
    if mode == OathTaking.Mode.INDIVIDUAL and len(nominations) != 1:
        raise ValidationError("单独宣誓只能有一名宣誓人。")
    if mode == OathTaking.Mode.COLLECTIVE and leader is None:
        raise ValidationError("集体宣誓须有一名领誓人（APP-8）。")
    oath = OathTaking.objects.create(batch=batch, on=on, mode=mode, leader=leader, administered_by=administered_by)
    oath.nominations.set(nominations)
    # who swore: the platform's one participation table, on the batch (the deputy's archive reads it)
    record_participants(batch, [n.person for n in nominations], Participation.Capacity.OATH, on=on)
    audit(by, "create", oath, {"on": str(on), "mode": mode, "people": len(nominations)})
    return oath


# ---------------------------------------------------------------- the law exam (APP-5)


def add_question(by, congress, *, category, stem, options, answers) -> Question:
    require(by, "add", Question)
    if not actor_of(by).manages(congress.pk):
        raise PermissionDenied("只能为本级人大的题库增加题目。")
    if not str(stem).strip() or not str(category).strip():
        raise ValidationError({"stem": "请填写题干和类别。"})
    options = [str(o).strip() for o in options if str(o).strip()]
    if len(options) < 2:
        raise ValidationError({"options": "至少需要两个选项。"})
    if not answers or any(not isinstance(a, int) or not 0 <= a < len(options) for a in answers):
        raise ValidationError({"answers": "正确答案须是选项的序号。"})
    question = Question.objects.create(
        congress=congress, category=category, stem=stem, options=options, answers=sorted(set(answers))
    )
    audit(by, "create", question, {"category": category})
    return question


def parse_answers(text: str, n_options: int) -> list[int]:
    """“AC”, “A,C” or “1,3” → [0, 2]; anything else is refused."""
    text = (text or "").strip().upper().replace("，", ",").replace("、", ",").replace(" ", "")
    if not text:
        raise ValidationError("请填写正确答案，如 A 或 AC。")
    if text.replace(",", "").isdigit():  # option numbers from 1
        picked = [int(t) - 1 for t in text.split(",") if t]
    else:  # option letters
        picked = [ord(c) - ord("A") for c in text.replace(",", "")]
    if any(not 0 <= a < n_options for a in picked):
        raise ValidationError(f"正确答案须是选项的字母（A 至 {chr(ord('A') + n_options - 1)}）。")
    return sorted(set(picked))


def _own(user, nomination):
    if not user.is_authenticated or not user.person_id or user.person_id != nomination.person_id:
        raise PermissionDenied("只能参加本人的任前法律知识考试。")


def start_exam(user, nomination, *, now=None) -> Exam:
    """The nominee starts an exam: questions drawn from the active bank of the congress and stored.
    An unfinished exam is resumed while its time runs; one whose time is over counts as failed
    (written first, so that a refusal below does not undo it)."""
    _own(user, nomination)
    now = now or clock.now()
    for stale in nomination.exams.filter(submitted_at__isnull=True, passed__isnull=True):
        if now > stale.ends_at + GRACE:
            _expire(stale)
    return _start(user, nomination, now)


@transaction.atomic
def _start(user, nomination, now) -> Exam:
    nomination = Nomination.objects.select_for_update().select_related("batch").get(pk=nomination.pk)
    if nomination.batch.state != "submitted":
        raise ValidationError("任免案提请后、表决前方可参加考试。")
    open_exam = nomination.exams.filter(submitted_at__isnull=True, passed__isnull=True).first()
    if open_exam:
        return open_exam
    status = exam_status(nomination)
    if status == "passed":
        raise ValidationError("您已通过考试。")
    if status in ("failed", "exempt"):
        raise ValidationError("考试次数已用完。" if status == "failed" else "您无需参加考试。")
    bank = list(
        Question.objects.filter(congress=nomination.batch.congress_id, active=True).values_list("pk", flat=True)
    )
    if not bank:
        raise ValidationError("题库中没有可用的题目，请联系人大机关工作人员。")
    drawn = random.SystemRandom().sample(bank, min(settings.RENDA_LAW_EXAM_QUESTIONS, len(bank)))
    attempt = nomination.exams.count() + 1
    return Exam.objects.create(
        nomination=nomination,
        attempt=attempt,
        started_at=now,
        duration_minutes=settings.RENDA_LAW_EXAM_MINUTES,
        question_ids=drawn,
    )


def _expire(exam):
    """An exam not handed in within its time counts as failed (0 points)."""
    exam.score, exam.passed = 0, False
    exam.save(update_fields=["score", "passed"])


def questions_of(exam) -> list[Question]:
    by_id = Question.objects.in_bulk(exam.question_ids)
    return [by_id[i] for i in exam.question_ids if i in by_id]


def mark(exam, answers: dict) -> int:
    """Automatic marking: a question counts when exactly its right options are chosen."""
    qs = questions_of(exam)
    right = sum(1 for q in qs if sorted(set(answers.get(str(q.pk), []))) == sorted(q.answers))
    return round(100 * right / len(qs)) if qs else 0


def submit_exam(user, exam, answers: dict, *, now=None) -> Exam:
    """Mark the paper; a paper after the time is refused and the exam counts as failed (the
    failure is kept: it is written before the refusal is raised, outside the transaction)."""
    exam, late = _submit(user, exam, answers, now or clock.now())
    if late:
        raise ValidationError("已超过考试时间，答卷未被接受，本次考试按不合格计。")
    return exam


@transaction.atomic
def _submit(user, exam, answers, now):
    exam = Exam.objects.select_for_update().select_related("nomination").get(pk=exam.pk)
    _own(user, exam.nomination)
    if exam.submitted_at or exam.passed is not None:
        raise ValidationError("本次考试已结束，不能再次交卷。")
    if now > exam.ends_at + GRACE:
        _expire(exam)
        return exam, True
    clean = {}
    for q in questions_of(exam):
        chosen = answers.get(str(q.pk), [])
        chosen = [chosen] if isinstance(chosen, (int, str)) else list(chosen)
        try:
            picked = sorted({int(c) for c in chosen})
        except (TypeError, ValueError):
            raise ValidationError("答案格式不正确。") from None
        clean[str(q.pk)] = [c for c in picked if 0 <= c < len(q.options)]
    exam.answers = clean
    exam.score = mark(exam, clean)
    exam.passed = exam.score >= settings.RENDA_LAW_EXAM_PASS
    exam.submitted_at = now
    exam.save(update_fields=["answers", "score", "passed", "submitted_at"])
    return exam, False


def results(batch):
    """The exam results of a batch: each nomination with its attempts (two queries)."""
    noms = list(batch.nominations.select_related("person").annotate(n_exams=Count("exams")))
    exams = {}
    for e in Exam.objects.filter(nomination__batch=batch).order_by("attempt"):
        exams.setdefault(e.nomination_id, []).append(e)
    return [(n, exams.get(n.pk, [])) for n in noms]


def notified_q() -> Q:
    return Q(batch__state__in=("notified", "sworn"), result=Nomination.Result.PASSED)
