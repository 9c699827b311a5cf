"""What the transitions of a filing and of a review proposal do besides moving the
state (called by the workflow engine inside the transition's transaction)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max

from renda.core.models import Role, User
from renda.core.numbering import next_number
from renda.core.services import notify
from renda.workflow.engine import current_day

from .models import FILING_DAYS, STANDARDS, Filing, ReviewProposal


def filer_users(filing: Filing):
    if filing.filer_unit_id:
        return User.objects.filter(roles__role=Role.UNIT, roles__handling_unit=filing.filer_unit_id).distinct()
    return User.objects.filter(roles__role=Role.STAFF, roles__congress=filing.filer_congress_id).distinct()


def staff_users(congress_id, body_id=None):
    qs = User.objects.filter(roles__role=Role.STAFF, roles__congress=congress_id)
    return (qs.filter(roles__body=body_id) if body_id else qs).distinct()


def after_transition(filing: Filing, event) -> None:
    """Filings that go up (规章, 地方性法规) follow each change to the upper level (one never
    filed is not reported: `forward` says so)."""
    if filing.goes_up:
        from .federation import forward

        forward(filing)


def missing_material(filing: Filing) -> dict[str, str]:
    """The formal check (形式审查: 正式文本、起草说明、制定依据、文号): field → what is missing."""
    missing = {}
    if len(filing.text.strip()) < 50:
        missing["text"] = "缺少文件正文（或正文过短）。"
    if not filing.drafting_explanation.strip():
        missing["drafting_explanation"] = "缺少起草说明。"
    if not filing.legal_basis.strip():
        missing["legal_basis"] = "缺少制定依据。"
    if not filing.document_number.strip():
        missing["document_number"] = "缺少文号。"
    return missing


def completeness_problems(filing: Filing) -> list[str]:
    return list(missing_material(filing).values())


def submit(case: Filing, data, user):
    missing = missing_material(case)
    if missing:
        raise ValidationError({field: [message] for field, message in missing.items()})
    day = current_day()
    if case.published_on > day:
        raise ValidationError({"published_on": ["公布日期不能晚于报送日期。"]})
    case.filed_on = day
    case.on_time = (day - case.published_on).days <= FILING_DAYS
    case.findings = findings_of(case)
    case.citations = _citations(case)
    if case.kind != Filing.Kind.REGULATION:
        notify(staff_users(case.congress_id), f"收到备案文件：{case.title}", case.get_absolute_url())


MAX_FINDINGS = 500  # beyond this a document is not a normative document, or the checks are confused


def _citations(case: Filing) -> list[dict]:
    from .services import citations

    return [
        {
            "title": c.title,
            "status": c.status,
            "status_label": c.status_label,
            "status_class": c.status_class,
            "note": c.note,
            "act": c.act,
        }
        for c in citations(case.text, case.published_on)[:MAX_FINDINGS]
    ]


# What a document of each kind may itself set (a 规章 may set fines, a 地方性法规 more).
CHECK_LEVEL = {Filing.Kind.RULE: "政府规章", Filing.Kind.REGULATION: "地方性法规"}


def findings_of(case: Filing) -> list[dict]:
    from renda.assist.lawcheck import check_document

    level = CHECK_LEVEL.get(case.kind, "行政规范性文件")
    return [
        f.to_dict()
        for f in check_document(case.text, published=case.published_on, filed=case.filed_on, level=level)[:MAX_FINDINGS]
    ]


def register(case: Filing, data, user):
    if data["committee"].congress_id != case.congress_id:
        raise ValidationError({"committee": ["只能选择本级人大常委会的审查机构。"]})
    day = current_day()
    year = day.year
    numbered = Filing.objects.filter(congress=case.congress_id, registration_year=year)
    case.registration_year, case.registered_on = year, day
    case.sequence = next_number(
        "filing.registration", year, congress=case.congress_id, seed=lambda: numbered.aggregate(m=Max("sequence"))["m"]
    )
    case.number = f"备〔{year}〕{case.sequence}号"
    case.committee = data["committee"]
    case.published = data.get("published", True)
    notify(filer_users(case), f"备案文件已登记（{case.number}）：{case.title}", case.get_absolute_url())
    notify(staff_users(case.congress_id, case.committee_id), f"请审查备案文件：{case.title}", case.get_absolute_url())


def resubmit(case: Filing, data, user):
    prepared = None
    if data.get("source_file"):  # a corrected text: the text reviewed from now on
        from .services import prepare_text

        prepared = prepare_text(data["source_file"])
        case.text = prepared.text
    if data.get("drafting_explanation"):
        case.drafting_explanation = data["drafting_explanation"]
    if data.get("legal_basis"):
        case.legal_basis = data["legal_basis"]
    problems = completeness_problems(case)
    if problems:
        raise ValidationError({"drafting_explanation": problems})
    if prepared is not None:  # stored once the material is complete: a new version of the filed text
        from renda.workflow.documents import add_version

        add_version(case, "text", prepared, user, note=data.get("note") or "补充报送")
        case.findings = findings_of(case)
        case.citations = _citations(case)


def return_(case: Filing, data, user):
    case.outcome = Filing.Outcome.RETURNED
    case.reviewed_on = current_day()
    notify(filer_users(case), f"备案文件被退回：{case.title}", case.get_absolute_url())


def record_review(case: Filing, data, user):
    case.checklist = {key: {"result": data[key], "note": data.get(f"{key}_note", "")} for key, _, _ in STANDARDS}


def checklist_complete(case: Filing) -> bool:
    return all(key in (case.checklist or {}) for key, _, _ in STANDARDS)


def conclude(case: Filing, data, user):
    if not checklist_complete(case):
        raise ValidationError({"__all__": ["请先填写审查要点（合宪性、政治性、合法性、适当性）。"]})
    flagged = [label for key, label, _ in STANDARDS if case.checklist[key]["result"] != "ok"]
    if flagged:
        raise ValidationError(
            {"__all__": [f"审查要点中{'、'.join(flagged)}存在问题或存疑，不能以“未发现问题”结束审查。"]}
        )
    case.outcome = Filing.Outcome.NO_PROBLEM
    case.problem_found = False
    case.reviewed_on = current_day()
    _close_proposals(case)


def communicate(case: Filing, data, user):
    case.problem_found = True
    case.problem_summary = data["problem_summary"]
    notify(filer_users(case), f"备案审查机构就《{case.title}》与你单位沟通", case.get_absolute_url())


def send_opinion(case: Filing, data, user):
    case.problem_found = True
    case.problem_summary = data["problem_summary"]
    case.opinion = data["opinion"]
    notify(filer_users(case), f"收到书面审查意见：{case.title}", case.get_absolute_url(), kind="warning")


def report_correction(case: Filing, data, user):
    if data["corrected_on"] > current_day():
        raise ValidationError({"corrected_on": ["纠正日期不能晚于今天。"]})
    case.correction = data["correction"] + (
        f"（{data['correcting_document']}）" if data.get("correcting_document") else ""
    )
    case.corrected_on = data["corrected_on"]
    notify(
        staff_users(case.congress_id, case.committee_id),
        f"制定机关报告了纠正情况：{case.title}",
        case.get_absolute_url(),
    )


def confirm_correction(case: Filing, data, user):
    case.outcome = Filing.Outcome.CORRECTED
    case.reviewed_on = current_day()
    _close_proposals(case)


def decide_annulment(case: Filing, data, user):
    case.outcome = Filing.Outcome.ANNULLED
    case.reviewed_on = data["decided_on"]
    case.correction = f"{data['decision']}（{data['decided_on']:%Y年%-m月%-d日}）"
    notify(filer_users(case), f"常委会决定撤销：{case.title}", case.get_absolute_url(), kind="warning")
    _close_proposals(case)


def keep(case: Filing, data, user):
    case.outcome = Filing.Outcome.KEPT
    case.reviewed_on = current_day()
    _close_proposals(case)


def remind(case: Filing, data, user):
    notify(
        filer_users(case)
        if case.state in _filing().states_tagged("with_filer")
        else staff_users(case.congress_id, case.committee_id),
        f"催办：{case.title}",
        case.get_absolute_url(),
        kind="warning",
    )


def _close_proposals(filing: Filing) -> None:
    """The document's review is over: each accepted review proposal on it now falls due
    for feedback (its clock starts), and staff are told."""
    from renda.workflow.engine import perform

    waiting = list(filing.proposals.filter(state="accepted"))
    for proposal in waiting:
        perform(proposal, "review_done", None, today=current_day())
    if waiting:
        notify(
            staff_users(filing.congress_id),
            f"《{filing.title}》审查结束，请向审查建议人反馈结果",
            "/work/filing/proposals/",
        )


def outcome_text(filing: Filing) -> str:
    """The review's result in words, for proposers and the public."""
    if filing.outcome == Filing.Outcome.NO_PROBLEM:
        return "经审查，未发现该文件存在违反宪法、法律、法规或者明显不适当的问题。"
    if filing.outcome == Filing.Outcome.CORRECTED:
        return f"经审查，该文件存在问题，制定机关已经纠正：{filing.correction}"
    if filing.outcome == Filing.Outcome.ANNULLED:
        return f"经审查，该文件存在问题，常委会已作出撤销决定：{filing.correction}"
    if filing.outcome == Filing.Outcome.KEPT:
        return "经审查并提请常委会审议，常委会决定不予撤销该文件。"
    return ""


