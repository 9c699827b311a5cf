"""The supervision case types, declared once (rules.md §3, 监督法).

Work reports, law-enforcement inspections, investigations and special inquiries share the
deliberation loop of SUP-4: opinions (审议意见) sent to the organ with a response clock whose
length is local practice (`RENDA_SUPERVISION_RESPONSE_MONTHS`), the response (研究处理情况)
received, deliberated where the plan says so, optionally put to a satisfaction vote (SUP-8; a
failing vote sends the organ back to report again), then concluded and published. `loop()`
declares those transitions once for every type that has them.
"""

from django import forms
from django.db.models import Q

from renda.core.models import CommitteeMeeting, CommitteeMember, Deputy
from renda.workflow.engine import NOBODY, CaseType, DeadlineRule, Guard, PublicView, State, Transition
from renda.workflow.guards import directors, staff, staff_and_directors, unit_else_staff
from renda.workflow.plans import plan_case_type

from . import effects, rules
from .models import Inquiry, Interpellation, Investigation, LawInspection, SupervisionPlan, WorkReport

# ---------------------------------------------------------------- who

organ = Guard(
    "被监督机关",
    lambda a: Q(organ__in=a.unit_ids) | Q(unit__in=a.unit_ids) if a.unit_ids else NOBODY,
)

# ---------------------------------------------------------------- clocks (SUP-3, SUP-4)

_SITTING = dict(anchor=lambda c: c.sitting_on, anchor_label="会议举行", before=True, workday=True)
DRAFT = DeadlineRule(
    "draft",
    "报送报告初稿",
    days=20,
    citation="监督法第十四条：常委会会议举行二十日前将报告送交有关专门委员会",
    **_SITTING,
)
FINAL = DeadlineRule(
    "final", "报送正式报告", days=10, citation="监督法第十五条：常委会会议举行十日前送交常委会", **_SITTING
)
READ = DeadlineRule(
    "read", "印发组成人员", days=7, citation="监督法第十五条：常委会办事机构在会议举行七日前发给组成人员", **_SITTING
)
RESPONSE = DeadlineRule(
    "response",
    "报送研究处理情况",
    months_setting="RENDA_SUPERVISION_RESPONSE_MONTHS",
    workday=True,
    citation="监督法第十七条：审议意见交由有关机关研究处理；期限依本级规定（如河南省实施监督法办法第十一条三个月）",
)
REREPORT = DeadlineRule(
    "rereport",
    "重新报告",
    months_setting="RENDA_SUPERVISION_REREPORT_MONTHS",
    anchor=effects.rereport_from,
    anchor_label="测评后",
    workday=True,
    citation="满意度测评不满意的，有关机关应当重新报告（本级议事规则；rules.md SUP-8）",
)


def _sittings():
    return CommitteeMeeting.objects.filter(kind=CommitteeMeeting.Kind.STANDING_COMMITTEE)


def _members():
    return CommitteeMember.objects.all()


def _deputies():
    return Deputy.objects.filter(status=Deputy.Status.SERVING)


def sitting_field(required=True):
    return forms.ModelChoiceField(label="提请审议的常委会会议", queryset=_sittings(), required=required)


# ---------------------------------------------------------------- the deliberation loop (SUP-4, SUP-8)

LOOP_STATES = [
    State("deliberated", "已审议待交办审议意见", tags=("heard",)),
    State("voting", "满意度测评中", tags=("heard",)),
    State("opinions_sent", "待报送研究处理情况", tags=("heard", "with_organ")),
    State("response_received", "研究处理情况已报送", tags=("heard",)),
    State("re_reporting", "测评不满意待重新报告", tags=("heard", "with_organ")),
    State("concluded", "已办结", terminal=True, tags=("heard", "done")),
    State("withdrawn", "已撤销", terminal=True),
]


