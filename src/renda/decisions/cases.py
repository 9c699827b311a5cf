"""The resolution or decision (决议、决定) case type, declared once (issue 13 item 5, rules.md APP-3)."""

from django import forms

from renda.ballots.models import Ballot
from renda.core.models import CommitteeMeeting, Role, User
from renda.workflow.engine import CaseType, PublicView, State, Transition
from renda.workflow.guards import staff, staff_and_directors

from . import effects, rules
from .models import Resolution


def _responsible(c):
    return User.objects.filter(roles__role=Role.STAFF, roles__congress=c.congress_id)


STATES = [
    State("drafting", "起草中"),
    State("scheduled", "已列入议程"),
    State("voting", "表决中"),
    State("adopted", "已通过"),
    State("rejected", "未通过", terminal=True),
    State("published", "已公布", terminal=True),
    State("withdrawn", "已撤回", terminal=True),
]

RESOLUTION = CaseType(
    key="resolution",
    label="决议决定",
    model=Resolution,
    initial="drafting",
    states=STATES,
    transitions=[
        Transition(
            "schedule",
            "列入会议议程",
            ("drafting", "scheduled"),
            staff,
            target="scheduled",
            effect=effects.schedule,
            fields={
                "sitting": forms.ModelChoiceField(
                    label="审议的常委会会议",
                    queryset=CommitteeMeeting.objects.filter(kind=CommitteeMeeting.Kind.STANDING_COMMITTEE),
                )
            },
        ),
        # a new version of the draft (修改稿) until the vote: on the timeline, with the file
        Transition(
            "revise",
            "上传修改稿",
            ("drafting", "scheduled"),
            staff,
            stay=True,
            attachments=True,
            effect=effects.revise,
            button_style="secondary",
        ),
        Transition(
            "open_vote",
            "交付表决",
            ("scheduled",),
            staff,
            target="voting",
            effect=effects.open_vote,
            fields={"kind": forms.ChoiceField(label="表决方式", choices=Ballot.Kind.choices)},
        ),
        Transition(
            "close_vote",
            "结束表决并计票",
            ("voting",),
            staff,
            targets=("adopted", "rejected"),
            decide=effects.vote_outcome,
            effect=effects.close_vote,
        ),
        Transition(
            "publish", "公布", ("adopted",), staff, target="published", attachments=True, effect=effects.publish
        ),
        Transition(
            "withdraw",
            "撤回",
            ("drafting", "scheduled"),
            staff,
            target="withdrawn",
            note_required=True,
            button_style="secondary",
        ),
    ],
    url=lambda c: f"/work/decisions/{c.pk}/",
    responsible=_responsible,
    supervisors=staff_and_directors,
    narrow=effects.narrow,
    year_field="adopted_on",
    # outsiders (the public, deputies, units) find a published one only, and see its state as is
    public_view=PublicView(
        state=lambda c: (c.state, c.state_label),
        states={s.key: (s.key,) for s in STATES},
        insiders=rules.process_q,
    ),
    api_fields=("kind", "subject", "proposer", "sitting", "adopted_on", "published_on"),
)
