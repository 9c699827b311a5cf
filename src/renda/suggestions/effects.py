"""What each transition of a suggestion does besides moving its state (called by the
workflow engine inside the transition's transaction)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.urls import reverse

from renda.core.models import HandlingUnit, PlenarySession, Role, User, chinese_ordinal
from renda.core.numbering import next_number
from renda.core.services import notify
from renda.workflow.engine import Hint, current_day, extend_deadline
from renda.workflow.models import Deadline

from .models import Assignment, CoSigner, Evaluation, Reply, Suggestion

MIN_CONTENT = 50


def author_users(case, with_merged: bool = False):
    """The accounts of the lead deputy and co-signers (and, with_merged, of the lead
    deputies of the suggestions merged into this one: every deputy gets an answer)."""
    deputies = [case.lead_deputy_id] + list(case.cosigners.values_list("deputy_id", flat=True))
    if with_merged:
        deputies += list(case.merged.values_list("lead_deputy_id", flat=True))
    return User.objects.filter(roles__role=Role.DEPUTY, roles__deputy__in=deputies).distinct()


def unit_users(unit_ids):
    return User.objects.filter(roles__role=Role.UNIT, roles__handling_unit__in=unit_ids).distinct()


def completeness_problems(title: str, content: str) -> list[str]:
    """What a suggestion lacks before it can be submitted (shown to the deputy as they write)."""
    problems = []
    if len((title or "").strip()) < 6:
        problems.append("标题过短：请用一句话概括所提问题，如“关于加快某某工程建设的建议”。")
    elif not title.strip().startswith("关于") or not title.strip().endswith(("建议", "意见", "批评")):
        problems.append("标题宜采用“关于……的建议”的形式。")
    text = (content or "").strip()
    if len(text) < MIN_CONTENT:
        problems.append(f"内容过短（{len(text)}字）：请写明存在的问题、原因分析和具体建议，至少{MIN_CONTENT}字。")
    if text and not any(w in text for w in ("建议", "应当", "应", "请", "希望")):
        problems.append("内容中未见具体建议：请写明希望有关部门怎么做。")
    return problems


def blocking_problems(title: str, content: str) -> list[str]:
    """The problems that refuse a submission: a title-style hint is advice, not a bar;
    missing substance is."""
    return [p for p in completeness_problems(title, content) if not p.startswith("标题宜")]


def submit(case: Suggestion, data, user):
    blocking = blocking_problems(case.title, case.content)
    if blocking:
        raise ValidationError({"content": blocking})
    day = current_day()
    case.submitted_on = day
    case.session = PlenarySession.objects.filter(term=case.term, start_date__lte=day, end_date__gte=day).first()


def after_submit(case, data) -> str:
    return "cosigning" if case.cosigners.filter(confirmed_on__isnull=True).exists() else "submitted"


def confirm(case, data, user):
    deputies = user.actor.deputy_ids
    CoSigner.objects.filter(suggestion=case, deputy__in=deputies, confirmed_on__isnull=True).update(
        confirmed_on=current_day()
    )


def after_confirm(case, data) -> str:
    return after_submit(case, data)


def participants(case, data) -> list:
    """Who has put their name to the suggestion: the lead deputy (author) and each
    co-signer who confirmed. Declared on 提交 and 确认附议; the engine records each one
    once, with the event that brought them in."""
    cosigners = case.cosigners.filter(confirmed_on__isnull=False).select_related("deputy")
    return [(case.lead_deputy, "author")] + [(c.deputy, "cosigner") for c in cosigners]


def _pct(p: float) -> str:
    return f"{round(100 * p)}%"


def form_initial(case: Suggestion, key: str, user=None) -> dict:
    """Proposals preselected in the registration and assignment forms (staff may change them)."""
    from . import routing

    # the proposal, pre-selected with its reason in the hints; staff keep or correct it
    if key == "register":
        proposed = routing.propose(case)["category"]
        return {"category": proposed[0][0] if proposed else case.category, "published": True}
    if key == "assign":
        proposed = routing.propose(case)["unit"]
        return {"lead_unit": proposed[0][0].pk, "period": "3"} if proposed else {"period": "3"}
    return {}


def units_of(case: Suggestion):
    """The units a suggestion may be assigned to: its own congress's active units."""
    return HandlingUnit.objects.filter(congress=case.congress_id, is_active=True)


