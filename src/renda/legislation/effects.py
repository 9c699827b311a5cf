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


ballots_of = motions.ballots_about


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
