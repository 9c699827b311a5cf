"""What the supervision transitions do besides moving the state (called by workflow.perform
inside its transaction, with the locked case)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from renda.ballots import motions
from renda.ballots import services as ballots
from renda.ballots.models import Ballot
from renda.core import clock
from renda.core.models import CommitteeMeeting, CommitteeMember, Deputy, Role, User
from renda.core.services import notify
from renda.meetings.models import Speech
from renda.workflow import plans
from renda.workflow.documents import add_version
from renda.workflow.engine import current_day, reanchor_deadlines
from renda.workflow.models import Participation

# ---------------------------------------------------------------- who is told


def organ_users(case):
    units = [u for u in (case.organ_id, case.unit_id) if u]
    return User.objects.filter(roles__role=Role.UNIT, roles__handling_unit__in=units, is_active=True).distinct()


def staff_users(case):
    return User.objects.filter(roles__role=Role.STAFF, roles__congress=case.congress_id, is_active=True).distinct()


def member_users(case):
    return User.objects.filter(roles__role=Role.MEMBER, roles__congress=case.congress_id, is_active=True).distinct()


def _tell(users, case, text):
    notify(users, f"【{case.case_type.label}】{case.title}：{text}", case.get_absolute_url())


# ---------------------------------------------------------------- narrowing the forms to the case


def narrow(case, key, form):
    congress = case.congress_id
    fields = form.fields
    if "sitting" in fields:
        fields["sitting"].queryset = CommitteeMeeting.objects.filter(
            term__congress_id=congress, kind=CommitteeMeeting.Kind.STANDING_COMMITTEE
        ).select_related("term__congress")
    plans.narrow(case, key, form)  # the adopting directors' meeting, as every plan narrows it
    if "team" in fields:
        fields["team"].queryset = (
            CommitteeMember.objects.filter(congress_id=congress, end_date__isnull=True)
            .select_related("person")
            .order_by("person__name")
        )
    if "deputies" in fields:
        fields["deputies"].queryset = (
            Deputy.objects.filter(term__congress_id=congress, status=Deputy.Status.SERVING)
            .select_related("person")
            .order_by("person__name")
        )


# ---------------------------------------------------------------- scheduling and the report


def schedule(case, data, by):
    case.sitting = data["sitting"]
    case.save(update_fields=["sitting"])


def reschedule(case, data, by):
    case.sitting = data["sitting"]
    case.save(update_fields=["sitting"])
    reanchor_deadlines(case)  # the report clocks follow the sitting
    _tell(organ_users(case), case, f"审议会议调整为{case.sitting.label}，报送期限随之调整")


def _add_versions(case, data, by, kind, what):
    files = data.get("files") or []
    if not files:
        raise ValidationError({"files": [f"请上传{what}文件（可上传多个）。"]})
    for upload in files:
        upload.seek(0)
        add_version(case, kind, upload, by, note=data.get("note", ""))
    _tell(staff_users(case), case, f"已报送{what}（{len(files)}个文件）")


def add_report_version(case, data, by):
    """The report (the final one of a work report): published with the item."""
    _add_versions(case, data, by, "report", "报告")


def add_draft_version(case, data, by):
    """A work report's draft, sent for the committee's pre-review (监督法 Art. 14): it stays
    with those who follow the item, never published."""
    _add_versions(case, data, by, "draft", "报告初稿")


def tell_organ(case, data, by):
    _tell(organ_users(case), case, data["note"][:80])


def distribute(case, data, by):
    _tell(member_users(case), case, "报告已印发，请于会前阅读")


def deliberate(case, data, by):
    case.held_on = current_day()
    case.save(update_fields=["held_on"])


def start_fieldwork(case, data, by):
    for upload in data.get("files") or []:
        upload.seek(0)
        add_version(case, "scheme", upload, by, note="工作方案")
    case.held_on = current_day()
    case.save(update_fields=["held_on"])


def team(case, data):
    """The team: members as 检查组成员, invited deputies as 代表 (their archive counts it)."""
    people = [(m.person, Participation.Capacity.INSPECTOR) for m in data.get("team") or []]
    people += [(d, Participation.Capacity.DEPUTY) for d in data.get("deputies") or []]
    return people


# ---------------------------------------------------------------- the deliberation loop


def send_opinions(case, data, by):
    case.opinions = data["opinions"]
    case.opinions_sent_on = current_day()
    case.save(update_fields=["opinions", "opinions_sent_on"])
    _tell(organ_users(case), case, "审议意见已交办，请在期限内报送研究处理情况")


def respond(case, data, by):
    case.response = data["response"]
    case.response_received_on = current_day()
    case.save(update_fields=["response", "response_received_on"])
    for upload in data.get("files") or []:
        upload.seek(0)
        add_version(case, "response", upload, by, note=data.get("note", ""))
    _tell(staff_users(case), case, "已报送研究处理情况")


SATISFACTION_OPTIONS = [("满意", "for"), ("基本满意", "for"), ("不满意", "against")]


def open_vote(case, data, by):
    """A secret satisfaction vote of the serving members on the report or on the response
    (the platform's one ballot mechanism; the pass mark is a setting)."""
    on = "response" if case.state == "response_received" else "report"
    what = "研究处理情况" if on == "response" else "报告"
    ballot = ballots.create_ballot(
        by,
        congress=case.congress,
        title=f"对《{case.title}》{what}的满意度测评" + (f"（第{case.round}次）" if case.round > 1 else ""),
        rule="majority_of_cast",
        rule_params={"threshold": settings.RENDA_SATISFACTION_PASS_PERCENT},
        voters=ballots.committee_roll(case.congress, on=current_day()),
        options=SATISFACTION_OPTIONS,
        subject=case,
        kind=Ballot.Kind.SECRET,
    )
    ballots.open_ballot(by, ballot)
    case.voting_on = on
    case.save(update_fields=["voting_on"])
    _tell(member_users(case), case, "满意度测评已开始，请投票")


def open_ballot_of(case) -> Ballot:
    ballot = motions.ballots_about(case).filter(state=Ballot.State.OPEN).order_by("-id").first()
    if ballot is None:
        raise ValidationError("没有进行中的满意度测评。")
    return ballot


def close_vote(case, data, by):
    ballot = ballots.close_ballot(by, open_ballot_of(case))
    ballots.publish(by, ballot)  # the results of supervision are public (SUP-1)
    result = ballots.tally(ballot)
    if not result.outcome.passed:
        case.round += 1
        case.save(update_fields=["round"])
        _tell(organ_users(case), case, f"满意度测评结果为不满意（{result.outcome.text}），请重新报告")
    elif case.voting_on == "response":  # a satisfied vote on the response concludes the item (after_vote)
        case.concluded_on = current_day()
        fields = ["concluded_on"]
        if data.get("publish") and not case.published_on:  # a concluded item is published here or not at all
            case.published_on = current_day()
            fields.append("published_on")
        case.save(update_fields=fields)


def after_vote(case, data) -> str:
    result = motions.last_result(case)
    if result is None or not result.outcome.passed:
        return "re_reporting"
    return "deliberated" if case.voting_on == "report" else "concluded"


def rereport_from(case):
    """The re-report clock runs only when a vote sent the organ back."""
    return current_day() if case.state == "re_reporting" else None


def deliberate_response(case, data, by):
    _tell(organ_users(case), case, f"研究处理情况已提请{data['sitting'].label}审议")


def response_deliberated(case) -> bool:
    """Whether the latest response was put to a sitting (审议研究处理情况) after it came."""
    transitions = list(case.events().order_by("-sequence").values_list("transition", flat=True))
    for key in transitions:
        if key == "deliberate_response":
            return True
        if key == "respond":
            return False
    return False


def conclude(case, data, by):
    if case.state == "response_received" and case.deliberate_response and not response_deliberated(case):
        raise ValidationError("按计划，研究处理情况须提请常委会会议审议后方可办结。")
    case.concluded_on = current_day()
    fields = ["concluded_on"]
    if data.get("publish") and not case.published_on:
        case.published_on = current_day()
        fields.append("published_on")
    case.save(update_fields=fields)


def publish(case, data, by):
    if case.published_on:
        raise ValidationError("已经公开。")
    case.published_on = current_day()
    case.save(update_fields=["published_on"])


def circulate_speeches(case, data, by):
    pending = Speech.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk, circulated_at__isnull=True
    )
    day = current_day()  # the transition's day (a record entered after the fact: that day's office hours)
    count = pending.update(circulated_at=clock.now() if day == timezone.localdate() else clock.on(day))
    if not count:
        raise ValidationError("没有待通报的审议发言。")
    _tell(organ_users(case), case, f"通报组成人员审议发言{count}篇，请研究")


