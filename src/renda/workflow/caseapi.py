"""One JSON API for every case type, generated from the declarations in the registry.

For each registered case type (`/api/cases/<key>`): the list (scoped, paginated,
filtered by state, congress, year and running clocks), creating a draft where the case
type declares a `Creation`, one case with the transitions the caller may perform now
(their inputs as JSON Schema), its timeline and running clocks, and one operation per
transition, so that `/api/openapi.json` documents each transition's inputs. Every
operation is served by the same generic functions below; writes honour
`Idempotency-Key` (renda.api.idempotency).

Those who may "view" a case but not "view_process" (a filing's outsiders) are told only
what its `PublicView` says, and no transitions, events or clocks.
"""

import json
from datetime import date, datetime
from typing import Any, Literal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Exists, Q, Subquery, Value, When
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from renda.api.idempotency import once
from renda.core import personal
from renda.core.api import SQL_INT_MAX, Pagination, id_filter
from renda.core.scoping import actor_of, allowed, get_visible_or_404, require, visible
from renda.core.services import audit

from . import calendar, registry
from .engine import _jsonable, perform
from .formschema import form_data, form_schema, multipart_schema
from .models import Deadline, Event, EventAttachment

router = Router(tags=["案件"])


# ---------------------------------------------------------------- schemas


class ErrorOut(Schema):
    detail: str
    errors: list[dict] | None = None


class CaseItemOut(Schema):
    id: int
    case_type: str
    number: str
    title: str
    state: str
    state_label: str
    congress_id: int
    created_at: datetime
    url: str
    process_visible: bool  # false: the caller sees only the public status
    next_due: date | None  # the running clock that falls due first

    @staticmethod
    def resolve_case_type(obj):
        return obj.case_type.key

    @staticmethod
    def resolve_state(obj):
        return _shown_state(obj, obj.process_visible)[0]

    @staticmethod
    def resolve_state_label(obj):
        return _shown_state(obj, obj.process_visible)[1]

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_next_due(obj):
        return obj.next_due if obj.process_visible else None


class TransitionOut(Schema):
    key: str
    label: str
    note_required: bool
    attachments: bool  # true: send multipart/form-data with the files under `files`
    url: str
    input_schema: dict  # JSON Schema of the fields (with `note`), choices narrowed to this case
    initial: dict  # values the page would prefill (e.g. the proposed category)


class CaseOut(Schema):
    id: int
    case_type: str
    number: str
    title: str
    state: str
    state_label: str
    congress_id: int
    congress: str
    created_at: datetime
    url: str
    process_visible: bool
    fields: dict[str, Any]  # the case type's own public fields (CaseType.api_fields)
    transitions: list[TransitionOut]  # what the caller may do now


class EventOut(Schema):
    sequence: int
    at: datetime
    transition: str
    label: str
    actor: str
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    note: str
    data: dict[str, Any]
    attachments: list[dict[str, Any]]


class DeadlineOut(Schema):
    key: str
    label: str
    rule: str
    citation: str
    status: str
    started_on: date
    due_on: date
    original_due_on: date
    remaining: str


class TimelineOut(Schema):
    events: list[EventOut]
    deadlines: list[DeadlineOut]


class PerformOut(Schema):
    event: EventOut
    case: CaseOut | None  # None when the caller no longer sees the case (e.g. a unit that returned it)


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------- reading


def _state_label(case_type, key: str) -> str:
    try:
        return case_type.state(key).label
    except KeyError:
        return key


def _shown_state(case, process_visible: bool) -> tuple[str, str]:
    case_type = case.case_type
    if process_visible or case_type.public_view is None:
        return case.state, _state_label(case_type, case.state)
    return case_type.public_view.state(case)


def _value(case, name: str):
    field = next((f for f in case._meta.concrete_fields if f.name == name), None)
    if field is not None and field.is_relation:
        related = getattr(case, name)
        return {"id": related.pk, "label": str(related)} if related is not None else None
    value = getattr(case, name)
    return value.isoformat() if isinstance(value, (date, datetime)) else _jsonable(value)