def loop(heard_from: tuple[str, ...] = ("deliberated",)) -> list[Transition]:
    return [
        Transition(
            "send_opinions",
            "交办审议意见",
            ("deliberated",),
            staff,
            target="opinions_sent",
            starts=(RESPONSE,),
            deadline_unit=lambda c, d: c.unit or c.organ,
            effect=effects.send_opinions,
            fields={
                "opinions": forms.CharField(
                    label="审议意见", widget=forms.Textarea(attrs={"rows": 10}), min_length=10, max_length=50000
                )
            },
        ),
        Transition(
            "respond",
            "报送研究处理情况",
            ("opinions_sent", "re_reporting"),
            organ,
            target="response_received",
            stops=("response", "rereport"),
            attachments=True,
            effect=effects.respond,
            fields={
                "response": forms.CharField(
                    label="研究处理情况", widget=forms.Textarea(attrs={"rows": 10}), min_length=10, max_length=50000
                ),
                "signed_by": forms.CharField(label="签发人（机关负责人）", max_length=40),
            },
        ),
        Transition(
            "open_vote",
            "开始满意度测评",
            ("deliberated", "response_received"),
            staff | directors,
            target="voting",
            effect=effects.open_vote,
            button_style="secondary",
        ),
        Transition(
            "close_vote",
            "结束测评并计票",
            ("voting",),
            staff | directors,
            targets=("deliberated", "concluded", "re_reporting"),
            decide=effects.after_vote,
            effect=effects.close_vote,
            starts=(REREPORT,),
            deadline_unit=lambda c, d: c.unit or c.organ,
            fields={
                "publish": forms.BooleanField(
                    label="测评满意而办结的，在门户网站公开报告、审议意见、研究处理情况和测评结果", required=False
                )
            },
        ),
        Transition(
            "deliberate_response",
            "审议研究处理情况",
            ("response_received",),
            staff,
            stay=True,
            effect=effects.deliberate_response,
            fields={"sitting": sitting_field()},
            button_style="secondary",
        ),
        Transition(
            "conclude",
            "办结",
            ("response_received", *heard_from),
            staff,
            target="concluded",
            effect=effects.conclude,
            fields={"publish": forms.BooleanField(label="在门户网站公开报告、审议意见和研究处理情况", required=False)},
        ),
        Transition(
            "publish",
            "公开",
            ("deliberated", "opinions_sent", "response_received"),
            staff,
            stay=True,
            effect=effects.publish,
            button_style="secondary",
        ),
        Transition(
            "circulate",
            "通报审议发言",
            ("deliberated", "voting", "opinions_sent", "response_received"),
            staff,
            stay=True,
            effect=effects.circulate_speeches,
            button_style="secondary",
        ),
        Transition(
            "remind",
            "催办",
            ("opinions_sent", "re_reporting"),
            staff | directors,
            stay=True,
            note_required=True,
            effect=effects.remind,
            button_style="secondary",
        ),
    ]


def withdraw(sources) -> Transition:
    return Transition(
        "withdraw",
        "撤销（调整计划）",
        sources,
        staff,
        target="withdrawn",
        note_required=True,
        effect=effects.withdraw,
        button_style="secondary",
    )


def _public_view(states):
    # the public (a published item) and the deputies who took part read the item and its state,
    # not its process: no clocks in lists, no filtering by them (the rule's view_process in SQL)
    return PublicView(
        state=lambda c: (c.state, c.state_label),
        states={s.key: (s.key,) for s in states},
        insiders=rules.process_q,
    )


COMMON = dict(
    responsible=unit_else_staff,
    supervisors=staff_and_directors,
    year_field="planned_on",
    narrow=effects.narrow,
    api_fields=("body", "organ", "unit", "sitting", "planned_on", "held_on", "concluded_on", "published_on"),
)

# ---------------------------------------------------------------- 专项工作报告

