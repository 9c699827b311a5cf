"""Supervision services: what users (and the demo year) call. Views stay thin; permissions are
checked here (`require`), every write is audited, dated acts take `on=` for records entered
after the fact (as `perform(today=)`)."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from renda.core import clock
from renda.core.models import Congress
from renda.core.scoping import allowed, require
from renda.core.services import audit
from renda.meetings import groups as meeting_groups
from renda.meetings.models import Speech
from renda.workflow.engine import perform
from renda.workflow.models import Participation
from renda.workflow.participation import record_participants

from .models import (
    Activity,
    Inquiry,
    InquiryQuestion,
    Interpellation,
    Investigation,
    LawInspection,
    SupervisionPlan,
    WorkReport,
)

ITEM_MODELS = {m.case_type_key: m for m in (WorkReport, LawInspection, Investigation, Inquiry)}
# 质询案: at a city's standing committee at least 5 members jointly, at a county's 3 (SUP-9)
INTERPELLATION_MINIMUM = {Congress.Level.CITY: 5, Congress.Level.COUNTY: 3}


def _dated(on: date | None):
    return clock.dated(clock.on(on)) if on and on != date.today() else clock.dated(None)


@transaction.atomic
def create_plan(by, congress, year: int, *, title: str = "", text: str = "", on: date | None = None) -> SupervisionPlan:
    plan = SupervisionPlan(congress=congress, year=year, title=title or f"{year}年度监督工作计划", text=text)
    require(by, "add", SupervisionPlan)
    if not allowed(by, "change", plan):
        raise PermissionDenied("您不能为该人大起草监督工作计划。")
    if SupervisionPlan.objects.filter(congress=congress, year=year).exists():
        raise ValidationError({"year": [f"{year}年度的监督工作计划已经存在。"]})
    with _dated(on):
        plan.save()
    audit(by, "create", plan, {"year": year, "title": plan.title})
    return plan


@transaction.atomic
def add_item(by, plan: SupervisionPlan | None, kind: str, /, *, reason: str = "", on: date | None = None, **fields):
    """A plan item becomes a case of its kind (work_report, law_inspection, investigation,
    inquiry). Once the plan is adopted it changes only with a reason, recorded on its timeline.
    `kind` is positional only: a report's or an investigation's own category goes in `fields` as
    `kind=` (or `item_kind=`)."""
    model = ITEM_MODELS.get(kind)
    if model is None:
        raise ValidationError({"kind": ["未知的监督事项类别。"]})
    congress = plan.congress if plan else fields.pop("congress")
    if "item_kind" in fields:  # the model's own `kind` (报告类别, 调研类别): `kind` here is the case type
        fields["kind"] = fields.pop("item_kind")
    item = model(congress=congress, plan=plan, planned_on=on or date.today(), **fields)
    require(by, "add", model)
    if not by.actor.manages(congress.pk) if by is not None else False:
        raise PermissionDenied("您不能为该人大安排监督事项。")
    if plan is not None and plan.state != "draft":
        if not reason.strip():
            raise ValidationError({"reason": ["计划已经主任会议通过，增加事项须说明调整理由。"]})
        perform(plan, "adjust", by, {"note": f"增加“{item.title}”：{reason.strip()}"}, today=on)
    item.full_clean(exclude=["state"])
    with _dated(on):
        item.save()
    audit(by, "create", item, {"title": item.title, "plan": plan.pk if plan else None})
    return item


def plan_items(plan: SupervisionPlan, user=None, *, clocks: bool = False) -> list:
    """Every item of a plan (one query per kind of item), in planned order, for its page.
    `clocks`: each item carries its running clock that falls due first (`next_due`,
    `next_due_label`; one subquery, not a query per item)."""
    from django.db.models import Subquery

    from renda.core.scoping import visible
    from renda.workflow.models import Deadline

    items = []
    for model in (*ITEM_MODELS.values(), Interpellation):
        qs = model.objects.filter(plan=plan).select_related("body", "organ", "unit", "sitting__term__congress")
        if user is not None:
            qs = visible(user, model, qs)
        if clocks:
            due = Deadline.objects.running_for_outer(model).order_by("due_on")
            qs = qs.annotate(
                next_due=Subquery(due.values("due_on")[:1]), next_due_label=Subquery(due.values("label")[:1])
            )
        items.extend(qs)
    # pks of different kinds do not compare: the order they were planned in does
    return sorted(items, key=lambda i: (i.planned_on or date.max, i.created_at, i.pk))


def plan_progress(items) -> dict:
    """How far a plan's items are: done (办结), dropped (撤销, 不予交付: out of the count),
    underway, and the total that counts (the items not dropped)."""
    from .cases import INQUIRY, INTERPELLATION, INVESTIGATION, LAW_INSPECTION, WORK_REPORT

    # named per case type: test_state_groups checks each asked tag against its case type
    finished = {
        "work_report": WORK_REPORT.states_tagged("done"),
        "law_inspection": LAW_INSPECTION.states_tagged("done"),
        "investigation": INVESTIGATION.states_tagged("done"),
        "inquiry": INQUIRY.states_tagged("done"),
        "interpellation": INTERPELLATION.states_tagged("done"),
    }
    done = dropped = 0
    for item in items:
        case_type = item.case_type
        if item.state in finished[case_type.key]:
            done += 1
        elif case_type.state(item.state).terminal:
            dropped += 1
    total = len(items) - dropped
    return {"total": total, "done": done, "underway": total - done, "dropped": dropped}


@transaction.atomic
def record_speech(by, item, speaker, text: str, *, deputy=None, sitting=None, on: date | None = None):
    """审议发言 of a member (or an observing deputy) on an item; the speaker is also recorded as
    a participant (发言), so the archive counts it. Written to the one speech model
    (meetings.Speech): at the item's sitting (or `sitting`), on the sitting's agenda item for the
    item when there is one, so the sitting's compiled speeches show it once circulated."""
    if not allowed(by, "view_process", item) or not by.actor.manages(item.congress_id):
        raise PermissionDenied("您不能为该事项记录审议发言。")
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError({"text": ["请填写发言内容（不少于10个字）。"]})
    on = on or date.today()
    sitting = sitting or item.sitting
    speech = Speech.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        congress_id=item.congress_id,
        speaker=speaker,
        deputy=deputy,
        sitting=sitting,
        item=meeting_groups.agenda_item_of(sitting, item) if sitting else None,
        group=meeting_groups.group_of(sitting, speaker) if sitting else None,
        spoken_on=on,
        text=text,
        recorded_by=by,
        recorded_at=clock.now() if on == date.today() else clock.on(on),
    )
    record_participants(item, [deputy or speaker], Participation.Capacity.SPEAKER, on=on)
    audit(by, "create", speech, {"speaker": speaker.name, "item": item.pk})
    return speech


