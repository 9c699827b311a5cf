"""The bill (法规案) case type, declared once (rules.md LEG-1, LEG-2, LEG-5, LEG-8)."""

from django import forms

from renda.ballots.models import Ballot
from renda.core.models import CommitteeMeeting, Role, User
from renda.workflow.engine import CaseType, DeadlineRule, PublicView, State, Transition
from renda.workflow.guards import staff, staff_and_directors

from . import effects
from .models import Bill

APPROVAL = DeadlineRule(
    "approval",
    "自治区人大常委会批准",
    months=4,
    citation="立法法第八十一条：设区的市的地方性法规报省、自治区的人大常委会批准，应当在四个月内予以批准",
)


def _responsible(c):
    return User.objects.filter(roles__role=Role.STAFF, roles__congress=c.congress_id)


def _insiders(actor):
    from .rules import bill_q

    return bill_q(actor)


def _date(label):
    return forms.DateField(label=label)


BILL = CaseType(
    key="bill",
    label="法规案",
    model=Bill,
    initial="drafting",
    states=[
        State("drafting", "起草中"),
        State("submitted", "已提请审议"),
        State("reading", "审议中"),
        State("ready", "审议完毕待表决"),
        State("voting", "表决中"),
        State("passed", "已通过待报批"),
        State("rejected", "未获通过", terminal=True),
        State("approval", "报请批准中"),
        State("approved", "已批准待公布"),
        State("promulgated", "已公布", terminal=True),
        State("withdrawn", "已撤回", terminal=True),
    ],
    transitions=[
        Transition("submit", "提请审议", ("drafting",), staff, target="submitted", effect=effects.submit),
        Transition(
            "read",
            "常委会会议审议",
            ("submitted", "reading"),
            staff,
            targets=("reading", "ready"),
            decide=effects.after_reading,
            attachments=True,
            effect=effects.read,
            fields={
                "sitting": forms.ModelChoiceField(
                    label="审议的常委会会议",
                    queryset=CommitteeMeeting.objects.filter(kind=CommitteeMeeting.Kind.STANDING_COMMITTEE),
                )
            },
        ),
        Transition(
            "open_vote",
            "交付表决",
            ("ready",),
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
            targets=("passed", "rejected"),
            decide=effects.vote_outcome,
            effect=effects.close_vote,
        ),
        Transition(
            "submit_approval", "报请自治区人大常委会批准", ("passed",), staff, target="approval", starts=(APPROVAL,)
        ),
        Transition(
            "approve",
            "登记批准决定",
            ("approval",),
            staff,
            target="approved",
            stops=("approval",),
            effect=effects.approve,
            fields={
                "approving_body": forms.CharField(label="批准机关", max_length=100),
                "approved_on": _date("批准时间"),
            },
        ),
        Transition(
            "promulgate",
            "发布公告",
            ("approved",),
            staff,
            target="promulgated",
            effect=effects.promulgate,
            fields={
                "announcement": forms.CharField(label="公告编号", max_length=60),
                "enacting_body": forms.CharField(label="制定机关", max_length=100),
                "passed_on": _date("通过时间"),
                "approving_body": forms.CharField(label="批准机关", max_length=100),
                "approved_on": _date("批准时间"),
                "effective_on": _date("施行日期"),
            },
        ),
        Transition(
            "withdraw",
            "撤回",
            ("drafting", "submitted", "reading", "ready"),
            staff,
            target="withdrawn",
            note_required=True,
            button_style="secondary",
        ),
    ],
    url=lambda c: f"/work/legislation/{c.pk}/",
    responsible=_responsible,
    supervisors=staff_and_directors,
    narrow=effects.narrow,
    year_field="submitted_on",
    # outsiders see only promulgated regulations, and only that they are 已公布 (rules.BillRule)
    public_view=PublicView(
        state=lambda c: ("promulgated", "已公布"),
        states={"promulgated": ("promulgated",)},
        insiders=lambda actor: _insiders(actor),
    ),
    api_fields=("area", "drafter", "readings_required", "readings_done", "passed_on", "approved_on", "effective_on"),
)