WORK_REPORT = CaseType(
    key="work_report",
    label="专项工作报告",
    model=WorkReport,
    initial="planned",
    states=[
        State("planned", "已列入计划"),
        State("awaiting_draft", "待报送报告初稿", tags=("with_organ",)),
        State("draft_submitted", "初稿已报送", tags=("with_organ",)),
        State("report_submitted", "正式报告已报送"),
        State("distributed", "已印发待审议", tags=("reading",)),
        *LOOP_STATES,
    ],
    transitions=[
        Transition(
            "schedule",
            "安排审议会议",
            ("planned",),
            staff,
            target="awaiting_draft",
            effect=effects.schedule,
            starts=(DRAFT, FINAL),
            deadline_unit=lambda c, d: c.unit or c.organ,
            fields={"sitting": sitting_field()},
        ),
        Transition(
            "reschedule",
            "调整审议会议",
            ("awaiting_draft", "draft_submitted", "report_submitted", "distributed"),
            staff,
            stay=True,
            note_required=True,
            effect=effects.reschedule,
            fields={"sitting": sitting_field()},
            button_style="secondary",
        ),
        Transition(
            "submit_draft",
            "报送报告初稿",
            ("awaiting_draft",),
            organ,
            target="draft_submitted",
            stops=("draft",),
            attachments=True,
            effect=effects.add_draft_version,
        ),
        Transition(
            "comment_draft",
            "反馈初稿修改意见",
            ("draft_submitted",),
            staff,
            stay=True,
            note_required=True,
            effect=effects.tell_organ,
            button_style="secondary",
        ),
        Transition(
            "submit_report",
            "报送正式报告",
            ("draft_submitted",),
            organ,
            target="report_submitted",
            stops=("final",),
            starts=(READ,),
            attachments=True,
            effect=effects.add_report_version,
        ),
        Transition(
            "distribute",
            "印发组成人员",
            ("report_submitted",),
            staff,
            target="distributed",
            stops=("read",),
            effect=effects.distribute,
        ),
        Transition(
            "deliberate",
            "会议审议",
            ("distributed",),
            staff,
            target="deliberated",
            effect=effects.deliberate,
        ),
        *loop(),
        withdraw(("planned", "awaiting_draft", "draft_submitted", "report_submitted", "distributed")),
    ],
    url=lambda c: f"/work/supervision/reports/{c.pk}/",
    **COMMON,
)

# ---------------------------------------------------------------- 执法检查, 调研视察

TEAM_FIELDS = {
    "team": forms.ModelMultipleChoiceField(label="检查组成员（常委会组成人员）", queryset=_members()),
    "deputies": forms.ModelMultipleChoiceField(label="邀请参加的人大代表", queryset=_deputies(), required=False),
}

LAW_INSPECTION = CaseType(
    key="law_inspection",
    label="执法检查",
    model=LawInspection,
    initial="planned",
    states=[
        State("planned", "已列入计划"),
        State("inspecting", "检查中"),
        State("reported", "检查报告已形成"),
        State("distributed", "已提请会议审议", tags=("reading",)),
        *LOOP_STATES,
    ],
    transitions=[
        Transition(
            "start",
            "组成检查组并开展检查",
            ("planned",),
            staff,
            target="inspecting",
            attachments=True,
            effect=effects.start_fieldwork,
            participants=effects.team,
            fields=TEAM_FIELDS,
        ),
        Transition(
            "report",
            "形成执法检查报告",
            ("inspecting",),
            staff,
            target="reported",
            attachments=True,
            effect=effects.add_report_version,
        ),
        Transition(
            "submit_to_sitting",
            "提请常委会会议审议",
            ("reported",),
            staff,
            target="distributed",
            effect=effects.schedule,
            fields={"sitting": sitting_field()},
        ),
        Transition("deliberate", "会议审议", ("distributed",), staff, target="deliberated", effect=effects.deliberate),
        *loop(),
        withdraw(("planned", "inspecting", "reported", "distributed")),
    ],
    url=lambda c: f"/work/supervision/inspections/{c.pk}/",
    **COMMON,
)

INVESTIGATION = CaseType(
    key="investigation",
    label="调研视察",
    model=Investigation,
    initial="planned",
    states=[
        State("planned", "已列入计划"),
        State("underway", "开展中"),
        State("reported", "报告已形成"),
        *LOOP_STATES,
    ],
    transitions=[
        Transition(
            "start",
            "组成调研组并开展",
            ("planned",),
            staff,
            target="underway",
            attachments=True,
            effect=effects.start_fieldwork,
            participants=effects.team,
            fields=TEAM_FIELDS,
        ),
        Transition(
            "report",
            "形成调研（视察）报告",
            ("underway",),
            staff,
            target="reported",
            attachments=True,
            effect=effects.add_report_version,
        ),
        # a lighter path: the report goes to the organ as opinions, or the item ends with it
        Transition(
            "to_opinions",
            "形成意见送有关机关",
            ("reported",),
            staff,
            target="deliberated",
            effect=effects.deliberate,
        ),
        *loop(heard_from=("deliberated", "reported")),
        withdraw(("planned", "underway")),
    ],
    url=lambda c: f"/work/supervision/investigations/{c.pk}/",
    **COMMON,
)