# ---------------------------------------------------------------- review proposals


def accept_proposal(case: ReviewProposal, data, user):
    filing = data["filing"]
    if filing.congress_id != case.congress_id or filing.kind == Filing.Kind.REGULATION:
        raise ValidationError(
            {"filing": ["只能选择本级人大常委会备案审查的文件；本级报上级备案的地方性法规请移送上级。"]}
        )
    case.filing = filing
    if not filing.requested:
        filing.requested = True
        filing.save(update_fields=["requested"])


def after_proposal(case: ReviewProposal, event) -> None:
    """A proposal accepted on a document whose review is already over falls due for
    feedback at once."""
    from renda.workflow.engine import perform

    if event.transition == "accept" and case.filing.state in _filing().states_tagged("reviewed"):
        perform(case, "review_done", None, today=current_day())


def decline_proposal(case: ReviewProposal, data, user):
    case.publish_feedback = data.get("publish_feedback", False)
    case.feedback = data["feedback"]
    case.answered_on = current_day()


def transfer_proposal(case: ReviewProposal, data, user):
    case.publish_feedback = data.get("publish_feedback", False)
    case.transferred_to = data["transferred_to"]
    case.feedback = data["feedback"]
    case.answered_on = current_day()


def answer_proposal(case: ReviewProposal, data, user):
    if case.filing.state not in _filing().states_tagged("reviewed"):
        raise ValidationError(
            {"feedback": [f"所涉文件仍在审查中（{case.filing.state_label}），审查结束后再反馈结果。"]}
        )
    case.feedback = data["feedback"]
    case.publish_feedback = data.get("publish_feedback", False)
    case.answered_on = current_day()