def narrow(case: Suggestion, key: str, form) -> None:
    """The choices of a suggestion's forms, narrowed to it: 交办 lists the suggestion's congress's units only (a county's government is a unit of
    the county congress and, as a lower government, of the city's: two records of one name),
    each by its full name, which is unique within a congress."""
    for name in ("lead_unit", "assisting_units"):
        if name in form.fields:
            form.fields[name].queryset = units_of(case)
            form.fields[name].label_from_instance = lambda unit: unit.name
    if "into" in form.fields:  # 并案: only into a registered, open suggestion of the same congress
        from .cases import SUGGESTION  # cases imports this module

        form.fields["into"].queryset = Suggestion.objects.filter(
            congress=case.congress_id, state__in=SUGGESTION.states_tagged("registered", "open")
        ).exclude(pk=case.pk)


def form_hints(case: Suggestion, key: str, user=None) -> list[str]:
    from . import routing
    from .similar import most_similar

    hints = []
    if key == "register":
        proposed = routing.propose(case)["category"]
        if proposed:
            hints.append(
                "系统建议类别："
                + "；".join(f"{c}（{_pct(p)}）" for c, p in proposed)
                + f"，已预选{proposed[0][0]}。代表所选：{case.category}。"
            )
        else:
            hints.append("历史建议不足，暂无系统建议类别。")
    if key in ("register", "merge"):
        similar = most_similar(user, f"{case.title} {case.content}", exclude=case.pk)
        if similar:
            hints.append(
                Hint(
                    "相似的建议（可考虑并案）：",
                    [
                        (
                            f"{s.number or '未编号'} {s.title}（相似度{score:.2f}，{s.state_label}）",
                            reverse("suggestions:detail", args=[s.pk]),
                        )
                        for s, score in similar
                    ],
                )
            )
    if key == "assign":
        proposed = routing.propose(case)["unit"]
        if proposed:
            hints.append(
                "系统建议主办单位："
                + "；".join(f"{u.name}（{_pct(p)}）" for u, p in proposed)
                + f"，已预选{proposed[0][0].name}。"
            )
        else:
            hints.append("历史交办记录不足，暂无系统建议主办单位。")
    return hints


def register(case: Suggestion, data, user):
    from . import routing

    proposed = routing.propose(case)
    case.suggested_category = proposed["category"][0][0] if proposed["category"] else ""
    case.category = data["category"]
    routing.record_correction(
        user,
        case.congress_id,
        "category",
        "suggestion",
        case,
        f"{case.title} {case.content}",
        case.suggested_category,
        case.category,
    )
    case.published = data["published"]
    case.registered_on = current_day()
    # numbered per plenary session, or per year between sessions
    numbered = Suggestion.objects.filter(congress=case.congress_id, sequence__isnull=False)
    if case.session_id:
        sequence, year = f"suggestions.session.{case.session_id}", None
        numbered = numbered.filter(session=case.session_id)
        prefix = f"{chinese_ordinal(case.term.number)}届{chinese_ordinal(case.session.number)}次会议"
    else:
        sequence, year = "suggestions.between_sessions", case.registered_on.year
        numbered = numbered.filter(session__isnull=True, registered_on__year=year)
        prefix = f"{year}年闭会期间"
    case.sequence = next_number(
        sequence, year, congress=case.congress_id, seed=lambda: numbered.aggregate(m=Max("sequence"))["m"]
    )
    case.number = f"{prefix}第{case.sequence}号"


def merge(case: Suggestion, data, user):
    from .cases import SUGGESTION  # cases imports this module

    main = data["into"]
    if (
        main.pk == case.pk
        or main.congress_id != case.congress_id
        or main.state not in SUGGESTION.states_tagged("registered", "open")
    ):
        raise ValidationError({"into": ["只能并入同一人大已立案、尚未办结的建议。"]})
    case.merged_into = main
    notify(
        author_users(case),
        f"您的建议“{case.title}”已与“{main.title}”并案办理，答复将同时送达您。",
        f"/work/suggestions/{main.pk}/",
    )


