"""The 任免案 case type (rules.md §5): drafting → submitted → examined → voting → decided →
notified (任免名单 published) → sworn; withdrawn before the vote (APP-4)."""

from django import forms
from django.db.models import Q
from django.urls import reverse

from renda.workflow.engine import NOBODY, CaseType, DeadlineRule, Guard, State, Transition
from renda.workflow.guards import staff, staff_and_directors, unit_else_staff

from . import services
from .models import AppointmentBatch

# the votes are run by the staff: the ballots' rule lets the staff and administrators manage ballots
nominating = Guard("提请机关", lambda a: Q(unit__in=a.unit_ids) if a.unit_ids else NOBODY)

# APP-4: 重庆 7 days, 浙江/深圳 10 (the setting); nothing is delivered on a rest day (workday).
SUBMIT = DeadlineRule(
    "submit",
    "提请任免案",
    days_setting="RENDA_APPOINTMENT_SUBMIT_DAYS",
    anchor=lambda c: c.sitting_on,
    anchor_label="会议举行",
    before=True,
    workday=True,
    citation="任免案应当在常委会会议举行七日前（重庆市人事任免工作条例第十七条；浙江、深圳为十日前）提请",
)


def _sittings():
    from renda.core.models import CommitteeMeeting

    return CommitteeMeeting.objects.filter(kind=CommitteeMeeting.Kind.STANDING_COMMITTEE)


def _narrow(case, key, form):
    if "sitting" in form.fields:
        form.fields["sitting"].queryset = _sittings().filter(term__congress=case.congress_id)


BATCH = CaseType(
    key="appointment_batch",
    label="任免案",
    model=AppointmentBatch,
    initial="drafting",
    states=[
        State("drafting", "起草中", tags=("with_nominator",)),
        State("submitted", "已提请", tags=("before_vote",)),
        State("examined", "考试完成待表决", tags=("before_vote",)),
        State("voting", "表决中"),
        State("decided", "已表决", tags=("decided",)),
        State("notified", "任免名单已公布", tags=("decided", "public")),
        State("sworn", "宪法宣誓已完成", terminal=True, tags=("decided", "public")),
        State("withdrawn", "已撤回", terminal=True),
    ],
    transitions=[
        Transition(
            "schedule",
            "安排审议会议",
            ("drafting",),
            staff,
            stay=True,
            fields={"sitting": forms.ModelChoiceField(label="提请审议的常委会会议", queryset=_sittings())},
            effect=services.schedule,
            starts=(SUBMIT,),
            deadline_unit=lambda c, d: c.unit,
        ),
        Transition(
            "submit",
            "提请任免案",
            ("drafting",),
            staff | nominating,
            target="submitted",
            stops=("submit",),
            attachments=True,
            effect=services.submit,
        ),
        Transition("examine", "确认考试完成", ("submitted",), staff, target="examined", effect=services.examine),
        Transition("open_votes", "开始逐人表决", ("examined",), staff, target="voting", effect=services.open_votes),
        Transition(
            "next_vote",
            "结束本项表决并进行下一项",
            ("voting",),
            staff,
            stay=True,
            effect=services.next_vote,
            button_style="secondary",
        ),
        Transition("decide", "结束表决", ("voting",), staff, target="decided", effect=services.decide),
        Transition("notify", "公布任免名单", ("decided",), staff, target="notified", effect=services.notify),
        Transition("swear", "确认宪法宣誓完成", ("notified",), staff, target="sworn", effect=services.sworn),
        Transition(
            "withdraw",
            "撤回任免案",
            ("drafting", "submitted", "examined"),
            staff | nominating,
            target="withdrawn",
            note_required=True,
            button_style="secondary",
        ),
    ],
    responsible=unit_else_staff,
    supervisors=staff_and_directors,
    url=lambda c: reverse("appointments:batch", args=[c.pk]),
    narrow=_narrow,
    year_field="submitted_on",
    api_fields=("nominator", "unit", "sitting", "submitted_on", "decided_on", "notified_on"),
)
