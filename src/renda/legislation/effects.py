"""What the bill's transitions do besides moving its state (called by workflow.perform inside
its transaction; a ValidationError refuses the act with its Chinese message)."""

from django.core.exceptions import ValidationError

from renda.ballots import motions
from renda.core.models import CommitteeMeeting
from renda.workflow import documents
from renda.workflow.engine import current_day


def narrow(case, key, form):
    if "sitting" in form.fields:
        form.fields["sitting"].queryset = CommitteeMeeting.objects.filter(
            term__congress_id=case.congress_id, kind=CommitteeMeeting.Kind.STANDING_COMMITTEE
        ).select_related("term__congress")


def submit(case, data, by):
    if documents.current(case, "draft") is None:
        raise ValidationError("请先上传法规草案，再提请审议。")
    case.submitted_on = current_day()
    case.save(update_fields=["submitted_on"])


def read(case, data, by):
    """One reading at a sitting; from the second on, the legal committee's report on the
    results of its review (审议结果的报告) is attached."""
    files = data.get("files") or []
    if case.readings_done >= 1:
        if not files:
            raise ValidationError("二审、三审须附法制委员会关于法规草案审议结果的报告。")
        for upload in files:
            documents.add_version(case, "review_report", upload, by, note=f"第{case.readings_done + 1}次审议")
    case.readings_done += 1
    case.save(update_fields=["readings_done"])


def after_reading(case, data) -> str:
    return "ready" if case.readings_done >= case.readings_required else "reading"


def open_vote(case, data, by):
    """The standing committee's vote: more than half of all its members (majority_of_all of
    the roll), secret or named as the sitting decides (the shared motion, ballots/motions.py)."""
    motions.open_motion(by, case, title=f"《{case.title}》表决", kind=data["kind"])


def close_vote(case, data, by):
    if motions.close_motion(by, case).outcome.passed:
        case.passed_on = current_day()
        case.save(update_fields=["passed_on"])


def vote_outcome(case, data) -> str:
    return "passed" if motions.passed(case) else "rejected"


def approve(case, data, by):
    if case.passed_on and data["approved_on"] < case.passed_on:
        raise ValidationError({"approved_on": "批准日期不能早于通过日期。"})
    case.approving_body = data["approving_body"]
    case.approved_on = data["approved_on"]
    case.save(update_fields=["approving_body", "approved_on"])


def promulgate(case, data, by):
    """The 公告 states 制定机关、通过时间、批准机关、批准时间、施行日期 (LEG-8, LEG-12)."""
    errors = {}
    if data["passed_on"] != case.passed_on:
        errors["passed_on"] = "通过时间应与表决通过的日期一致。"
    if data["approved_on"] < data["passed_on"]:
        errors["approved_on"] = "批准时间不能早于通过时间。"
    if data["effective_on"] < data["approved_on"]:
        errors["effective_on"] = "施行日期不能早于批准时间。"
    if current_day() < data["approved_on"]:
        errors["approved_on"] = "公告的发布日期不能早于批准时间。"
    if errors:
        raise ValidationError(errors)
    for name in ("enacting_body", "approving_body", "approved_on", "effective_on", "announcement"):
        setattr(case, name, data[name])
    case.promulgated_on = current_day()
    case.save(
        update_fields=[
            "enacting_body",
            "approving_body",
            "approved_on",
            "effective_on",
            "announcement",
            "promulgated_on",
        ]
    )
    file_upward(case, by)


def file_upward(case, by):
    """备案: the promulgated regulation is recorded as the congress's own filing of kind 地方性法规,
    which the filing module sends on to the upper level (state 已报上级备案, forwarded through
    renda.federation when an upper peer is set up) — the filing's 源于 link names the bill.
    Only an account that may file for the congress (its staff: filing.services.filer_choices)
    files it; an administrator's promulgation leaves the filing to the staff's filing form."""
    from renda.filing import services as filing
    from renda.workflow.links import link

    key = f"own:{case.congress_id}"
    if key not in {k for k, _, _ in filing.filer_choices(by)}:
        return None
    version = documents.current(case, "draft")
    text = version.text if version else ""
    record = filing.file_document(
        by,
        {
            "filer": key,
            "kind": "regulation",
            "title": case.title,
            "document_number": case.announcement,
            "adopted_on": case.passed_on,
            "published_on": case.promulgated_on,
            # the 公告's facts stand for the 说明 (the drafting explanation is a document of the bill)
            "drafting_explanation": f"{case.enacting_body}于{case.passed_on:%Y年%-m月%-d日}通过，"
            f"{case.approving_body}于{case.approved_on:%Y年%-m月%-d日}批准，{case.announcement}公布，"
            f"自{case.effective_on:%Y年%-m月%-d日}起施行。",
            "legal_basis": case.area_basis or "《中华人民共和国立法法》第八十一条",
            "text": text,
        },
        today=case.promulgated_on,
    )
    link(record, case, "arises_from", None, note="公布后报上级人大常委会备案")
    return record