# ---------------------------------------------------------------- 专题询问

INQUIRY = CaseType(
    key="inquiry",
    label="专题询问",
    model=Inquiry,
    initial="planned",
    states=[
        State("planned", "已列入计划"),
        State("prepared", "已确定询问会议", tags=("reading",)),
        *LOOP_STATES,
    ],
    transitions=[
        Transition(
            "schedule",
            "确定询问会议",
            ("planned",),
            staff,
            target="prepared",
            effect=effects.schedule,
            fields={"sitting": sitting_field()},
        ),
        Transition(
            "hold",
            "开展专题询问",
            ("prepared",),
            staff,
            target="deliberated",
            effect=effects.deliberate,
        ),
        *loop(),
        withdraw(("planned", "prepared")),
    ],
    url=lambda c: f"/work/supervision/inquiries/{c.pk}/",
    **COMMON,
)

# ---------------------------------------------------------------- 质询案 (SUP-9)

INTERPELLATION = CaseType(
    key="interpellation",
    label="质询案",
    model=Interpellation,
    initial="submitted",
    states=[
        State("submitted", "已提出待主任会议决定"),
        State("accepted", "待受质询机关答复", tags=("with_organ",)),
        State("answered", "已答复待提案人表态"),
        State("assessing", "提案人表态中"),
        State("concluded", "已办结", terminal=True, tags=("done",)),
        State("rejected", "主任会议决定不予交付", terminal=True),
    ],
    transitions=[
        Transition(
            "accept",
            "交受质询机关答复",
            ("submitted",),
            directors,
            target="accepted",
            effect=effects.accept_interpellation,
            fields={"answer_mode": forms.ChoiceField(label="答复方式", choices=Interpellation.AnswerMode.choices)},
        ),
        Transition(
            "reject",
            "不予交付",
            ("submitted",),
            directors,
            target="rejected",
            note_required=True,
            button_style="secondary",
        ),
        Transition(
            "answer",
            "答复质询",
            ("accepted",),
            organ,
            target="answered",
            attachments=True,
            effect=effects.answer_interpellation,
            fields={
                "answer": forms.CharField(
                    label="答复内容", widget=forms.Textarea(attrs={"rows": 10}), min_length=10, max_length=50000
                ),
                "signed_by": forms.CharField(label="答复人（机关负责人）", max_length=40),
            },
        ),
        Transition(
            "open_assessment",
            "提案人表态",
            ("answered",),
            staff,
            target="assessing",
            effect=effects.open_assessment,
        ),
        Transition(
            "close_assessment",
            "结束表态",
            ("assessing",),
            staff,
            target="answered",
            effect=effects.close_assessment,
        ),
        Transition(
            "order_second_answer",
            "决定再作答复",
            ("answered",),
            directors,
            target="accepted",
            note_required=True,
            effect=effects.order_second_answer,
        ),
        Transition("conclude", "办结", ("answered",), staff | directors, target="concluded", effect=effects.conclude),
    ],
    url=lambda c: f"/work/supervision/interpellations/{c.pk}/",
    **COMMON,
)

# ---------------------------------------------------------------- 年度监督工作计划 (SUP-1)

PLAN = plan_case_type(  # the shared adopted plan (workflow/plans.py); the directors act themselves too
    key="supervision_plan",
    label="年度监督工作计划",
    model=SupervisionPlan,
    url=lambda c: f"/work/supervision/plans/{c.pk}/",
    adopt_by=directors | staff,
    adjust_by=staff | directors,
)

for _item in (WORK_REPORT, LAW_INSPECTION, INVESTIGATION, INQUIRY, INTERPELLATION):
    _item.public_view = _public_view(_item.states)
