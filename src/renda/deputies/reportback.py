"""Report-back (述职): the domain rules (views stay thin).

    schedule(by, deputy, *, scheduled_on, unit_name, place, constituency=None) -> ReportBack
    record_held(by, rb, *, held_on, report, attendees, attendee_names="") -> ReportBack
    open_evaluation(by, rb) / close_evaluation(by, rb) -> ReportBack
    evaluate(rb, data, device) -> ReportBackEvaluation     # the public form (core.intake saves it)
    record_paper_evaluations(by, rb, answers) -> list       # the hall's paper forms, entered by the staff
    tally(rb) -> Tally                                     # counted from the evaluations
    not_reported(term, deputies=None) -> queryset of Deputy # in office this term, none held

A report-back moves scheduled → held → evaluating → closed only through these (a plain state:
the other deputies' records use none of the workflow engine). Recording it held writes the
deputy's `workflow.Participation` (capacity 述职, dated the day it was held): the performance
archive shows it with its trace without knowing this model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q

from renda.core import clock
from renda.core.models import Deputy
from renda.core.scoping import allowed
from renda.core.services import audit
from renda.workflow.models import Participation
from renda.workflow.participation import set_participants

from .models import ReportBack, ReportBackEvaluation

State = ReportBack.State
Rating = ReportBackEvaluation.Rating
MAX_ATTENDEES = 100000


def _text(value) -> str:
    return str(value or "").strip()


def _require(by, action: str, rb: ReportBack, message: str) -> None:
    if by is not None and not allowed(by, action, rb):
        raise PermissionDenied(message)


def _in_mandate(deputy: Deputy, day: date) -> bool:
    term = deputy.term
    return day >= deputy.elected_date and (deputy.ended_date is None or day <= deputy.ended_date) and term.covers(day)


def schedule(by, deputy: Deputy, *, scheduled_on, unit_name, place, constituency=None) -> ReportBack:
    """A report-back planned for a serving deputy (the keepers of the deputy's congress)."""
    rb = ReportBack(
        deputy=deputy,
        congress_id=deputy.congress_id,
        term_id=deputy.term_id,
        constituency=constituency if constituency is not None else deputy.constituency,
        unit_name=_text(unit_name),
        place=_text(place),
        scheduled_on=scheduled_on,
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    _require(by, "add", rb, "只有该代表所属人大的工作人员可以安排述职。")
    errors = {}
    if deputy.status != Deputy.Status.SERVING:
        errors["deputy"] = "该代表资格已终止，不能安排述职。"
    if not rb.unit_name:
        errors["unit_name"] = "请填写述职对象（原选举单位或选区）。"
    if not rb.place:
        errors["place"] = "请填写述职地点。"
    if not isinstance(scheduled_on, date):
        errors["scheduled_on"] = "请填写计划日期。"
    elif not deputy.term.covers(scheduled_on):
        errors["scheduled_on"] = "计划日期须在本届任期之内。"
    if rb.constituency is not None and rb.constituency.term_id != deputy.term_id:
        errors["constituency"] = "选举单位须是该代表本届的选举单位。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rb.save()
        audit(by, "create", rb, {"deputy": deputy.pk, "scheduled_on": scheduled_on, "place": rb.place})
    return rb


def _participation(rb: ReportBack) -> None:
    """The deputy's participation (述职), one per report-back, dated the day it was held."""
    set_participants(rb, [rb.deputy], Participation.Capacity.REPORT_BACK, on=rb.held_on)


def record_held(by, rb: ReportBack, *, held_on, report, attendees, attendee_names="") -> ReportBack:
    """The report-back took place: its day, the report's text and who attended. May be
    corrected while the evaluation has not been opened."""
    _require(by, "change", rb, "只有该代表所属人大的工作人员可以登记述职情况。")
    if rb.state not in (State.SCHEDULED, State.HELD):
        raise ValidationError("满意度测评已开始，不能再修改述职情况。")
    errors = {}
    if not isinstance(held_on, date):
        errors["held_on"] = "请填写述职日期。"
    elif held_on > clock.now().date():
        errors["held_on"] = "述职日期不能晚于今天。"
    elif not _in_mandate(rb.deputy, held_on):
        errors["held_on"] = "述职日期须在该代表本届任期之内。"
    report = _text(report)
    if not report:
        errors["report"] = "请填写述职报告内容。"
    elif len(report) > 20000:
        errors["report"] = "述职报告不超过20000字。"
    if not isinstance(attendees, int) or isinstance(attendees, bool) or attendees < 1:
        errors["attendees"] = "参加人数须为正整数。"
    elif attendees > MAX_ATTENDEES:
        errors["attendees"] = "参加人数过大，请核实。"
    if errors:
        raise ValidationError(errors)
    first = rb.state == State.SCHEDULED
    rb.held_on, rb.report, rb.attendees = held_on, report, attendees
    rb.attendee_names = _text(attendee_names)
    rb.state = State.HELD
    with transaction.atomic():
        rb.save()
        _participation(rb)
        audit(by, "held" if first else "update", rb, {"held_on": held_on, "attendees": attendees})
    return rb


def open_evaluation(by, rb: ReportBack) -> ReportBack:
    _require(by, "change", rb, "只有该代表所属人大的工作人员可以开启满意度测评。")
    if rb.state != State.HELD:
        raise ValidationError("述职登记完成后才能开启满意度测评。")
    rb.state = State.EVALUATING
    with transaction.atomic():
        rb.save(update_fields=["state"])
        audit(by, "open_evaluation", rb, {"state": rb.state})
    return rb


def close_evaluation(by, rb: ReportBack) -> ReportBack:
    _require(by, "change", rb, "只有该代表所属人大的工作人员可以结束满意度测评。")
    if rb.state != State.EVALUATING:
        raise ValidationError("满意度测评尚未开启。")
    rb.state = State.CLOSED
    with transaction.atomic():
        rb.save(update_fields=["state"])
        audit(by, "close_evaluation", rb, {"state": rb.state, "answers": rb.evaluations.count()})
    return rb


def open_by_token(token: str) -> ReportBack | None:
    """The report-back a code opens, whatever its state (the page says when it is not open)."""
    return ReportBack.objects.select_related("deputy__person", "congress").filter(token=token).first()


def evaluate(rb: ReportBack, data: dict, device: str) -> ReportBackEvaluation:
    """An attendee's answer (core.intake.Intake.submit calls it). Refused when the evaluation
    is not open, when this device has answered, or when there would be more answers than
    attendees."""
    if rb.state != State.EVALUATING:
        raise ValidationError("本次述职的满意度测评未开启或已结束。")
    if data.get("rating") not in Rating.values:
        raise ValidationError({"rating": "请选择满意、基本满意或不满意。"})
    with transaction.atomic():
        # the report-back's row is locked: two answers at once cannot both pass the cap
        locked = ReportBack.objects.select_for_update().get(pk=rb.pk)
        if locked.state != State.EVALUATING:
            raise ValidationError("本次述职的满意度测评未开启或已结束。")
        if ReportBackEvaluation.objects.filter(report_back=rb, device=device).exists():
            raise ValidationError("您已经评价过本次述职，感谢参与。")
        if ReportBackEvaluation.objects.filter(report_back=rb).count() >= locked.attendees:
            raise ValidationError("评价人数已达到参加人数，不能再提交。")
        answer = ReportBackEvaluation(
            report_back=rb,
            rating=data["rating"],
            comment=_text(data.get("comment"))[:1000],
            device=device,
            submitted_on=clock.now().date(),
        )
        try:
            with transaction.atomic():
                answer.save()
        except IntegrityError:
            raise ValidationError("您已经评价过本次述职，感谢参与。") from None
    return answer


def record_paper_evaluations(by, rb: ReportBack, answers: list[dict]) -> list[ReportBackEvaluation]:
    """The paper forms collected in the hall (纸质测评表), entered by the staff while the
    evaluation is open: all or none, under the same cap (no more answers than attendees).
    Bulk: a constant number of queries whatever the number of forms (the demo's path)."""
    from renda.core.intake import new_receipt

    _require(by, "change", rb, "只有该代表所属人大的工作人员可以录入纸质测评表。")
    if rb.state != State.EVALUATING:
        raise ValidationError("本次述职的满意度测评未开启或已结束。")
    problems = [
        f"第{i}份：请选择满意、基本满意或不满意。"
        for i, a in enumerate(answers, 1)
        if a.get("rating") not in Rating.values
    ]
    if problems:
        raise ValidationError(problems)
    day = clock.now().date()
    with transaction.atomic():
        locked = ReportBack.objects.select_for_update().get(pk=rb.pk)
        if locked.state != State.EVALUATING:  # closed meanwhile (as `evaluate` checks)
            raise ValidationError("本次述职的满意度测评未开启或已结束。")
        if ReportBackEvaluation.objects.filter(report_back=rb).count() + len(answers) > locked.attendees:
            raise ValidationError("评价人数将超过参加人数，请核实。")
        first = ReportBackEvaluation.objects.filter(report_back=rb, device__startswith="paper-").count()
        saved = ReportBackEvaluation.objects.bulk_create(
            [
                ReportBackEvaluation(
                    report_back=rb,
                    rating=a["rating"],
                    comment=_text(a.get("comment"))[:1000],
                    device=f"paper-{first + i}",  # one row per paper form
                    receipt=new_receipt(),  # 50 bits each: bulk_create skips save()'s clash check
                    submitted_on=day,
                )
                for i, a in enumerate(answers)
            ]
        )
        audit(by, "paper_evaluations", rb, {"forms": len(saved)})
    return saved


@dataclass(frozen=True)
class Tally:
    satisfied: int
    basic: int
    dissatisfied: int
    attendees: int

    @property
    def total(self) -> int:
        return self.satisfied + self.basic + self.dissatisfied

    @property
    def rate(self) -> str:
        """满意率: (满意 + 基本满意) / answers, as a percentage with one decimal."""
        if not self.total:
            return "—"
        return f"{(self.satisfied + self.basic) * 100 / self.total:.1f}%"


def _counts() -> dict:
    return {
        "n_satisfied": Count("evaluations", filter=Q(evaluations__rating=Rating.SATISFIED)),
        "n_basic": Count("evaluations", filter=Q(evaluations__rating=Rating.BASIC)),
        "n_dissatisfied": Count("evaluations", filter=Q(evaluations__rating=Rating.DISSATISFIED)),
    }


def with_counts(qs):
    """Report-backs with their evaluation counts: one query for a list."""
    return qs.annotate(**_counts())


def tally(rb: ReportBack) -> Tally:
    counts = dict.fromkeys(Rating.values, 0)
    for row in ReportBackEvaluation.objects.filter(report_back=rb).values("rating").annotate(n=Count("id")):
        counts[row["rating"]] = row["n"]
    return Tally(counts[Rating.SATISFIED], counts[Rating.BASIC], counts[Rating.DISSATISFIED], rb.attendees)


def tally_of(row) -> Tally:
    """The tally of a row from `with_counts` (no query)."""
    return Tally(row.n_satisfied, row.n_basic, row.n_dissatisfied, row.attendees)


def not_reported(term, deputies=None):
    """Deputies of `term` in office (serving) who have held no report-back this term: one query."""
    qs = Deputy.objects.all() if deputies is None else deputies
    held = ReportBack.objects.filter(deputy=OuterRef("pk"), term=term, held_on__isnull=False)
    scheduled = ReportBack.objects.filter(deputy=OuterRef("pk"), term=term, state=State.SCHEDULED)
    return (
        qs.filter(term=term, status=Deputy.Status.SERVING)
        .exclude(Exists(held))
        .annotate(has_scheduled=Exists(scheduled))
        .select_related("person", "constituency", "delegation")
        .order_by("person__name", "pk")
    )