def speeches_of(item, user):
    from renda.core.scoping import visible

    return (
        visible(user, Speech)
        .filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
        .select_related("speaker", "sitting__term")
        .order_by("spoken_on", "recorded_at", "id")
    )


@transaction.atomic
def record_activity(by, item, kind: str, on: date, place: str, note: str = ""):
    if not by.actor.manages(item.congress_id):
        raise PermissionDenied("您不能为该事项记录活动。")
    activity = Activity(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        kind=kind,
        on=on,
        place=(place or "").strip(),
        note=note,
        created_by=by,
    )
    activity.full_clean(exclude=["content_type", "created_by"])
    activity.save()
    audit(by, "create", activity, {"kind": kind, "item": item.pk})
    return activity


def activities_of(item):
    return Activity.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


@transaction.atomic
def add_question(
    by,
    inquiry: Inquiry,
    asker,
    question: str,
    answerer: str,
    *,
    answer: str = "",
    promises: str = "",
    deputy=None,
    on=None,
):
    """One question of a special inquiry: the asker is recorded as a participant (发言)."""
    if not by.actor.manages(inquiry.congress_id):
        raise PermissionDenied("您不能为该专题询问记录问题。")
    order = (InquiryQuestion.objects.filter(inquiry=inquiry).count()) + 1
    q = InquiryQuestion(
        inquiry=inquiry,
        order=order,
        asker=asker,
        asker_deputy=deputy,
        question=(question or "").strip(),
        answerer=(answerer or "").strip(),
        answer=(answer or "").strip(),
        promises=(promises or "").strip(),
    )
    q.full_clean(exclude=["inquiry", "asker", "asker_deputy"])
    q.save()
    record_participants(inquiry, [deputy or asker], Participation.Capacity.SPEAKER, on=on or inquiry.held_on)
    audit(by, "create", q, {"inquiry": inquiry.pk, "order": order})
    return q