def remind(case, data, by):
    _tell(organ_users(case), case, f"催办：{data['note'][:60]}")


def withdraw(case, data, by):
    from renda.workflow.engine import perform

    if case.plan_id and case.plan.state != "draft":  # an adopted plan changes only with a reason
        perform(case.plan, "adjust", by, {"note": f"撤销“{case.title}”：{data['note']}"}, today=current_day())


# ---------------------------------------------------------------- 质询案


def proposers(case):
    return Participation.objects.filter(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        capacity__in=(Participation.Capacity.AUTHOR, Participation.Capacity.COSIGNER),
    )


def accept_interpellation(case, data, by):
    case.answer_mode = data["answer_mode"]
    case.save(update_fields=["answer_mode"])
    _tell(organ_users(case), case, f"主任会议决定交由你机关{case.get_answer_mode_display()}")


def answer_interpellation(case, data, by):
    case.answer = data["answer"]
    case.held_on = current_day()
    case.save(update_fields=["answer", "held_on"])
    for upload in data.get("files") or []:
        upload.seek(0)
        add_version(case, "answer", upload, by, note=data.get("note", ""))
    _tell(staff_users(case), case, "受质询机关已答复")


def open_assessment(case, data, by):
    """The proposers say whether they are satisfied with the answer: a named ballot of them."""
    people = list(proposers(case).values_list("person_id", flat=True))
    users = User.objects.filter(person_id__in=people, is_active=True)
    if users.count() < len(set(people)):
        raise ValidationError("有提案人没有可用账号，无法表态。")
    ballot = ballots.create_ballot(
        by,
        congress=case.congress,
        title=f"提案人对质询案《{case.title}》答复的表态" + (f"（第{case.round}次）" if case.round > 1 else ""),
        rule="majority_of_all",
        voters=[dict(user=u, person=u.person) for u in users.select_related("person")],
        options=[("满意", "for"), ("不满意", "against")],
        subject=case,
        kind=Ballot.Kind.NAMED,
    )
    ballots.open_ballot(by, ballot)


def close_assessment(case, data, by):
    ballots.close_ballot(by, open_ballot_of(case))


def dissatisfied_majority(case) -> bool:
    """More than half of the proposers dissatisfied (监督法 Art. 54) with the latest answer: a vote
    on an earlier answer does not order another one."""
    steps = list(
        case.events().filter(transition__in=("answer", "close_assessment")).values_list("transition", flat=True)
    )
    if not steps or steps[-1] != "close_assessment":
        return False
    result = motions.last_result(case)
    return result is not None and 2 * result.totals.get("against", 0) > result.eligible


def order_second_answer(case, data, by):
    if not dissatisfied_majority(case):
        raise ValidationError("提案人中不满意的未超过半数，主任会议不能决定再作答复。")
    case.round += 1
    case.save(update_fields=["round"])
    _tell(organ_users(case), case, "主任会议决定再作答复")


# ---------------------------------------------------------------- the plan