def assign(case: Suggestion, data, user):
    day = current_day()
    lead = data["lead_unit"]
    if lead.congress_id != case.congress_id:
        raise ValidationError({"lead_unit": ["主办单位必须是本级人大监督的单位。"]})
    assisting = [u for u in data["assisting_units"] if u.pk != lead.pk]
    Assignment.objects.filter(suggestion=case, active=True).update(active=False)
    Assignment.objects.create(suggestion=case, unit=lead, role=Assignment.Role.LEAD, assigned_on=day)
    Assignment.objects.bulk_create(
        [Assignment(suggestion=case, unit=u, role=Assignment.Role.ASSISTING, assigned_on=day) for u in assisting]
    )
    from . import routing

    proposed = routing.propose(case)["unit"]
    case.suggested_unit = proposed[0][0] if proposed else None
    case.lead_unit = lead
    routing.record_correction(
        user,
        case.congress_id,
        "unit",
        "suggestion",
        case,
        f"{case.title} {case.content}",
        case.suggested_unit.pk if case.suggested_unit else None,
        lead.pk,
    )
    notify(
        unit_users([lead.pk] + [u.pk for u in assisting]),
        f"【交办】{case.number} {case.title}",
        f"/work/suggestions/{case.pk}/",
        kind="assign",
    )


def sign(case, data, user):
    pass


def return_(case: Suggestion, data, user):
    Assignment.objects.filter(suggestion=case, active=True).update(active=False)
    case.lead_unit = None


def approve_extension(case: Suggestion, data, user):
    """Extend the reply clock to six months from its start (代表法 Art. 51: at most 6)."""
    from renda.workflow import calendar

    clock = Deadline.objects.for_case(case).filter(key="reply").exclude(status=Deadline.Status.STOPPED).first()
    if clock is None:
        return
    limit = calendar.add_months(clock.started_on, 6)
    if clock.due_on >= limit:
        raise ValidationError({"note": ["答复期限已达六个月上限，不能再延期。"]})
    extend_deadline(clock, limit, data.get("note") or "承办单位申请延期，经同意", user)


def assist_opinion(case, data, user):
    Assignment.objects.filter(
        suggestion=case,
        active=True,
        role=Assignment.Role.ASSISTING,
        unit__in=user.actor.unit_ids,
        opinion_on__isnull=True,
    ).update(opinion=data["opinion"], opinion_on=current_day())
    if case.lead_unit_id:
        notify(
            unit_users([case.lead_unit_id]),
            f"【协办意见】{case.number} 收到协办单位意见",
            f"/work/suggestions/{case.pk}/",
        )


def reply(case: Suggestion, data, user):
    day = current_day()
    clock = Deadline.objects.for_case(case).filter(key="reply").exclude(status=Deadline.Status.STOPPED).first()
    Reply.objects.create(
        suggestion=case,
        unit=case.lead_unit,
        round=case.round,
        category=data["category"],
        text=data["text"],
        signed_by=data["signed_by"],
        replied_on=day,
        on_time=clock is None or day <= clock.due_on,
    )
    notify(
        author_users(case, with_merged=True),
        f"【已答复】您的建议“{case.title}”已收到答复，请测评。",
        f"/work/suggestions/{case.pk}/",
    )


def after_evaluate(case, data) -> str:
    return "handling" if data["satisfaction"] == "dissatisfied" else "concluded"


def evaluate(case: Suggestion, data, user):
    day = current_day()
    Evaluation.objects.create(
        suggestion=case,
        deputy=case.lead_deputy,
        round=case.round,
        satisfaction=data["satisfaction"],
        comment=data.get("comment", ""),
        evaluated_on=day,
    )
    if data["satisfaction"] == "dissatisfied":
        case.round += 1
        notify(
            unit_users([case.lead_unit_id]),
            f"【重新办理】代表对{case.number}的答复不满意，请在一个月内重新办理答复。",
            f"/work/suggestions/{case.pk}/",
            kind="rehandle",
        )
    else:
        case.concluded_on = day


def mark_key(case: Suggestion, data, user):
    case.key_supervision = True
    case.responsible_leader = data["responsible_leader"]


def remind(case: Suggestion, data, user):
    units = list(case.assignments.filter(active=True).values_list("unit_id", flat=True))
    notify(
        unit_users(units),
        f"【催办】{case.number} {case.title}：{data.get('note', '')}"[:200],
        f"/work/suggestions/{case.pk}/",
        kind="reminder",
    )