def _public_fields(case_type, case, user) -> dict:
    out = {}
    for spec in case_type.api_fields:
        name, action = spec if isinstance(spec, tuple) else (spec, None)
        if action and not allowed(user, action, case):
            continue
        out[name] = _value(case, name)
        if out[name] and personal.field_of(type(case), name):  # personal data in full: an audited view
            audit(user, "view_personal", case, {"field": name})
        display = getattr(case, f"get_{name}_display", None)
        if display is not None:
            out[f"{name}_label"] = str(display())
    return out


def _transition_url(case_type, transition, pk) -> str:
    return reverse(f"api:cases_{case_type.key}_{transition.key}", kwargs={"id": pk})


def _transitions(case_type, case, user) -> list[dict]:
    out = []
    for t in case_type.available(user, case):
        form = t.form_class()()
        if case_type.narrow:
            case_type.narrow(case, t.key, form)
        initial = case_type.form_initial(case, t.key, user) if case_type.form_initial else {}
        out.append(
            {
                "key": t.key,
                "label": t.label,
                "note_required": t.note_required,
                "attachments": t.attachments,
                "url": _transition_url(case_type, t, case.pk),
                "input_schema": form_schema(form.fields, user=user, records=True),
                "initial": {k: _jsonable(v) for k, v in (initial or {}).items() if k in form.fields},
            }
        )
    return out


def _detail(case_type, case, user) -> dict:
    process = allowed(user, "view_process", case)
    state, label = _shown_state(case, process)
    return {
        "id": case.pk,
        "case_type": case_type.key,
        "number": case.number,
        "title": case.title,
        "state": state,
        "state_label": label,
        "congress_id": case.congress_id,
        "congress": str(case.congress),
        "created_at": case.created_at,
        "url": case.get_absolute_url(),
        "process_visible": process,
        "fields": _public_fields(case_type, case, user),
        "transitions": _transitions(case_type, case, user) if process else [],
    }


def _event(case_type, event) -> dict:
    return {
        "sequence": event.sequence,
        "at": event.at,
        "transition": event.transition,
        "label": event.transition_label,
        "actor": event.actor_label,
        "from_state": event.from_state,
        "from_label": _state_label(case_type, event.from_state) if event.from_state else "",
        "to_state": event.to_state,
        "to_label": _state_label(case_type, event.to_state),
        "note": event.note,
        "data": event.data,
        "attachments": [
            # the one download view, which asks the case's rule again (view_process)
            {"name": a.name, "size": a.size, "sha256": a.sha256, "url": a.download_url}
            for a in event.attachments.all()
        ],
    }