@transaction.atomic
def propose_interpellation(by, congress, *, title: str, organ, questions: str, proposers, body, on=None):
    """质询案 proposed jointly by members (the first leads); at least 5 at a city (3 at a county)."""
    people = list(dict.fromkeys(m.person for m in proposers))
    minimum = INTERPELLATION_MINIMUM.get(congress.level, 5)
    if len(people) < minimum:
        raise ValidationError({"proposers": [f"质询案须由常委会组成人员{minimum}人以上联名提出。"]})
    require(by, "add", Interpellation)
    case = Interpellation(
        congress=congress, title=title, organ=organ, questions=questions, body=body, planned_on=on or date.today()
    )
    case.full_clean(exclude=["state"])
    with _dated(on):
        case.save()
    record_participants(case, people[:1], Participation.Capacity.AUTHOR, on=case.planned_on)
    record_participants(case, people[1:], Participation.Capacity.COSIGNER, on=case.planned_on)
    audit(by, "create", case, {"title": title, "proposers": len(people)})
    return case


def plan_congresses(user):
    """The congresses for which the user may draft a plan: those whose staff or administrators
    they are (with a standing committee)."""
    from renda.core.scoping import MANAGE_ROLES, actor_of

    return actor_of(user).congresses(*MANAGE_ROLES).filter(has_standing_committee=True).order_by("path")


@transaction.atomic
def open_problem_from_promise(
    by,
    question: InquiryQuestion,
    *,
    unit,
    due_on: date,
    title: str | None = None,
    body=None,
    on: date | None = None,
):
    """What the organ promised at a special inquiry, put on the one problem ledger: a problem item
    of the inquiry's list (the list arises from the inquiry, a workflow.Link 源于), for `unit` to
    rectify by `due_on`, its measures the promise, supervised by the inquiry's body in charge
    unless `body` is given. Once per question."""
    from renda.problems.services import open_problem

    question = InquiryQuestion.objects.select_for_update().select_related("inquiry").get(pk=question.pk)
    inquiry = question.inquiry
    if not by.actor.manages(inquiry.congress_id):
        raise PermissionDenied("您不能将该专题询问的承诺列入问题清单。")
    if question.problem_id:
        raise ValidationError({"question": ["该问题的承诺已经列入问题清单。"]})
    if not question.promises:
        raise ValidationError({"promises": ["该问题没有承诺的整改措施。"]})
    if inquiry.state in ("planned", "prepared", "withdrawn"):
        raise ValidationError({"question": ["专题询问开展后才能将承诺列入问题清单。"]})
    item = open_problem(
        inquiry,
        by,
        title=(title or question.question).strip()[:200],
        unit=unit,
        due_on=due_on,
        measures=question.promises,
        body=body or inquiry.body,
        on=on,
    )
    question.problem = item
    question.save(update_fields=["problem"])
    audit(by, "update", question, {"problem": item.pk})
    return item
