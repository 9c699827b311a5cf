from django import forms
from django.db.models import Q

from renda.core.models import HandlingUnit, Role, User
from renda.workflow.engine import NOBODY, CaseType, DeadlineRule, Guard, State, Transition

from .models import Petition

author = Guard("提出代表", lambda a: Q(author__in=a.deputy_ids) if a.deputy_ids else NOBODY)
staff = Guard("机关工作人员", lambda a: Q(congress__in=a.congresses(Role.STAFF, Role.ADMIN)))
unit = Guard("承办单位", lambda a: Q(unit__in=a.unit_ids) if a.unit_ids else NOBODY)

REPLY = DeadlineRule("reply", "答复期限", working_days=15, citation="测试规则")
REHANDLE = DeadlineRule("reply", "重新办理期限", months=1, citation="测试规则")


def _assign(case, data, user):
    case.unit = data["unit"]


def _evaluate(case, data):
    return "concluded" if data["satisfaction"] in ("satisfied", "basic") else "assigned"


PETITION = CaseType(
    key="petition",
    label="测试请求",
    model=Petition,
    initial="draft",
    states=[
        State("draft", "草稿"),
        State("submitted", "待立案"),
        State("assigned", "办理中"),
        State("suspended", "已暂停"),
        State("answered", "已答复"),
        State("concluded", "已办结", terminal=True),
        State("rejected", "不予立案", terminal=True),
    ],
    transitions=[
        Transition("submit", "提交", ("draft",), author, target="submitted"),
        Transition("reject", "不予立案", ("submitted",), staff, target="rejected", note_required=True),
        Transition(
            "assign",
            "交办",
            ("submitted",),
            staff,
            target="assigned",
            fields={"unit": forms.ModelChoiceField(HandlingUnit.objects.all(), label="承办单位")},
            effect=_assign,
            starts=(REPLY,),
            deadline_unit=lambda c, d: d["unit"],
        ),
        Transition("suspend", "暂停", ("assigned",), staff, target="suspended", pauses=("reply",), note_required=True),
        Transition("resume", "恢复", ("suspended",), staff, target="assigned", resumes=("reply",)),
        Transition("answer", "答复", ("assigned",), unit, target="answered", stops=("reply",), attachments=True),
        Transition(
            "evaluate",
            "测评",
            ("answered",),
            author,
            targets=("concluded", "assigned"),
            decide=_evaluate,
            fields={
                "satisfaction": forms.ChoiceField(
                    choices=[("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")], label="满意度"
                )
            },
            starts=(REHANDLE,),
            deadline_unit=lambda c, d: c.unit,
        ),
    ],
    responsible=lambda d: User.objects.filter(roles__handling_unit=d.handling_unit_id, roles__role=Role.UNIT),
    supervisors=lambda d: User.objects.filter(roles__congress=d.congress_id, roles__role=Role.STAFF),
    url=lambda c: f"/petitions/{c.pk}/",
)