def _list(case_type, user, state, congress, year, deadline):
    model = case_type.model
    qs = visible(user, model).order_by("-created_at", "-id")
    view = case_type.public_view
    if view is None:
        insiders = Q()
        qs = qs.annotate(process_visible=Value(True, output_field=BooleanField()))
    else:
        insiders = view.insiders(actor_of(user))
        qs = qs.annotate(
            process_visible=Case(When(insiders, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    clocks = Deadline.objects.running_for_outer(model)
    qs = qs.annotate(next_due=Subquery(clocks.order_by("due_on").values("due_on")[:1]))
    if state:
        if view is None:
            qs = qs.filter(state=state)
        else:  # each row by the state its reader is told
            qs = qs.filter(
                Q(process_visible=True, state=state) | Q(process_visible=False, state__in=view.states.get(state, ()))
            )
    if congress:
        qs = qs.filter(congress_id=congress)
    if year:
        qs = qs.filter(**{f"{case_type.year_field}__year": year})
    if deadline:
        today = timezone.localdate()
        if deadline == "overdue":
            clocks = clocks.filter(due_on__lt=today)
        elif deadline == "due_soon":
            clocks = clocks.filter(
                due_on__gte=today, due_on__lte=today + timezone.timedelta(settings.RENDA_REMINDER_DAYS)
            )
        qs = qs.filter(Exists(clocks), process_visible=True)  # clocks are part of the process
    return qs


def _timeline(case_type, case) -> dict:
    from django.db.models import Prefetch

    events = (
        Event.objects.for_case(case)
        .prefetch_related(Prefetch("attachments", queryset=EventAttachment.objects.order_by("id")))
        .order_by("sequence")
    )
    today = timezone.localdate()
    deadlines = []
    for d in Deadline.objects.for_case(case).exclude(status=Deadline.Status.STOPPED).order_by("due_on", "id"):
        running = d.status == Deadline.Status.RUNNING
        deadlines.append(
            {
                "key": d.key,
                "label": d.label,
                "rule": d.rule,
                "citation": d.citation,
                "status": d.status,
                "started_on": d.started_on,
                "due_on": d.due_on,
                "original_due_on": d.original_due_on,
                "remaining": calendar.describe_remaining(d.due_on, today)[0] if running else d.get_status_display(),
            }
        )
    return {"events": [_event(case_type, e) for e in events], "deadlines": deadlines}


# ---------------------------------------------------------------- writing


def _input(request):
    """The fields a client sent: multipart/form (with files) or a JSON object."""
    content_type = request.content_type or ""
    if content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
        try:
            return request.POST
        except MultiPartParserError:
            raise ValidationError("multipart/form-data 请求体格式不正确。") from None
    if not request.body.strip():
        return {}
    try:
        data = json.loads(request.body)
    except ValueError:
        raise ValidationError("请求体不是有效的 JSON。") from None
    if not isinstance(data, dict):
        raise ValidationError("请求体应为 JSON 对象。")
    return data


def _respond(request, produce, status):
    """Run a write and answer it, errors as the API's handlers answer them (so that an
    idempotent replay stores exactly what the client got)."""
    from renda.api.api import api

    try:
        return api.create_response(request, produce(), status=status)
    except Exception as exc:  # noqa: BLE001 - the API's handlers decide; unknown ones re-raise
        return api.on_exception(request, exc)


def _followed(request, case_type, transition, pk):
    """The case, if the caller may follow its process; else 404/403 — asked before any
    of the request's content is read (a refused caller's uploads are not even hashed)."""
    case = get_visible_or_404(request.user, case_type.model, pk=pk)
    if not allowed(request.user, "view_process", case):  # not even which step it is at (a 409 would tell)
        raise PermissionDenied(f"您不能对此案件执行“{transition.label}”。")
    return case


def _perform(request, case_type, transition, pk):
    case = _followed(request, case_type, transition, pk)
    data = form_data(transition.form_class().base_fields, _input(request))
    event = perform(case, transition.key, request.user, data, request.FILES or None)
    after = visible(request.user, case_type.model).filter(pk=case.pk).first()
    return {"event": _event(case_type, event), "case": _detail(case_type, after, request.user) if after else None}


def _create(request, case_type):
    require(request.user, "add", case_type.model)
    creation = case_type.create
    data = form_data(creation.fields, _input(request))
    form = creation.form_class()(data)
    if not form.is_valid():
        raise ValidationError({f: [e["message"] for e in errs] for f, errs in form.errors.get_json_data().items()})
    case = creation.service(request.user, form.cleaned_data)
    return _detail(case_type, case, request.user)


# ---------------------------------------------------------------- one set of operations per case type


STATE_FILTER = Query(None, description="状态（只能看到公开状态的案件，按公开状态筛选）")


def _id():
    return Path(..., ge=1, le=SQL_INT_MAX, description="案件 id")


def _body(fields, attachments: bool) -> dict:
    content = {"application/json": {"schema": form_schema(fields)}}
    if attachments:
        content["multipart/form-data"] = {"schema": multipart_schema(fields)}
    return {"requestBody": {"required": False, "content": content}}


def _register(case_type) -> None:
    key, label, model = case_type.key, case_type.label, case_type.model
    view = case_type.public_view
    state_keys = tuple(dict.fromkeys([s.key for s in case_type.states] + list(view.states if view else ())))
    StateKey = Literal[state_keys]  # noqa: N806 - a type built from the declaration

    def list_cases(
        request,
        state: StateKey | None = STATE_FILTER,
        congress: int | None = id_filter(),
        year: int | None = Query(None, ge=1949, le=2100, description=f"年度（按 {case_type.year_field}）"),
        deadline: Literal["overdue", "due_soon", "running"] | None = Query(
            None, description="期限：overdue 已逾期 / due_soon 即将到期 / running 计时中"
        ),
    ):
        return _list(case_type, request.user, state, congress, year, deadline)

    router.add_api_operation(
        f"/{key}",
        ["GET"],
        paginate(Pagination)(list_cases),
        response=list[CaseItemOut],
        operation_id=f"cases_{key}_list",
        summary=f"{label}：列表",
    )

    if case_type.create:

        def create_case(request):
            return once(
                request,
                lambda: _respond(request, lambda: _create(request, case_type), 201),
                check=lambda: require(request.user, "add", case_type.model),
            )

        router.add_api_operation(
            f"/{key}",
            ["POST"],
            create_case,
            response={201: CaseOut, **ERRORS},
            operation_id=f"cases_{key}_create",
            summary=f"{label}：{case_type.create.label}（草稿）",
            openapi_extra=_body(case_type.create.fields, False),
        )
    else:

        def not_created(request):
            raise HttpError(405, f"“{label}”不能通过接口新建。")

        router.add_api_operation(f"/{key}", ["POST"], not_created, include_in_schema=False)

    def get_case(request, id: int = _id()):  # noqa: A002 - the path's name
        case = get_visible_or_404(request.user, model, pk=id)
        return _detail(case_type, case, request.user)

    router.add_api_operation(
        f"/{key}/{{id}}",
        ["GET"],
        get_case,
        response={200: CaseOut, 404: ErrorOut, 422: ErrorOut},
        operation_id=f"cases_{key}_get",
        summary=f"{label}：一件及可执行的操作",
    )

    def case_events(request, id: int = _id()):  # noqa: A002
        case = get_visible_or_404(request.user, model, pk=id)
        if not allowed(request.user, "view_process", case):
            raise PermissionDenied("您只能查看该案件的公开状态，不能查看其办理过程。")
        return _timeline(case_type, case)

    router.add_api_operation(
        f"/{key}/{{id}}/events",
        ["GET"],
        case_events,
        response={200: TimelineOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
        operation_id=f"cases_{key}_events",
        summary=f"{label}：办理过程（流程事件和期限）",
    )

    for transition in case_type.transitions:
        targets = "、".join(_state_label(case_type, s) for s in transition.possible_targets)
        router.add_api_operation(
            f"/{key}/{{id}}/transitions/{transition.key}",
            ["POST"],
            _perform_operation(case_type, transition),
            response={200: PerformOut, **ERRORS},
            operation_id=f"cases_{key}_{transition.key}",
            url_name=f"cases_{key}_{transition.key}",
            summary=f"{label}：{transition.label}（{transition.who.label}）",
            description=(
                f"从“{'、'.join(_state_label(case_type, s) for s in transition.sources)}”到“{targets}”。"
                + ("必须填写说明（note）。" if transition.note_required else "")
                + ("可附文件：以 multipart/form-data 发送，文件放在 files 中。" if transition.attachments else "")
            ),
            openapi_extra=_body(transition.form_class().base_fields, transition.attachments),
        )


def _perform_operation(case_type, transition):
    def perform_transition(request, id: int = _id()):  # noqa: A002
        return once(
            request,
            lambda: _respond(request, lambda: _perform(request, case_type, transition, id), 200),
            check=lambda: _followed(request, case_type, transition, id),
        )

    return perform_transition


apps.check_apps_ready()  # the registry is filled in AppConfig.ready
for _case_type in registry.case_types():
    _register(_case_type)


@router.api_operation(["GET", "POST"], "/{case_type}", include_in_schema=False)
def unknown_case_type(request, case_type: str):
    raise HttpError(404, f"没有名为“{case_type[:40]}”的案件类型。")


@router.get("/{case_type}/{id}", include_in_schema=False)
def unknown_case(request, case_type: str, id: str):  # noqa: A002
    raise HttpError(404, f"没有名为“{case_type[:40]}”的案件类型。")


@router.get("/{case_type}/{id}/events", include_in_schema=False)
def unknown_case_events(request, case_type: str, id: str):  # noqa: A002
    raise HttpError(404, f"没有名为“{case_type[:40]}”的案件类型。")


@router.post("/{case_type}/{id}/transitions/{transition}", include_in_schema=False)
def unknown_transition(request, case_type: str, id: str, transition: str):  # noqa: A002
    try:
        known = registry.get(case_type)
    except KeyError:
        raise HttpError(404, f"没有名为“{case_type[:40]}”的案件类型。") from None
    raise HttpError(404, f"“{known.label}”没有名为“{transition[:40]}”的操作。")
