"""Declarative case types and the one way to change a case's state: `perform`.

A CaseType is data: states, transitions (who may perform each, what must be filled in,
which deadlines start, pause, resume or stop). `perform` runs one transition in one
database transaction and appends one immutable Event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Model, Q
from django.utils import timezone

from renda.core import clock as timestamps
from renda.core.audit import append as audit_append
from renda.core.models import Notification
from renda.core.scoping import Actor, actor_of
from renda.core.storage import atomic_with_files
from renda.core.uploads import validate_upload

from . import calendar
from .models import Deadline, DeadlineExtension, Event, EventAttachment


class WorkflowError(Exception):
    """A transition that cannot be performed now; the message is for the user."""


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True)
class State:
    key: str
    label: str  # a verb of the process, as users say it: 待交办, 办理中, 已办结
    terminal: bool = False
    # The groups the state belongs to ("private", "public", "with_unit" …): rules, views
    # and metrics ask `CaseType.states_tagged(tag)` instead of repeating lists of states.
    tags: tuple[str, ...] = ()


# Tags every state has or has not by its declaration, never declared by hand.
COMPUTED_TAGS: dict[str, Callable[[State], bool]] = {"open": lambda s: not s.terminal}


def tagged(states, *tags: str, exclude: tuple[str, ...] = (), what: str = "") -> tuple[str, ...]:
    """Keys of the `states` carrying every one of `tags` and none of `exclude`, in their
    declared order. A tag no state declares is a mistake (a typo would select nothing
    and silently hide cases): it raises ValueError."""
    declared = {t for s in states for t in s.tags} | COMPUTED_TAGS.keys()
    unknown = [t for t in (*tags, *exclude) if t not in declared]
    if not tags or unknown:
        raise ValueError(
            f"case type {what}: unknown state tag(s) {unknown or '(none given)'}; declared: {sorted(declared)}"
        )

    def has(state, tag):
        return COMPUTED_TAGS[tag](state) if tag in COMPUTED_TAGS else tag in state.tags

    return tuple(s.key for s in states if all(has(s, t) for t in tags) and not any(has(s, t) for t in exclude))


@dataclass(frozen=True)
class Guard:
    """Who may perform a transition, as a query over cases: one definition serves the
    permission check on a case and the "pending for me" lists."""

    label: str
    q: Callable[[Actor], Q]

    def __or__(self, other: Guard) -> Guard:
        return Guard(f"{self.label}或{other.label}", lambda a: self.q(a) | other.q(a))

    def __and__(self, other: Guard) -> Guard:
        return Guard(f"{self.label}且{other.label}", lambda a: self.q(a) & other.q(a))

    def passes(self, actor: Actor, case: Model) -> bool:
        return type(case)._default_manager.filter(pk=case.pk).filter(self.q(actor)).exists()


NOBODY = Q(pk__in=[])


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    label: str
    days: int = 0
    months: int = 0
    working_days: int = 0
    citation: str = ""
    # Counted from a date of the case instead of the day of the act that starts the clock:
    # (case) -> date or None (None: no clock yet), e.g. the sitting a report is heard at.
    anchor: Callable | None = None
    anchor_label: str = ""  # how the text names that date: 会议举行
    # Counted back from the anchor (报送… 常委会会议举行二十日前, 监督法 Art. 14).
    before: bool = False
    # Months (days) read from this setting when the clock starts: a period set by local practice.
    months_setting: str = ""
    days_setting: str = ""
    # A due date on a rest day moves to the nearest working day inside the period: forward
    # (民法典 Art. 203: a period ending on a holiday ends on the next working day), or back for
    # a "before" deadline (nothing is delivered on a rest day).
    workday: bool = False

    def _months(self) -> int:
        return int(getattr(settings, self.months_setting)) if self.months_setting else self.months

    def _days(self) -> int:
        return int(getattr(settings, self.days_setting)) if self.days_setting else self.days

    def due(self, start: date) -> date:
        day = start
        if self.before:
            day = calendar.add_days(day, -self._days())
            if self.working_days:
                day = calendar.subtract_working_days(day, self.working_days)
            return calendar.previous_workday(day) if self.workday else day
        if months := self._months():
            day = calendar.add_months(day, months)
        if days := self._days():
            day = calendar.add_days(day, days)
        if self.working_days:
            day = calendar.add_working_days(day, self.working_days)
        return calendar.next_workday(day) if self.workday else day

    def due_for(self, case, start: date) -> date | None:
        """The due date of a clock started on `start` for `case` (None: the anchor has no date)."""
        if self.anchor is None:
            return self.due(start)
        base = self.anchor(case)
        return None if base is None else self.due(base)

    @property
    def text(self) -> str:
        parts = []
        if months := self._months():
            parts.append(f"{months}个月")
        if days := self._days():
            parts.append(f"{days}日")
        if self.working_days:
            parts.append(f"{self.working_days}个工作日")
        text = "".join(parts)
        if self.anchor is not None:
            text = f"{self.anchor_label}{text}{'前' if self.before else ('后' if text else '')}"
        return text


@dataclass(frozen=True)
class DeadlineChoice:
    """A deadline whose rule the performer picks from declared options (e.g. 3 months,
    or 6 for a broad or difficult suggestion: 代表法 Art. 51)."""

    key: str
    label: str
    field: str  # the transition field whose value picks the option
    options: dict[str, DeadlineRule]

    @property
    def text(self) -> str:
        return "或".join(r.text for r in self.options.values())

    @property
    def citation(self) -> str:
        return next(iter(self.options.values())).citation

    def resolve(self, cleaned: dict) -> DeadlineRule:
        return self.options[cleaned[self.field]]


_current_day: ContextVar[date | None] = ContextVar("current_day", default=None)


class Hint(str):
    """A hint of a transition's form (form_hints) with links: its text, then each (label, url)
    shown as a link, e.g. the similar cases to consider. A plain str is a hint too."""

    def __new__(cls, text: str, links=()):
        hint = super().__new__(cls, text)
        hint.links = list(links)
        return hint


def current_day() -> date:
    """The day of the transition being performed (effects date their records with it)."""
    return _current_day.get() or timezone.localdate()


@dataclass(frozen=True)
class Transition:
    key: str
    label: str
    sources: tuple[str, ...]
    who: Guard
    target: str | None = None
    # For a transition whose outcome depends on its inputs: the possible targets and
    # the function that picks one from (case, cleaned_data).
    targets: tuple[str, ...] = ()
    decide: Callable | None = None
    fields: dict[str, forms.Field] = field(default_factory=dict)
    note_required: bool = False
    attachments: bool = False
    starts: tuple[DeadlineRule, ...] = ()
    stops: tuple[str, ...] = ()  # deadline keys; "*" = every clock of the case
    pauses: tuple[str, ...] = ()
    resumes: tuple[str, ...] = ()
    # Called inside the transaction before the state moves: (case, cleaned_data, user).
    effect: Callable | None = None
    # Which handling unit a started deadline binds (for its inbox and reminders).
    deadline_unit: Callable | None = None
    button_style: str = "primary"
    # A transition that records an act without moving the case (催办, 重点督办): the
    # case stays in the state it is in, and the act is on its timeline.
    stay: bool = False
    # Who took part by this act: (case, cleaned_data) -> [(Person or Deputy, capacity)],
    # recorded as Participation rows with the event (idempotent per person and capacity).
    participants: Callable | None = None

    @property
    def possible_targets(self) -> tuple[str, ...]:
        if self.stay:
            return self.sources
        return self.targets if self.decide else (self.target,)

    def form_class(self) -> type[forms.Form]:
        attrs = dict(self.fields)
        attrs["note"] = forms.CharField(
            label="说明",
            required=self.note_required,
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=4000,
        )
        if self.attachments:
            attrs["files"] = MultipleFileField(label="附件", required=False)
        return type(f"{self.key.title()}Form", (forms.Form,), attrs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput
    default_validators = [validate_upload]  # each file: size, type, first bytes (core.uploads)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


@dataclass(frozen=True)
class Creation:
    """How a client creates a case of this type through the API: the fields it sends
    (validated by a Django form built from them, as a transition's) and the module's
    service that writes the draft, `service(user, cleaned) -> case`. The service checks
    who may (PermissionDenied)."""

    fields: dict[str, forms.Field]
    service: Callable
    label: str = "新建"

    def form_class(self) -> type[forms.Form]:
        return type("CreationForm", (forms.Form,), dict(self.fields))


@dataclass(frozen=True)
class PublicView:
    """What those who may "view" a case but not "view_process" are told of its state
    (e.g. a filing: 审查中 or its outcome, never the internal steps).

    state: (case) -> (key, label) shown instead of the internal state;
    states: public key -> the internal states it stands for (to filter by it);
    insiders: (actor) -> Q of the cases whose process the actor sees: the query twin of
    the rule's "view_process", so that a list tells each row apart in SQL."""

    state: Callable
    states: dict[str, tuple[str, ...]]
    insiders: Callable


@dataclass
class CaseType:
    key: str
    label: str
    model: type[Model]
    states: list[State]
    transitions: list[Transition]
    initial: str
    # Users to remind before a deadline and to alert when it is overdue.
    responsible: Callable | None = None  # (deadline) -> iterable of users
    supervisors: Callable | None = None  # (deadline) -> iterable of users
    url: Callable | None = None  # (case) -> URL of the case page
    # Initial values and hints for a transition's form: (case, transition key, user) -> dict /
    # list[str | Hint]
    form_initial: Callable | None = None
    form_hints: Callable | None = None
    # Narrows a transition's form to the case, in the page and when performing:
    # (case, transition key, form) -> None, e.g. the choices to the case's congress.
    narrow: Callable | None = None
    # Called inside the transaction once the state moved: (case, event); e.g. to tell
    # another instance (federation outbox) what became of the case.
    after: Callable | None = None
    # The date field whose year is the case's year (the API's `year` filter).
    year_field: str = "created_at"
    # Creating a draft through the API (None: the case type is not created that way).
    create: Creation | None = None
    # Public fields the API's detail shows besides the common ones: names of model fields
    # or attributes, or (name, action) for a field shown only to whom `allowed(action)`.
    api_fields: tuple = ()
    # None: whoever sees a case sees its state; else what outsiders are told.
    public_view: PublicView | None = None
    # How this case type names a role in its events' actor labels, e.g. {"unit": "制定机关工作人员"}.
    role_names: dict = field(default_factory=dict)

    def __post_init__(self):
        self._states = {s.key: s for s in self.states}
        self._transitions = {t.key: t for t in self.transitions}
        self.validate()

    def validate(self) -> None:
        problems = []
        if len(self._states) != len(self.states):
            problems.append("duplicate state keys")
        if len(self._transitions) != len(self.transitions):
            problems.append("duplicate transition keys")
        if self.initial not in self._states:
            problems.append(f"initial state {self.initial!r} is not declared")
        for t in self.transitions:
            for s in t.sources + t.possible_targets:
                if s not in self._states:
                    problems.append(f"transition {t.key!r} names undeclared state {s!r}")
            for s in t.sources:
                if s in self._states and self._states[s].terminal:
                    problems.append(f"transition {t.key!r} leaves terminal state {s!r}")
            if t.decide is None and t.target is None and not t.stay:
                problems.append(f"transition {t.key!r} has no target")
        for s in self.states:
            if not isinstance(s.tags, tuple) or not all(isinstance(t, str) and t for t in s.tags):
                problems.append(f"state {s.key!r}: tags must be a tuple of names")
            elif set(s.tags) & COMPUTED_TAGS.keys():
                problems.append(f"state {s.key!r} declares a computed tag {sorted(set(s.tags) & COMPUTED_TAGS.keys())}")
        if problems:
            raise ValueError(f"case type {self.key}: " + "; ".join(problems))

    def state(self, key: str) -> State:
        return self._states[key]

    def states_tagged(self, *tags: str, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The keys of the states in a group: `states_tagged("public")`,
        `states_tagged("open", exclude=("private",))`. An undeclared tag raises ValueError."""
        return tagged(self.states, *tags, exclude=exclude, what=self.key)

    @property
    def tags(self) -> list[str]:
        """Every tag of this case type, declared and computed."""
        return sorted({t for s in self.states for t in s.tags} | COMPUTED_TAGS.keys())

    def transition(self, key: str) -> Transition:
        try:
            return self._transitions[key]
        except KeyError:
            raise WorkflowError(f"“{self.label}”没有名为“{key}”的操作。") from None

    def outgoing(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def available(self, user, case) -> list[Transition]:
        """The transitions this user may perform on this case now (the case page's buttons)."""
        actor = actor_of(user)
        return [t for t in self.outgoing(case.state) if t.who.passes(actor, case)]

    def pending_q(self, user) -> Q:
        """Cases on which this user has something to do (one query for the workbench)."""
        actor = actor_of(user)
        q = NOBODY
        for t in self.transitions:
            q |= Q(state__in=t.sources) & t.who.q(actor)
        return q

    def acting_clocks_q(self, user, cases) -> Q:
        """Clocks (a filter over `Deadline`) this user may stop by acting now: for each clock
        key, the cases among `cases` in a state from which a transition stopping it goes and
        whose guard passes for the user (one subquery per key, in the workbench's one query)."""
        actor = actor_of(user)
        by_key: dict[str, Q] = {}
        for t in self.transitions:
            for key in t.stops:
                by_key[key] = by_key.get(key, NOBODY) | (Q(state__in=t.sources) & t.who.q(actor))
        q = NOBODY
        for key, case_q in by_key.items():
            q |= Q(key=key, object_id__in=cases.filter(case_q).values("pk"))
        return q

    def clock_holder(self, key: str, state: str) -> str:
        """Who must act before a clock runs out while the case is in `state`, by the guard of
        the first declared transition from that state that stops it ("" if none)."""
        for t in self.outgoing(state):
            if key in t.stops:
                return t.who.label
        return ""

    # -------------------------------------------------------- the diagram

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2"]
        for s in self.states:
            lines.append(f"    {s.key}: {s.label}")
        lines.append(f"    [*] --> {self.initial}")
        for t in self.transitions:
            for src in t.sources:
                for dst in t.possible_targets:
                    extra = f" ⏱{'、'.join(r.text for r in t.starts)}" if t.starts else ""
                    lines.append(f"    {src} --> {dst}: {t.label}（{t.who.label}）{extra}")
        for s in self.states:
            if s.terminal:
                lines.append(f"    {s.key} --> [*]")
        return "\n".join(lines)

    def dot(self) -> str:
        lines = [
            f'digraph "{self.key}" {{',
            "  rankdir=LR;",
            '  node [shape=box, style=rounded, fontname="Noto Sans CJK SC"];',
        ]
        for s in self.states:
            shape = ", peripheries=2" if s.terminal else ""
            lines.append(f'  {s.key} [label="{s.label}"{shape}];')
        for t in self.transitions:
            for src in t.sources:
                for dst in t.possible_targets:
                    lines.append(f'  {src} -> {dst} [label="{t.label}\\n{t.who.label}"];')
        lines.append("}")
        return "\n".join(lines)


# ---------------------------------------------------------------- performing


def _jsonable(value):
    if isinstance(value, File):  # a file field of a transition: stored by its effect, named here
        return value.name
    if isinstance(value, Model):
        return {"id": value.pk, "label": str(value)}
    if hasattr(value, "all") and hasattr(value, "model"):  # a queryset from ModelMultipleChoiceField
        return [{"id": v.pk, "label": str(v)} for v in value]
    if isinstance(value, (date,)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _actor_label(user, case_type=None) -> str:
    if user is None:
        return "系统"
    roles = "、".join(actor_of(user).role_labels(case_type.role_names if case_type else None))
    return f"{user}（{roles}）" if roles else str(user)


def perform(case, key: str, by, data: dict | None = None, files=None, *, today: date | None = None, at=None) -> Event:
    """Perform transition `key` on `case` as user `by` (None: the system itself).

    Raises WorkflowError (not possible in this state), PermissionDenied (not this
    user) or ValidationError (bad inputs; messages in Chinese). On success the case
    object passed in reflects the new state.
    """
    from .registry import case_type_of

    case_type = case_type_of(case)
    transition = case_type.transition(key)
    dated = at is not None
    if at is None and today is not None and today != timezone.localdate():
        # a transition dated in the past (records entered afterwards, the demo year):
        # at office hours, after the acts already recorded that day
        at, dated = _after_last_act(case, today), True
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    token = _current_day.set(today)
    try:
        with timestamps.dated(at if dated else None):  # what the act creates carries its time
            return _perform(case, case_type, transition, by, data, files, today, at)
    finally:
        _current_day.reset(token)


def _after_last_act(case, day: date) -> datetime:
    at = timestamps.on(day)
    last = Event.objects.for_case(case).order_by("-sequence").values_list("at", flat=True).first()
    if last and last >= at and timezone.localdate(last) == day:
        at = last + timedelta(minutes=1)
    return at


def _perform(case, case_type, transition, by, data, files, today, at) -> Event:
    form = transition.form_class()(data or {}, files or {})
    if case_type.narrow:
        case_type.narrow(case, transition.key, form)
    if not form.is_valid():
        raise ValidationError(
            {name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()}
        )
    cleaned = dict(form.cleaned_data)
    note = cleaned.pop("note", "")
    uploads = cleaned.pop("files", []) or []

    with atomic_with_files():  # an attachment that did not fit leaves none of the others behind
        model = type(case)
        locked = model._default_manager.select_for_update().get(pk=case.pk)
        if locked.state not in transition.sources:
            raise WorkflowError(f"当前状态为“{case_type.state(locked.state).label}”，不能执行“{transition.label}”。")
        if by is not None and not transition.who.passes(actor_of(by), locked):
            raise PermissionDenied(f"您不能对此案件执行“{transition.label}”。")
        if transition.effect:
            # the effect sees the attached files too (a closure refused without evidence, a report
            # added as a version of the case's document)
            transition.effect(locked, {**cleaned, "note": note, "files": uploads}, by)
        # decided after the effect: e.g. the last co-signer's confirmation sends it on
        if transition.stay:
            target = locked.state
        else:
            target = transition.decide(locked, cleaned) if transition.decide else transition.target
        if target not in transition.possible_targets:
            raise WorkflowError(f"“{transition.label}”的结果状态“{target}”未声明。")
        from_state = locked.state
        locked.state = target
        locked._in_transition = True
        try:
            locked.save()
        finally:
            locked._in_transition = False

        content_type = ContentType.objects.get_for_model(model)
        last = Event.objects.filter(content_type=content_type, object_id=locked.pk).aggregate(m=Max("sequence"))["m"]
        event = Event.objects.create(
            content_type=content_type,
            object_id=locked.pk,
            case_type=case_type.key,
            congress_id=locked.congress_id,
            sequence=(last or 0) + 1,
            transition=transition.key,
            transition_label=transition.label,
            from_state=from_state,
            to_state=target,
            actor=by,
            actor_label=_actor_label(by, case_type),
            note=note,
            at=at,
            data={k: _jsonable(v) for k, v in cleaned.items()},
        )
        # the case's own history is the Event; the audit chain keeps a reference to it (no text)
        audit_append(
            actor=by,
            actor_label=event.actor_label,
            action="transition",
            model=model._meta.label,
            object_id=str(locked.pk),
            object_label=f"{case_type.key}#{locked.pk}",
            changes={"case_type": case_type.key, "transition": transition.key, "event": event.pk, "to": target},
        )
        for upload in uploads:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            EventAttachment.objects.create(
                event=event, file=upload, name=upload.name[:200], size=upload.size, sha256=digest.hexdigest()
            )
        if transition.participants:
            _record_participants(locked, transition.participants(locked, cleaned), event, today)
        _move_clocks(locked, case_type, transition, content_type, cleaned, today)
        if case_type.after:
            case_type.after(locked, event)
        if by is not None and hasattr(locked, "get_absolute_url"):
            _read_what_was_asked(by, locked.get_absolute_url(), at)

    # The caller's object follows the case.
    case.state = locked.state
    case._persisted_state = locked.state
    for f in model._meta.concrete_fields:
        setattr(case, f.attname, getattr(locked, f.attname))
    return event


def _read_what_was_asked(by, url: str, at) -> None:
    """Acting on a case reads what one was told about it before — one's own notices only:
    another's act never marks a notice read for someone who has not seen it (the lead unit's
    【交办】 stays unread when the assisting unit acts first)."""
    Notification.objects.filter(user=by, url=url, read_at__isnull=True, created_at__lt=at).update(read_at=at)


def _record_participants(case, pairs, event, today):
    from .participation import record_participants

    by_capacity: dict[str, list] = {}
    for who, capacity in pairs:
        by_capacity.setdefault(capacity, []).append(who)
    for capacity, people in by_capacity.items():
        record_participants(case, people, capacity, event=event, on=today)


def _move_clocks(case, case_type, transition, content_type, cleaned, today):
    clocks = Deadline.objects.filter(content_type=content_type, object_id=case.pk).exclude(
        status=Deadline.Status.STOPPED
    )
    terminal = case_type.state(case.state).terminal
    stop_all = terminal or "*" in transition.stops
    for clock in clocks:
        if stop_all or clock.key in transition.stops:
            clock.status, clock.stopped_on = Deadline.Status.STOPPED, today
            clock.save(update_fields=["status", "stopped_on"])
        elif clock.key in transition.pauses and clock.status == Deadline.Status.RUNNING:
            clock.status, clock.paused_on = Deadline.Status.PAUSED, today
            clock.save(update_fields=["status", "paused_on"])
        elif clock.key in transition.resumes and clock.status == Deadline.Status.PAUSED:
            clock.due_on = shift_for_pause(clock, today)
            clock.status, clock.paused_on = Deadline.Status.RUNNING, None
            clock.save(update_fields=["status", "paused_on", "due_on"])
    if terminal:
        return
    unit = transition.deadline_unit(case, cleaned) if transition.deadline_unit else None
    for rule in transition.starts:
        if isinstance(rule, DeadlineChoice):
            rule = rule.resolve(cleaned)
        # Restarting a clock (e.g. re-handling) stops the previous one of the same kind.
        Deadline.objects.filter(content_type=content_type, object_id=case.pk, key=rule.key).exclude(
            status=Deadline.Status.STOPPED
        ).update(status=Deadline.Status.STOPPED, stopped_on=today)
        due = rule.due_for(case, today)
        if due is None:
            continue
        Deadline.objects.create(
            content_type=content_type,
            object_id=case.pk,
            case_type=case_type.key,
            congress_id=case.congress_id,
            key=rule.key,
            label=rule.label,
            rule=rule.text,
            citation=rule.citation,
            handling_unit=unit,
            started_on=today,
            due_on=due,
            original_due_on=due,
        )


def shift_for_pause(clock: Deadline, resumed_on: date) -> date:
    """A paused clock resumes with the time it lost: working days for a working-day
    rule, calendar days otherwise."""
    if clock.paused_on is None or resumed_on <= clock.paused_on:
        return clock.due_on
    if "工作日" in clock.rule:
        lost = calendar.working_days_between(clock.paused_on, resumed_on)
        return calendar.add_working_days(clock.due_on, lost)
    return calendar.add_days(clock.due_on, (resumed_on - clock.paused_on).days)


def reanchor_deadlines(case, today: date | None = None) -> int:
    """Moves the running clocks counted from a date of the case (`DeadlineRule.anchor`) when
    that date changes — a sitting put off moves the reports' due dates with it. The original
    due date is kept; a moved clock may remind again. Returns the clocks moved."""
    from .registry import case_type_of

    rules = {r.key: r for t in case_type_of(case).transitions for r in t.starts if isinstance(r, DeadlineRule)}
    moved = 0
    for clock in Deadline.objects.for_case(case).exclude(status=Deadline.Status.STOPPED):
        rule = rules.get(clock.key)
        if rule is None or rule.anchor is None:
            continue
        due = rule.due_for(case, clock.started_on)
        if due is not None and due != clock.due_on:
            clock.due_on, clock.reminded_at, clock.escalated_at = due, None, None
            clock.save(update_fields=["due_on", "reminded_at", "escalated_at"])
            moved += 1
    return moved


@transaction.atomic
def extend_deadline(deadline: Deadline, new_due: date, reason: str, by) -> Deadline:
    """An extension with its reason and approver; the original due date is kept."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": ["延期必须说明理由。"]})
    if new_due <= deadline.due_on:
        raise ValidationError({"new_due_on": ["延期后的期限必须晚于原期限。"]})
    if deadline.status == Deadline.Status.STOPPED:
        raise WorkflowError("该期限已结束，不能延期。")
    DeadlineExtension.objects.create(
        deadline=deadline, previous_due_on=deadline.due_on, new_due_on=new_due, reason=reason.strip(), approved_by=by
    )
    deadline.due_on = new_due
    deadline.reminded_at = None
    deadline.escalated_at = None
    deadline.save(update_fields=["due_on", "reminded_at", "escalated_at"])
    return deadline
