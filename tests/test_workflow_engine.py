"""The workflow engine, tested on the test-only case type "petition" (tests/workflow_app).

draft ─submit→ submitted ─assign→ assigned ─answer→ answered ─evaluate→ concluded
                   └─reject→ rejected   ⇅ suspend/resume           └──(不满意)→ assigned
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.core.models import Notification
from renda.workflow import calendar
from renda.workflow.engine import (
    NOBODY,
    CaseType,
    DeadlineRule,
    Guard,
    State,
    Transition,
    WorkflowError,
    extend_deadline,
    perform,
)
from renda.workflow.models import Deadline, DeadlineExtension, Event, StateChangeOutsideTransition
from renda.workflow.registry import case_type_of
from renda.workflow.tasks import daily_deadline_jobs, escalate_overdue, send_reminders
from workflow_app.cases import PETITION
from workflow_app.models import Petition

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Every acting user of the world, plus the superuser "root" and anonymous "public".
ACTORS = [
    "root",
    "admin",
    "staff",
    "county_staff",
    "director",
    "member",
    "deputy",
    "other_deputy",
    "unit",
    "other_unit",
    "noroles",
    "public",
]
KEYS = [t.key for t in PETITION.transitions]
SATISFACTION = ["satisfied", "basic", "dissatisfied"]
# Transitions whose form has a required field (besides inputs chosen per step).
NOTE_REQUIRED = {t.key for t in PETITION.transitions if t.note_required}


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def user_of(world, role):
    if role == "public":
        return AnonymousUser()
    if role == "root":
        return world.admin
    return world.users[role]


def new_petition(world, congress=None, author=None, **extra):
    return Petition.objects.create(
        congress=congress or world.city, author=author or world.deputy, title="关于改善校车安全的请求", **extra
    )


def events_of(case):
    return list(Event.objects.for_case(case).order_by("sequence"))


def event_rows(case):
    """The event log as plain values, to compare before and after a step."""
    return list(
        Event.objects.for_case(case)
        .order_by("sequence")
        .values_list("pk", "sequence", "transition", "from_state", "to_state", "actor_id", "note", "data")
    )


def reply_clocks(case):
    return Deadline.objects.for_case(case).filter(key="reply").order_by("id")


# ------------------------------------------------------------- the oracle
#
# Who may do what, written out by hand from the world (not from the guards), so that the
# guards are checked against an independent statement of the rules.


def expected_allowed(world, role, key, case) -> bool:
    """May `role` perform transition `key` on `case` as far as the guard goes (state aside)?"""
    if key in ("submit", "evaluate"):
        return {"deputy": world.deputy, "other_deputy": world.other_deputy}.get(role) == case.author
    if key in ("reject", "assign", "suspend", "resume"):
        # Cases live in the city congress or in county_a, which lies below the city: the
        # superuser and city staff/admin act on both, county staff only on county_a's.
        assert case.congress in (world.city, world.county_a)
        if role in ("root", "admin", "staff"):
            return True
        return role == "county_staff" and case.congress == world.county_a
    if key == "answer":
        own_unit = {"unit": world.unit_a, "other_unit": world.unit_b}.get(role)
        return own_unit is not None and own_unit == case.unit
    raise AssertionError(key)


def step_data(world, key, unit_choice, satisfaction, complete):
    """The form data for one step; incomplete data omits what the form requires."""
    if not complete:
        return {}
    if key == "assign":
        return {"unit": {"a": world.unit_a, "b": world.unit_b, "county": world.county_unit}[unit_choice].pk}
    if key == "evaluate":
        return {"satisfaction": satisfaction}
    if key in NOTE_REQUIRED:
        return {"note": "依据有关规定"}
    return {}


def data_valid(key, data) -> bool:
    if key == "assign":
        return "unit" in data
    if key == "evaluate":
        return "satisfaction" in data
    if key in NOTE_REQUIRED:
        return bool(data.get("note"))
    return True


def declared_pairs(key):
    t = PETITION.transition(key)
    return {(s, d) for s in t.sources for d in t.possible_targets}


# ------------------------------------------------------------- properties


step_strategy = st.tuples(
    st.sampled_from(KEYS + ["no_such_transition"]),
    st.sampled_from(ACTORS),
    st.sampled_from(["a", "a", "b", "county"]),
    st.sampled_from(SATISFACTION),
    st.booleans(),
)


@settings(HYPOTHESIS, max_examples=50)
@given(data=st.data())
def test_state_changes_only_through_declared_transitions(world, data):
    congress, author = data.draw(
        st.sampled_from(
            [
                (world.city, world.deputy),
                (world.city, world.other_deputy),
                (world.county_a, world.county_deputy),
            ]
        ),
        label="congress/author",
    )
    case = new_petition(world, congress=congress, author=author)
    assert case.state == PETITION.initial
    stored_state, logged = case.state, []  # as read back from the database after each step
    n_steps = data.draw(st.integers(min_value=3, max_value=16), label="steps")
    for _ in range(n_steps):
        key, role, unit_choice, satisfaction, complete = data.draw(step_strategy, label="step")
        # Mostly aim at a transition that leaves the current state, performed by someone
        # entitled to, so that the sequences get past the first steps; the rest of the
        # time the step is arbitrary.
        outgoing = [t.key for t in PETITION.outgoing(case.state)]
        if outgoing and data.draw(st.integers(0, 3), label="wild") != 3:
            key = data.draw(st.sampled_from(outgoing), label="aimed key")
            entitled = [r for r in ACTORS if expected_allowed(world, r, key, case)]
            if entitled:
                role = data.draw(st.sampled_from(entitled), label="entitled role")
            complete = complete or data.draw(st.integers(0, 3), label="incomplete") != 3
        user = user_of(world, role)
        before_state, before_events = stored_state, logged
        payload = step_data(world, key, unit_choice, satisfaction, complete)

        # What should happen, from the oracle.
        if key not in KEYS:
            expected = WorkflowError
        elif not data_valid(key, payload):
            expected = ValidationError
        elif before_state not in PETITION.transition(key).sources:
            expected = WorkflowError
        elif not expected_allowed(world, role, key, case):
            expected = PermissionDenied
        else:
            expected = None

        try:
            event = perform(case, key, user, payload)
        except (WorkflowError, PermissionDenied, ValidationError) as exc:
            assert expected is not None and isinstance(exc, expected), (key, role, before_state, exc)
            # Nothing moved: neither the state nor the event log.
            stored_state, logged = Petition.objects.get(pk=case.pk).state, event_rows(case)
            assert stored_state == case.state == before_state
            assert logged == before_events
            continue

        assert expected is None, (key, role, before_state, "should have raised", expected)
        logged = event_rows(case)
        assert logged[:-1] == before_events, "exactly one event appended, none changed"
        assert logged[-1][0] == event.pk
        assert event.sequence == len(logged)
        assert event.transition == key
        assert event.from_state == before_state
        assert (event.from_state, event.to_state) in declared_pairs(key)
        assert event.actor_id == user.pk
        stored = Petition.objects.get(pk=case.pk)
        stored_state = stored.state
        assert stored_state == event.to_state == case.state
        if key == "evaluate":
            assert event.to_state == ("assigned" if satisfaction == "dissatisfied" else "concluded")
        if key == "assign":
            assert stored.unit_id == payload["unit"]


# Paths from draft to each state, performed by the system (by=None bypasses guards).
PATHS = {
    "draft": [],
    "submitted": [("submit", {})],
    "rejected": [("submit", {}), ("reject", {"note": "不符合条件"})],
    "assigned": [("submit", {}), ("assign", "UNIT")],
    "suspended": [("submit", {}), ("assign", "UNIT"), ("suspend", {"note": "等待材料"})],
    "answered": [("submit", {}), ("assign", "UNIT"), ("answer", {})],
    "rehandling": [("submit", {}), ("assign", "UNIT"), ("answer", {}), ("evaluate", {"satisfaction": "dissatisfied"})],
    "concluded": [("submit", {}), ("assign", "UNIT"), ("answer", {}), ("evaluate", {"satisfaction": "basic"})],
}


def drive(case, path, unit):
    for key, data in path:
        perform(case, key, None, {"unit": unit.pk} if data == "UNIT" else data)
    return case


@HYPOTHESIS
@given(
    where=st.sampled_from(["city/deputy", "city/other_deputy", "county/county_deputy"]),
    target=st.sampled_from(sorted(PATHS)),
    unit_key=st.sampled_from(["unit_a", "unit_b", "county_unit"]),
)
def test_guards_agree_with_the_rules_and_with_pending_q(world, where, target, unit_key):
    congress, author = {
        "city/deputy": (world.city, world.deputy),
        "city/other_deputy": (world.city, world.other_deputy),
        "county/county_deputy": (world.county_a, world.county_deputy),
    }[where]
    case = drive(new_petition(world, congress=congress, author=author), PATHS[target], getattr(world, unit_key))
    case = Petition.objects.get(pk=case.pk)
    for role in ACTORS:
        user = user_of(world, role)
        available = {t.key for t in PETITION.available(user, case)}
        expected = {t.key for t in PETITION.outgoing(case.state) if expected_allowed(world, role, t.key, case)}
        assert available == expected, (role, case.state)
        # The workbench query and the buttons agree.
        pending = Petition.objects.filter(PETITION.pending_q(user)).filter(pk=case.pk).exists()
        assert pending == bool(available), (role, case.state)
        # Specific refusals the rules promise.
        if role in ("noroles", "public", "director", "member"):
            assert not available
        if role == "other_unit" and case.unit == world.unit_a:
            assert "answer" not in available
        own_deputy = {"deputy": world.deputy, "other_deputy": world.other_deputy}.get(role)
        if case.author != own_deputy:
            assert not ({"submit", "evaluate"} & available)
        # And perform agrees with the guard for every outgoing transition.
        for t in PETITION.outgoing(case.state):
            if t.key in available:
                continue
            payload = (
                {"unit": world.unit_a.pk}
                if t.key == "assign"
                else {"satisfaction": "satisfied"}
                if t.key == "evaluate"
                else {"note": "说明"}
            )
            with pytest.raises(PermissionDenied):
                perform(case, t.key, user, payload)
            assert Petition.objects.get(pk=case.pk).state == case.state


def test_refusals_of_roles_without_permission(world):
    case = new_petition(world)
    for role in ("other_deputy", "unit", "staff", "public", "noroles"):
        with pytest.raises(PermissionDenied, match="提交"):
            perform(case, "submit", user_of(world, role))
    perform(case, "submit", world.users["deputy"])
    perform(case, "assign", world.users["staff"], {"unit": world.unit_a.pk})
    for role in ("other_unit", "staff", "deputy", "public", "noroles"):
        with pytest.raises(PermissionDenied, match="答复"):
            perform(case, "answer", user_of(world, role))
    perform(case, "answer", world.users["unit"])
    for role in ("other_deputy", "unit", "staff", "public"):
        with pytest.raises(PermissionDenied, match="测评"):
            perform(case, "evaluate", user_of(world, role), {"satisfaction": "satisfied"})
    assert Petition.objects.get(pk=case.pk).state == "answered"
    # Guard.passes, on its own.
    unit_guard = PETITION.transition("answer").who
    assert unit_guard.passes(world.users["unit"].actor, case)
    assert not unit_guard.passes(world.users["other_unit"].actor, case)
    # Nobody may act on a case anywhere for an anonymous visitor, by the workbench query either.
    assert not Petition.objects.filter(PETITION.pending_q(AnonymousUser())).exists()
    assert not Petition.objects.filter(PETITION.pending_q(None)).exists()


def test_guard_combinators(world):
    case = new_petition(world)
    a = Guard("甲", lambda actor: Q(pk=case.pk))
    b = Guard("乙", lambda actor: NOBODY)
    actor = world.users["staff"].actor
    assert (a | b).passes(actor, case) and (a | b).label == "甲或乙"
    assert not (a & b).passes(actor, case) and (a & b).label == "甲且乙"


# ------------------------------------------------------------- state only through perform


def test_state_cannot_change_outside_perform(world):
    case = new_petition(world)
    assert case.state == "draft"
    case.state = "concluded"
    with pytest.raises(StateChangeOutsideTransition):
        case.save()
    assert Petition.objects.get(pk=case.pk).state == "draft"

    loaded = Petition.objects.get(pk=case.pk)
    loaded.state = "submitted"
    with pytest.raises(StateChangeOutsideTransition):
        loaded.save()
    # Other fields may be edited.
    loaded.state = "draft"
    loaded.title = "新标题"
    loaded.save()
    assert Petition.objects.get(pk=case.pk).title == "新标题"
    # After a transition, the caller's object follows and can be saved again.
    perform(loaded, "submit", None)
    loaded.title = "再改标题"
    loaded.save()
    assert Petition.objects.get(pk=case.pk).state == "submitted"


def test_saving_a_stale_copy_does_not_revert_the_state(world):
    case = new_petition(world)
    stale = Petition.objects.get(pk=case.pk)
    perform(case, "submit", world.users["deputy"])
    stale.title = "同时编辑的标题"
    try:
        stale.save()
    except StateChangeOutsideTransition:
        pass  # refusing the stale save is as good as keeping the state
    assert Petition.objects.get(pk=case.pk).state == "submitted"


def test_new_case_must_start_in_the_initial_state(world):
    with pytest.raises(StateChangeOutsideTransition):
        Petition.objects.create(congress=world.city, author=world.deputy, title="x", state="assigned")
    with pytest.raises(StateChangeOutsideTransition):
        Petition(congress=world.city, author=world.deputy, title="x", state="concluded").save()
    assert not Petition.objects.exists()
    explicit = Petition.objects.create(congress=world.city, author=world.deputy, title="x", state="draft")
    assert explicit.state == "draft"


# ------------------------------------------------------------- append-only events


def test_events_are_append_only(world):
    case = new_petition(world)
    event = perform(case, "submit", world.users["deputy"], {"note": "请尽快办理"})
    assert (event.sequence, event.from_state, event.to_state, event.note) == (1, "draft", "submitted", "请尽快办理")
    assert "deputy" in event.actor_label

    event.note = "改过的说明"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert Event.objects.get(pk=event.pk).note == "请尽快办理"

    # Not even SQL can change or remove it: database triggers refuse.
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE workflow_event SET note = %s WHERE id = %s", ["篡改", event.pk])
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM workflow_event WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            Event.objects.filter(pk=event.pk).update(note="篡改")
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            Event.objects.filter(pk=event.pk).delete()
    stored = Event.objects.get(pk=event.pk)
    assert (stored.note, stored.to_state) == ("请尽快办理", "submitted")
    assert Event.objects.for_case(case).count() == 1


# ------------------------------------------------------------- deadlines


def test_reply_deadline_lifecycle(world):
    staff, unit, deputy = world.users["staff"], world.users["unit"], world.users["deputy"]
    case = new_petition(world)
    perform(case, "submit", deputy, today=date(2020, 9, 25))

    # Assigned on Monday 28 September 2020, before the National Day holiday (1–8 October,
    # with Saturday 10 October a make-up working day). 15 working days after the 28th:
    #   29, 30 Sep (2) · 9 Oct (3) · Sat 10 Oct (4) · 12–16 Oct (9) · 19–23 Oct (14) · 26 Oct (15)
    perform(case, "assign", staff, {"unit": world.unit_a.pk}, today=date(2020, 9, 28))
    (clock,) = reply_clocks(case)
    assert clock.status == Deadline.Status.RUNNING
    assert (clock.started_on, clock.due_on, clock.original_due_on) == (
        date(2020, 9, 28),
        date(2020, 10, 26),
        date(2020, 10, 26),
    )
    assert clock.handling_unit == world.unit_a
    assert (clock.label, clock.rule, clock.citation) == ("答复期限", "15个工作日", "测试规则")
    assert clock.congress_id == world.city.pk and clock.case_type == "petition"
    assert clock.case == case

    # Suspended on Monday 12 October, resumed on Monday 19 October: the working days lost
    # are 13–16 and 19 October (5), so the due date moves from 26 Oct by 5 working days:
    # 27, 28, 29, 30 Oct, 2 Nov.
    perform(case, "suspend", staff, {"note": "等待补充材料"}, today=date(2020, 10, 12))
    clock.refresh_from_db()
    assert (clock.status, clock.paused_on, clock.due_on) == (
        Deadline.Status.PAUSED,
        date(2020, 10, 12),
        date(2020, 10, 26),
    )
    perform(case, "resume", staff, today=date(2020, 10, 19))
    clock.refresh_from_db()
    assert (clock.status, clock.paused_on, clock.due_on) == (Deadline.Status.RUNNING, None, date(2020, 11, 2))
    assert clock.original_due_on == date(2020, 10, 26)

    # The unit answers: the clock stops.
    perform(case, "answer", unit, {"note": "已答复"}, today=date(2020, 10, 30))
    clock.refresh_from_db()
    assert (clock.status, clock.stopped_on) == (Deadline.Status.STOPPED, date(2020, 10, 30))

    # Dissatisfied on 31 January 2021: back to handling with a one-month clock, which ends
    # on the last day of February (no 31 February).
    stray = Deadline.objects.create(
        content_type=clock.content_type,
        object_id=case.pk,
        case_type="petition",
        congress=world.city,
        key="reply",
        label="答复期限",
        rule="15个工作日",
        started_on=date(2021, 1, 1),
        due_on=date(2021, 1, 22),
        original_due_on=date(2021, 1, 22),
    )
    perform(case, "evaluate", deputy, {"satisfaction": "dissatisfied"}, today=date(2021, 1, 31))
    assert case.state == "assigned"
    stray.refresh_from_db()
    assert (stray.status, stray.stopped_on) == (Deadline.Status.STOPPED, date(2021, 1, 31))
    running = list(reply_clocks(case).exclude(status=Deadline.Status.STOPPED))
    assert len(running) == 1
    rehandle = running[0]
    assert (rehandle.label, rehandle.rule, rehandle.started_on, rehandle.due_on) == (
        "重新办理期限",
        "1个月",
        date(2021, 1, 31),
        date(2021, 2, 28),
    )
    assert rehandle.handling_unit == world.unit_a
    clock.refresh_from_db()
    assert clock.stopped_on == date(2020, 10, 30), "an already stopped clock is left alone"

    # A calendar-month clock paused for 10 days resumes with 10 calendar days more.
    perform(case, "suspend", staff, {"note": "等待"}, today=date(2021, 2, 1))
    perform(case, "resume", staff, today=date(2021, 2, 11))
    rehandle.refresh_from_db()
    assert (rehandle.status, rehandle.due_on) == (Deadline.Status.RUNNING, date(2021, 3, 10))

    # Satisfied at last: concluded, every clock of the case stopped (any key).
    perform(case, "answer", unit, today=date(2021, 2, 20))
    other = Deadline.objects.create(
        content_type=clock.content_type,
        object_id=case.pk,
        case_type="petition",
        congress=world.city,
        key="other",
        label="其他期限",
        rule="10日",
        started_on=date(2021, 2, 20),
        due_on=date(2021, 3, 2),
        original_due_on=date(2021, 3, 2),
    )
    perform(case, "evaluate", deputy, {"satisfaction": "satisfied"}, today=date(2021, 2, 25))
    assert Petition.objects.get(pk=case.pk).state == "concluded"
    assert not Deadline.objects.for_case(case).exclude(status=Deadline.Status.STOPPED).exists()
    other.refresh_from_db()
    assert other.stopped_on == date(2021, 2, 25)
    assert [e.transition for e in events_of(case)] == [
        "submit",
        "assign",
        "suspend",
        "resume",
        "answer",
        "evaluate",
        "suspend",
        "resume",
        "answer",
        "evaluate",
    ]


def test_reject_is_terminal_and_starts_no_clock(world):
    case = new_petition(world)
    perform(case, "submit", world.users["deputy"])
    with pytest.raises(ValidationError) as info:
        perform(case, "reject", world.users["staff"], {})
    assert "note" in info.value.message_dict
    perform(case, "reject", world.users["staff"], {"note": "不属于本级人大职权"})
    assert case.state == "rejected" and PETITION.state(case.state).terminal
    assert not Deadline.objects.for_case(case).exists()
    assert not PETITION.available(world.users["staff"], case)


def _assigned(world, today):
    case = new_petition(world)
    perform(case, "submit", world.users["deputy"], today=today)
    perform(case, "assign", world.users["staff"], {"unit": world.unit_a.pk}, today=today)
    return case, reply_clocks(case).get()


def test_extend_deadline(world):
    case, clock = _assigned(world, date(2020, 9, 28))
    staff = world.users["staff"]
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as info:
            extend_deadline(clock, date(2020, 11, 30), reason, staff)
        assert info.value.message_dict == {"reason": ["延期必须说明理由。"]}
    for new_due in (date(2020, 10, 26), date(2020, 10, 20)):
        with pytest.raises(ValidationError) as info:
            extend_deadline(clock, new_due, "情况复杂", staff)
        assert info.value.message_dict == {"new_due_on": ["延期后的期限必须晚于原期限。"]}
    assert not DeadlineExtension.objects.exists()

    # Reminded once ...
    window = django_settings.RENDA_REMINDER_DAYS
    assert send_reminders(today=date(2020, 10, 26) - timedelta(days=window)) == 1
    clock.refresh_from_db()
    assert clock.reminded_at is not None
    # ... then extended: the reminder is re-armed and the original due date kept.
    extend_deadline(clock, date(2020, 11, 30), "  涉及多个部门，需协调  ", staff)
    clock.refresh_from_db()
    assert (clock.due_on, clock.original_due_on, clock.reminded_at, clock.escalated_at) == (
        date(2020, 11, 30),
        date(2020, 10, 26),
        None,
        None,
    )
    (ext,) = clock.extensions.all()
    assert (ext.previous_due_on, ext.new_due_on, ext.reason, ext.approved_by) == (
        date(2020, 10, 26),
        date(2020, 11, 30),
        "涉及多个部门，需协调",
        staff,
    )
    assert send_reminders(today=date(2020, 10, 26) - timedelta(days=window)) == 0, "no longer due soon"
    assert send_reminders(today=date(2020, 11, 30) - timedelta(days=window)) == 1
    assert Notification.objects.filter(kind="reminder", user=world.users["unit"]).count() == 2

    # A second extension chains from the first.
    extend_deadline(clock, date(2020, 12, 15), "再次延期", staff)
    assert list(clock.extensions.values_list("previous_due_on", "new_due_on")) == [
        (date(2020, 10, 26), date(2020, 11, 30)),
        (date(2020, 11, 30), date(2020, 12, 15)),
    ]

    # A stopped clock cannot be extended.
    perform(case, "answer", world.users["unit"], today=date(2020, 12, 1))
    clock.refresh_from_db()
    with pytest.raises(WorkflowError, match="已结束"):
        extend_deadline(clock, date(2021, 1, 31), "理由", staff)


# ------------------------------------------------------------- reminders and escalation


def test_reminders_are_sent_once_within_the_window(world):
    case, clock = _assigned(world, date(2020, 9, 28))
    due = clock.due_on
    window = django_settings.RENDA_REMINDER_DAYS
    assert send_reminders(today=due - timedelta(days=window + 1)) == 0
    assert not Notification.objects.filter(kind="reminder").exists()

    assert send_reminders(today=due - timedelta(days=window)) == 1
    (note,) = Notification.objects.filter(kind="reminder")
    assert note.user == world.users["unit"]
    assert "即将到期" in note.text and case.title in note.text and "2020年10月26日" in note.text
    assert note.url == f"/petitions/{case.pk}/"
    # Only once.
    assert send_reminders(today=due - timedelta(days=1)) == 0
    assert send_reminders(today=due) == 0
    assert Notification.objects.filter(kind="reminder").count() == 1
    # No escalation before the due date has passed.
    assert escalate_overdue(today=due) == 0


def test_paused_and_stopped_clocks_are_neither_reminded_nor_escalated(world):
    case, clock = _assigned(world, date(2020, 9, 28))
    perform(case, "suspend", world.users["staff"], {"note": "暂停"}, today=date(2020, 10, 12))
    assert send_reminders(today=date(2020, 10, 23)) == 0
    assert escalate_overdue(today=date(2020, 12, 1)) == 0
    perform(case, "resume", world.users["staff"], today=date(2020, 10, 13))
    perform(case, "answer", world.users["unit"], today=date(2020, 10, 14))
    assert send_reminders(today=date(2020, 10, 23)) == 0
    assert escalate_overdue(today=date(2020, 12, 1)) == 0
    assert not Notification.objects.filter(kind__in=["reminder", "overdue"]).exists()


def test_overdue_deadlines_are_escalated_once(world):
    case, clock = _assigned(world, date(2020, 9, 28))
    assert escalate_overdue(today=date(2020, 10, 29)) == 2
    notes = Notification.objects.filter(kind="overdue")
    assert {n.user.username for n in notes} == {"staff", "unit"}
    assert all("已逾期3天" in n.text and case.title in n.text for n in notes)
    assert escalate_overdue(today=date(2020, 11, 5)) == 0
    assert notes.count() == 2
    clock.refresh_from_db()
    assert clock.escalated_at is not None


def _due_soon_and_overdue(world):
    """One deadline due within the reminder window and one overdue, relative to today."""
    today = timezone.localdate()
    soon, soon_clock = _assigned(world, today - timedelta(days=3))
    Deadline.objects.filter(pk=soon_clock.pk).update(due_on=today)
    late, _ = _assigned(world, today - timedelta(days=90))
    return soon, late


def test_deadlines_command_runs_the_jobs(world):
    _due_soon_and_overdue(world)
    out = io.StringIO()
    call_command("workflow", "deadlines", stdout=out)
    assert out.getvalue().strip() == "reminded=1 escalated=2"
    out = io.StringIO()
    call_command("workflow", "deadlines", stdout=out)
    assert out.getvalue().strip() == "reminded=0 escalated=0"
    assert Notification.objects.filter(kind="reminder").count() == 1
    assert Notification.objects.filter(kind="overdue").count() == 2


def test_daily_periodic_task(world):
    _due_soon_and_overdue(world)
    assert daily_deadline_jobs.call_local() == {"reminded": 1, "escalated": 2}
    assert daily_deadline_jobs.call_local() == {"reminded": 0, "escalated": 0}


# ------------------------------------------------------------- the diagram command


def test_diagram_command():
    out = io.StringIO()
    call_command("workflow", "diagram", "petition", "--format", "mermaid", stdout=out)
    text = out.getvalue()
    assert text.startswith("stateDiagram-v2")
    for state in PETITION.states:
        assert f"{state.key}: {state.label}" in text
    assert "[*] --> draft" in text and "concluded --> [*]" in text and "rejected --> [*]" in text
    assert "submitted --> assigned: 交办（机关工作人员） ⏱15个工作日" in text
    assert "answered --> concluded" in text and "answered --> assigned" in text

    out = io.StringIO()
    call_command("workflow", "diagram", "petition", "--format", "dot", stdout=out)
    text = out.getvalue()
    assert text.startswith('digraph "petition" {') and text.rstrip().endswith("}")
    for state in PETITION.states:
        assert f'label="{state.label}"' in text
    assert "submitted -> assigned" in text

    out = io.StringIO()
    call_command("workflow", "list", stdout=out)
    assert "petition\t测试请求" in out.getvalue()

    with pytest.raises(CommandError, match="未知的案件类型"):
        call_command("workflow", "diagram", "no_such_type")


# ------------------------------------------------------------- declarations


def _declare(states, transitions, initial="a"):
    return CaseType(key="t", label="测试", model=Petition, states=states, transitions=transitions, initial=initial)


def test_case_type_validation():
    anyone = Guard("任何人", lambda a: Q())
    states = [State("a", "甲"), State("b", "乙", terminal=True)]
    assert _declare(states, [Transition("go", "走", ("a",), anyone, target="b")]).state("b").terminal
    with pytest.raises(ValueError, match="undeclared state 'nowhere'"):
        _declare(states, [Transition("go", "走", ("a",), anyone, target="nowhere")])
    with pytest.raises(ValueError, match="undeclared state 'x'"):
        _declare(states, [Transition("go", "走", ("x",), anyone, target="b")])
    with pytest.raises(ValueError, match="undeclared state 'c'"):
        _declare(states, [Transition("go", "走", ("a",), anyone, targets=("b", "c"), decide=lambda c, d: "b")])
    with pytest.raises(ValueError, match="leaves terminal state 'b'"):
        _declare(states, [Transition("back", "回", ("b",), anyone, target="a")])
    with pytest.raises(ValueError, match="has no target"):
        _declare(states, [Transition("go", "走", ("a",), anyone)])
    with pytest.raises(ValueError, match="initial state 'z'"):
        _declare(states, [], initial="z")
    with pytest.raises(ValueError, match="duplicate state keys"):
        _declare(states + [State("a", "甲二")], [])
    with pytest.raises(ValueError, match="duplicate transition keys"):
        _declare(states, [Transition("go", "走", ("a",), anyone, target="b")] * 2)


def test_unknown_transition_and_registry(world):
    case = new_petition(world)
    assert case_type_of(case) is PETITION and case.case_type is PETITION
    assert case.state_label == "草稿" and case.get_absolute_url() == f"/petitions/{case.pk}/"
    with pytest.raises(WorkflowError, match="没有名为“fly”的操作"):
        perform(case, "fly", None)


def test_deadline_rule_text_and_due():
    rule = DeadlineRule("k", "期限", months=1, days=2, working_days=3)
    assert rule.text == "1个月2日3个工作日"
    # 2020-09-30 + 1 month = 10-30 (Fri), + 2 days = 11-01 (Sun), + 3 working days = 11-04.
    assert rule.due(date(2020, 9, 30)) == date(2020, 11, 4)


# ------------------------------------------------------------- concurrency guard


def test_the_same_transition_cannot_be_performed_twice(world):
    case = new_petition(world)
    perform(case, "submit", world.users["deputy"])
    stale = Petition.objects.get(pk=case.pk)
    perform(case, "assign", world.users["staff"], {"unit": world.unit_a.pk}, today=date(2020, 9, 28))
    with pytest.raises(WorkflowError, match="不能执行") as info:
        perform(case, "assign", world.users["staff"], {"unit": world.unit_b.pk}, today=date(2020, 9, 29))
    assert "办理中" in str(info.value) and "交办" in str(info.value)
    # A second user holding an old copy of the case (still "待立案") is refused too: the
    # state is re-read under a row lock.
    assert stale.state == "submitted"
    with pytest.raises(WorkflowError, match="不能执行"):
        perform(stale, "assign", world.users["admin"], {"unit": world.unit_b.pk}, today=date(2020, 9, 29))
    stored = Petition.objects.get(pk=case.pk)
    assert (stored.state, stored.unit) == ("assigned", world.unit_a)
    assert [e.transition for e in events_of(case)] == ["submit", "assign"]
    assert reply_clocks(case).count() == 1