# ---------------------------------------------------------------- form helpers


def _filing():
    from .cases import FILING  # cases imports this module

    return FILING


def narrow(case: Filing, key: str, form) -> None:
    """The committee is one of the receiving congress's own bodies."""
    if "committee" in form.fields:
        form.fields["committee"].queryset = form.fields["committee"].queryset.filter(congress=case.congress_id)


def narrow_proposal(case: ReviewProposal, key: str, form) -> None:
    """The document is one registered with the congress the proposal was sent to."""
    if "filing" in form.fields:
        form.fields["filing"].queryset = (
            Filing.objects.filter(congress=case.congress_id, state__in=_filing().states_tagged("registered"))
            .exclude(kind=Filing.Kind.REGULATION)
            .order_by("-published_on")
        )


def form_initial(case, key: str, user=None) -> dict:
    if key == "register":
        from renda.core.models import Body

        legal = Body.objects.filter(congress=case.congress_id, is_active=True, name__contains="法制").order_by("order")
        first = legal.first()
        return {"committee": first.pk, "published": True} if first else {"published": True}
    if key == "record_review" and case.checklist:
        initial = {}
        for k, _, _ in STANDARDS:
            if k in case.checklist:
                initial[k] = case.checklist[k]["result"]
                initial[f"{k}_note"] = case.checklist[k]["note"]
        return initial
    if key in ("send_opinion", "communicate") and case.problem_summary:
        return {"problem_summary": case.problem_summary, "reply_period": "30"}
    if key in ("send_opinion", "communicate"):
        summary = "；".join(f["message"] for f in case.findings or [] if f["kind"] != "late_filing")
        return {"problem_summary": summary, "reply_period": "30"}
    return {}


def form_hints(case, key: str, user=None) -> list[str]:
    hints = []
    if key == "register":
        problems = completeness_problems(case)
        hints.append("形式审查：" + ("材料齐全。" if not problems else "；".join(problems)))
        if case.on_time is False:
            hints.append(
                f"迟报：公布于{case.published_on:%Y年%-m月%-d日}，报送于{case.filed_on:%Y年%-m月%-d日}，"
                f"超过公布后{FILING_DAYS}日的报备期限。"
            )
    if key in ("record_review", "conclude", "send_opinion", "communicate") and case.findings:
        hints.append(f"自动检查发现{len(case.findings)}处可能的问题，请在正文中核对（黄色标注）。")
    if key == "conclude" and not checklist_complete(case):
        hints.append("尚未填写审查要点。")
    return hints


def proposal_form_initial(case, key: str, user=None) -> dict:
    if key == "accept" and case.filing_id:
        return {"filing": case.filing_id}
    if key == "answer" and case.filing_id:
        return {"feedback": outcome_text(case.filing), "publish_feedback": True}
    return {}


def proposal_form_hints(case, key: str, user=None) -> list[str]:
    if key == "answer" and case.filing_id:
        return [f"所涉文件：{case.filing.title}，当前状态：{case.filing.state_label}。"]
    if key == "accept" and not case.filing_id:
        return [f"建议人所指文件：{case.document_title} {case.document_number}".strip()]
    return []
