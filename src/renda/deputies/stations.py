"""Liaison stations and 码上见代表: the domain rules (views stay thin).

- stations, duty schedules, reception days: saved through core.services.save_record (rule
  check, full_clean, audit);
- `code_for(deputy|station)`: the QR code's token, made once; `qr_svg(url)` draws it locally
  (the `qrcode` library the platform already uses for two-factor codes);
- `receive_message`: the public intake's save (core.intake.Intake.submit calls it); the
  routing model proposes a category and a unit (a suggestion only: whoever answers decides);
- `answer`, `to_suggestion`, `refer`: what the deputy or the station's staff do with it; the
  constituent reads the outcome with the receipt code."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count

from renda.core import clock
from renda.core.models import Deputy, HandlingUnit
from renda.core.scoping import actor_of, allowed
from renda.core.services import audit, save_record
from renda.workflow.models import Participation
from renda.workflow.participation import set_participants

from .models import LiaisonStation, MeetCode, MeetMessage, Reception, StationDuty

MIN_PROPOSAL = 0.25  # below this the routing model's guess is not shown


# --- stations ---------------------------------------------------------------------------------


def stations_with_counts(qs):
    """Stations with their number of reception days and visitors: one query for the list."""
    return qs.select_related("congress", "area").annotate(
        reception_count=Count("receptions", distinct=True),
    )


def add_duty(by, station: LiaisonStation, deputy: Deputy, *, on=None, weekday=None) -> StationDuty:
    if deputy.congress_id != station.congress_id and not deputy.congress.path.startswith(station.congress.path):
        raise ValidationError({"deputy": "只能安排本级或下级人大的代表值班。"})
    return save_record(by, StationDuty(station=station, deputy=deputy, on=on, weekday=weekday))


@transaction.atomic
def record_reception(by, station: LiaisonStation, *, on, deputies, visitors: int, matters: str) -> Reception:
    if on > clock.now().date():
        raise ValidationError({"on": "接待日期不能晚于今天。"})
    if not deputies:
        raise ValidationError({"deputies": "请选择到站接待的代表。"})
    reception = save_record(
        by, Reception(station=station, congress_id=station.congress_id, on=on, visitors=visitors, matters=matters)
    )
    reception.recorded_by = by
    reception.save(update_fields=["recorded_by"])
    reception.deputies.set(deputies)
    # the archive's "进站履职" from the record: the deputies on duty take part in the reception
    set_participants(reception, deputies, Participation.Capacity.STATION, on=on)
    return reception


# --- codes ------------------------------------------------------------------------------------


def existing_code(owner) -> MeetCode | None:
    """The code of a deputy or a station if made (reading: the code page's GET writes nothing)."""
    field = "deputy" if isinstance(owner, Deputy) else "station"
    return MeetCode.objects.filter(**{field: owner}).first()


def code_for(owner) -> MeetCode:
    """The token of a deputy's or a station's code: made on first use (生成二维码, a POST),
    then kept (a printed code must keep working)."""
    field = "deputy" if isinstance(owner, Deputy) else "station"
    code, _ = MeetCode.objects.get_or_create(**{field: owner})
    return code


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG, drawn on the server (no external service)."""
    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2).to_string(
        encoding="unicode"
    )


def code_owner(token: str) -> MeetCode | None:
    """The code of a token, when its deputy is serving or its station is active."""
    code = MeetCode.objects.select_related("deputy__person", "deputy__congress", "station__congress").filter(
        token=token
    )
    found = code.first()
    if found is None:
        return None
    if found.deputy_id and found.deputy.status != Deputy.Status.SERVING:
        return None
    if found.station_id and not found.station.active:
        return None
    return found


# --- messages ---------------------------------------------------------------------------------


def _route(message: MeetMessage) -> None:
    """The routing model's proposal (category, unit): a suggestion kept on the message."""
    from renda.suggestions import routing

    try:
        proposed = routing.propose_text(message.congress, message.text, 1)
    except Exception:  # noqa: BLE001 — a broken or missing model must never lose a message
        return
    if proposed["category"] and proposed["category"][0][1] >= MIN_PROPOSAL:
        message.proposed_category = proposed["category"][0][0]
    if proposed["unit"] and proposed["unit"][0][1] >= MIN_PROPOSAL:
        message.proposed_unit = proposed["unit"][0][0]


def _record_correction(by, message: MeetMessage, kind: str, proposed, chosen) -> None:
    """The routing model's proposal changed by whoever handles the message: kept for its next
    training (renda.suggestions.routing.record_correction)."""
    from renda.suggestions import routing

    routing.record_correction(by, message.congress_id, kind, "message", message, message.text, proposed, chosen)


def receive_message(code: MeetCode, data: dict) -> MeetMessage:
    """A constituent's message through a code (the public intake's save)."""
    text = (data.get("text") or "").strip()
    if len(text) < 5:
        raise ValidationError({"text": "留言内容太短，请把情况写清楚（至少5个字）。"})
    message = MeetMessage(
        deputy=code.deputy,
        station=code.station,
        congress_id=code.deputy.congress_id if code.deputy_id else code.station.congress_id,
        text=text,
        name=(data.get("name") or "").strip(),
        contact=(data.get("contact") or "").strip(),
        submitted_on=clock.now().date(),
    )
    _route(message)
    message.full_clean(exclude=["receipt"])
    message.save()
    audit(None, "create", message, {"text": message.summary})
    return message


def _may_answer(by, message: MeetMessage) -> None:
    if not allowed(by, "answer", message):
        raise PermissionDenied("您不能答复这条留言。")
    if message.state != MeetMessage.State.NEW:
        raise ValidationError("这条留言已经办理。")


def _close(by, message: MeetMessage, state: str, answer: str, **fields) -> MeetMessage:
    answer = (answer or "").strip()
    if len(answer) < 2:
        raise ValidationError({"answer": "请填写给群众的答复。"})
    message.state, message.answer = state, answer
    message.answered_at, message.answered_by = clock.now(), by
    for name, value in fields.items():
        setattr(message, name, value)
    message.full_clean(exclude=["receipt"])
    message.save()
    audit(by, state, message, {"state": state})
    return message


@transaction.atomic
def answer(by, message: MeetMessage, text: str) -> MeetMessage:
    _may_answer(by, message)
    return _close(by, message, MeetMessage.State.ANSWERED, text)


@transaction.atomic
def refer(by, message: MeetMessage, unit: HandlingUnit | None, text: str) -> MeetMessage:
    """Refer the matter to a unit (转交办理): the constituent is told which unit has it."""
    _may_answer(by, message)
    if unit is None or not unit.is_active or unit.congress_id != message.congress_id:
        raise ValidationError({"unit": "请选择本级人大所联系的在用单位。"})
    _record_correction(by, message, "unit", message.proposed_unit_id, unit.pk)
    return _close(by, message, MeetMessage.State.REFERRED, text, unit=unit)


@transaction.atomic
def to_suggestion(by, message: MeetMessage, *, title: str, category: str, text: str):
    """The deputy turns the message into a draft suggestion they lead; the draft is linked to
    the message (workflow.Link, 涉及) so either end shows the other."""
    from renda.suggestions.services import save_draft
    from renda.workflow.links import link
    from renda.workflow.models import Link

    _may_answer(by, message)
    if message.deputy_id is None or message.deputy_id not in actor_of(by).deputy_ids:
        raise PermissionDenied("只有收到留言的代表本人可以把留言转为代表建议。")
    draft = save_draft(
        by,
        lead=message.deputy,
        title=title,
        content=message.text,
        category=category,
        cosigners=[],
    )
    link(message, draft, Link.Kind.CONCERNS, None)  # the rule check was ours: a deputy keeps no links
    _record_correction(by, message, "category", message.proposed_category, category)
    _close(by, message, MeetMessage.State.SUGGESTION, text)
    return draft


def public_outcome(message: MeetMessage) -> str:
    """What the constituent is told (no names of staff, no other personal data)."""
    if message.state == MeetMessage.State.NEW:
        return "您的留言已收到，正在办理。"
    if message.state == MeetMessage.State.REFERRED:
        return f"已转交{message.unit.name}办理。"
    if message.state == MeetMessage.State.SUGGESTION:
        return "代表已将您反映的问题写成代表建议，提交人大常委会交有关单位办理。"
    return "代表已答复。"
