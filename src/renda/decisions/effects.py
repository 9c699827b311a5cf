"""What the resolution's transitions do besides moving its state (called by workflow.perform
inside its transaction; a ValidationError refuses the act with its Chinese message)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max

from renda.ballots import motions
from renda.core.models import CommitteeMeeting
from renda.core.numbering import next_number
from renda.workflow import documents
from renda.workflow.engine import current_day

from .models import Resolution


def number_prefix(congress) -> str:
    """The standing committee's document prefix, 巴人常发 for 巴彦淖尔市: the region's first
    character, 人常发 (人大常委会发文)."""
    return f"{congress.region[:1]}人常发"


def narrow(case, key, form):
    if "sitting" in form.fields:
        form.fields["sitting"].queryset = CommitteeMeeting.objects.filter(
            term__congress_id=case.congress_id, kind=CommitteeMeeting.Kind.STANDING_COMMITTEE
        ).select_related("term__congress")


def schedule(case, data, by):
    """列入议程: a sitting of the standing committee, and a draft to put before it."""
    if documents.current(case, "draft") is None:
        raise ValidationError("请先上传决议决定草案，再列入会议议程。")
    sitting = data["sitting"]
    if sitting.term.congress_id != case.congress_id:
        raise ValidationError({"sitting": "请选择本级人大常委会的会议。"})
    case.sitting = sitting
    case.save(update_fields=["sitting"])


def revise(case, data, by):
    files = data.get("files") or []
    if not files:
        raise ValidationError("请上传修改后的草案文件。")
    for upload in files:
        documents.add_version(
            case, "draft", upload, by, note=data.get("note") or "修改稿", title=f"{case.title}（草案）"
        )


def open_vote(case, data, by):
    """交付表决: a motion about the resolution, more than half of ALL members (APP-3), at its sitting."""
    if case.sitting and current_day() < case.sitting.start_date:
        raise ValidationError(
            f"{case.sitting.label}于{case.sitting.start_date:%Y年%-m月%-d日}举行，会议举行时方可交付表决。"
        )
    motions.open_motion(by, case, title=f"{case.title}（草案）表决", kind=data["kind"])


def close_vote(case, data, by):
    # the result of the committee's vote on a resolution is public (it is announced at the sitting)
    if motions.close_motion(by, case, publish=True).outcome.passed:
        case.adopted_on = current_day()
        case.save(update_fields=["adopted_on"])


def vote_outcome(case, data) -> str:
    return "adopted" if motions.passed(case) else "rejected"


def publish(case, data, by):
    """公布: the number (巴人常发〔2020〕N号, one counter per congress and year) and the adopted
    text — the file attached, or else the draft that was voted, as version 1 of `text`."""
    day = current_day()
    files = data.get("files") or []
    if files:
        for upload in files:
            documents.add_version(case, "text", upload, by, note="通过文本", title=case.title)
    elif documents.current(case, "text") is None:
        voted = documents.current(case, "draft")
        if voted is None:
            raise ValidationError("没有可公布的文本，请上传通过的决议决定文本。")
        with voted.file.open("rb") as f:
            copy = SimpleUploadedFile(voted.name, f.read(), content_type=voted.content_type)
        documents.add_version(case, "text", copy, by, note="表决通过的草案文本", title=case.title)
    numbered = Resolution.objects.filter(congress=case.congress_id, published_on__year=day.year)
    case.sequence = next_number(
        "decisions.number", day.year, congress=case.congress_id, seed=lambda: numbered.aggregate(m=Max("sequence"))["m"]
    )
    case.number = f"{number_prefix(case.congress)}〔{day.year}〕{case.sequence}号"
    case.published_on = day
    case.save(update_fields=["sequence", "number", "published_on"])
