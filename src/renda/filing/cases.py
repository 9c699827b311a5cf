"""The case types of filing and review, declared once (rules.md §2, FR-1 … FR-11)."""

from django import forms
from django.db.models import Q

from renda.core.models import Body, Role
from renda.core.uploads import validate_upload
from renda.workflow.engine import (
    NOBODY,
    CaseType,
    Creation,
    DeadlineChoice,
    DeadlineRule,
    Guard,
    PublicView,
    State,
    Transition,
    tagged,
)

from . import effects, services
from .forms import FilingForm
from .models import STANDARD_RESULTS, STANDARDS, Filing, ReviewProposal
from .rules import filer_q, process_q


def _own(a, *roles) -> Q:
    """Filings received by a congress in which the actor holds one of `roles` — that
    congress only: an upper level sees a lower level's filings but does not act on them
    (only the 本级 standing committee registers, reviews or annuls, 监督法第三十九条)."""
    if a.is_superuser and Role.ADMIN in roles:
        return Q()
    ids = {x.congress_id for x in a.assignments if x.role in roles}
    return Q(congress__in=ids) if ids else NOBODY


filer = Guard("制定机关", filer_q)
staff = Guard("备案审查工作人员", lambda a: _own(a, Role.STAFF, Role.ADMIN))
# The committee the filing was assigned to reviews it; administrators may act for it.
reviewer = Guard(
    "审查机构",
    lambda a: (Q(committee__in=a.body_ids) & _own(a, Role.STAFF) if a.body_ids else NOBODY) | _own(a, Role.ADMIN),
)
directors = Guard("主任会议成员", lambda a: _own(a, Role.DIRECTOR))
system = Guard("系统", lambda a: NOBODY)  # performed by the platform itself (by=None)

FORMAL = DeadlineRule(
    "formal", "形式审查期限", days=10, citation="收到备案文件之日起十日内完成形式审查，予以登记、退回或者通知补充材料"
)
RESUBMIT = DeadlineRule("resubmit", "补充材料期限", days=10, citation="材料不齐全的，制定机关应当在十日内补充报送")
REVIEW = DeadlineRule("review", "审查期限", months=3, citation="主动审查自登记之日起三个月内完成（可延长三个月）")
EXPLAIN = DeadlineRule("explain", "沟通回复期限", days=30, citation="制定机关应当在三十日内说明情况或者提出处理意见")
CORRECT = DeadlineRule("correct", "纠正期限", days=30, citation="制定机关同意纠正的，应当在三十日内纠正并报告")
OPINION_REPLY = DeadlineChoice(
    "opinion_reply",
    "书面审查意见回复期限",
    field="reply_period",
    options={
        "30": DeadlineRule(
            "opinion_reply",
            "书面审查意见回复期限",
            days=30,
            citation="制定机关应当在收到书面审查意见之日起三十日内研究处理并书面回复",
        ),
        "60": DeadlineRule(
            "opinion_reply",
            "书面审查意见回复期限",
            months=2,
            citation="制定机关应当在收到书面审查意见之日起两个月内研究处理并书面回复",
        ),
    },
)
FEEDBACK = DeadlineRule(
    "feedback",
    "反馈期限",
    working_days=15,
    citation="所涉文件审查结束后，将审查结果反馈建议人（立法法第一百一十三条；本平台按十五个工作日督办）",
)
DECIDE_PROPOSAL = DeadlineRule(
    "decide", "是否审查的决定期限", days=10, citation="决定不予审查的，十日内告知建议人并说明理由"
)

# Tags (groups of states asked by rules, views and metrics through FILING.states_tagged):
#   private       only the filer sees it: a draft
#   with_filer    the issuing body must act: complete the material, explain, correct, answer
#   registered    登记: numbered and reviewed by this congress (under review or reviewed)
#   under_review  after registration until an outcome
#   reviewed      the review's outcome: no problem (or not annulled), corrected, annulled
#   public        may be shown in the public catalogue (if published)
REVIEWING = ("registered", "under_review", "public")
STATES = [
    State("draft", "草稿", tags=("private",)),
    State("submitted", "待登记"),
    State("incomplete", "待补充材料", tags=("with_filer",)),
    State("reviewing", "审查中", tags=REVIEWING),
    State("communicating", "沟通中", tags=(*REVIEWING, "with_filer")),
    State("correcting", "制定机关自行纠正中", tags=(*REVIEWING, "with_filer")),
    State("opinion_sent", "已发书面审查意见", tags=(*REVIEWING, "with_filer")),
    State("correction_reported", "纠正情况待核实", tags=REVIEWING),
    State("annulment_proposed", "已提请撤销", tags=REVIEWING),
    State("closed", "审查完毕（未发现问题）", terminal=True, tags=("registered", "reviewed", "public")),
    State("corrected", "已纠正", terminal=True, tags=("registered", "reviewed", "public")),
    State("annulled", "已撤销", terminal=True, tags=("registered", "reviewed", "public")),
    State("returned", "不予备案（已退回）", terminal=True),
    # a local regulation of this congress, sent up for the upper level to review
    State("forwarded", "已报上级备案", terminal=True, tags=("public",)),
    # a draft thrown away before it was sent: it stays the filer's alone
    State("discarded", "草稿已作废", terminal=True, tags=("private",)),
]
# 催办: every state in which someone still has to act on a filing that was sent
ACTIVE = tagged(STATES, "open", exclude=("private",), what="filing")

# What those outside a filing's review (the public, deputies) are told of its state: the
# outcome, or only that it is under review (the public pages, the API, the case API).
PUBLIC_OUTCOME = {"closed": "审查完毕，未发现问题", "corrected": "发现问题，已纠正", "annulled": "已撤销"}
PUBLIC_STATE = {s: s for s in tagged(STATES, "reviewed", what="filing")}
PUBLIC_STATES = {s: (s,) for s in PUBLIC_STATE} | {"reviewing": tagged(STATES, "under_review", what="filing")}


def public_status(f: Filing) -> str:
    if f.state == "closed" and f.outcome == Filing.Outcome.KEPT:
        return "审查完毕，未予撤销"
    return PUBLIC_OUTCOME.get(f.state, "审查中")


def _committees():
    return Body.objects.filter(
        is_active=True, kind__in=(Body.Kind.SPECIAL_COMMITTEE, Body.Kind.WORKING_COMMITTEE, Body.Kind.OFFICE)
    )


def _checklist_fields():
    fields = {}
    for key, label, help_text in STANDARDS:
        fields[key] = forms.ChoiceField(
            label=label, choices=STANDARD_RESULTS, help_text=help_text, widget=forms.RadioSelect
        )
        fields[f"{key}_note"] = forms.CharField(
            label=f"{label}审查意见", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
        )
    return fields


def _responsible(deadline):
    """The filer for the clocks it must meet; else the committee reviewing it."""
    case = deadline.case
    if deadline.key in ("resubmit", "explain", "correct", "opinion_reply"):
        return effects.filer_users(case)
    return effects.staff_users(case.congress_id, case.committee_id)


def _problem_summary():
    return forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)


def _reply_period():
    return forms.ChoiceField(label="回复期限", initial="30", choices=[("30", "三十日"), ("60", "两个月")])


FILING = CaseType(
    key="filing",
    label="规范性文件备案审查",
    model=Filing,
    initial="draft",
    states=STATES,
    transitions=[
        # a congress's own regulation is recorded and sent on to the upper level, which reviews it
        Transition(
            "submit",
            "报送备案",
            ("draft",),
            filer,
            targets=("submitted", "forwarded"),
            effect=effects.submit,
            decide=lambda c, d: "forwarded" if c.kind == Filing.Kind.REGULATION else "submitted",
            starts=(FORMAL,),
        ),
        Transition(
            "register",
            "登记",
            ("submitted",),
            staff,
            target="reviewing",
            effect=effects.register,
            stops=("formal",),
            starts=(REVIEW,),
            fields={
                "committee": forms.ModelChoiceField(
                    label="审查机构", queryset=_committees(), help_text="负责审查的专门委员会或工作机构"
                ),
                "published": forms.BooleanField(label="在门户网站公开目录", required=False, initial=True),
            },
        ),
        Transition(
            "request_material",
            "通知补充材料",
            ("submitted",),
            staff,
            target="incomplete",
            note_required=True,
            stops=("formal",),
            starts=(RESUBMIT,),
            button_style="secondary",
            deadline_unit=lambda c, d: c.filer_unit,
        ),
        Transition(
            "resubmit",
            "补充报送",
            ("incomplete",),
            filer,
            target="submitted",
            effect=effects.resubmit,
            stops=("resubmit",),
            starts=(FORMAL,),
            attachments=True,
            fields={
                "source_file": forms.FileField(
                    label="修改后的正式文本",
                    required=False,
                    validators=[validate_upload],
                    help_text="正式文本有修改的，上传 .docx、.pdf 或 .txt 文件，作为文件文本的新版本",
                ),
                "drafting_explanation": forms.CharField(
                    label="起草说明", required=False, widget=forms.Textarea(attrs={"rows": 4})
                ),
                "legal_basis": forms.CharField(
                    label="制定依据", required=False, widget=forms.Textarea(attrs={"rows": 3})
                ),
            },
        ),
        Transition(
            "return",
            "退回（不予备案）",
            ("submitted",),
            staff,
            target="returned",
            note_required=True,
            effect=effects.return_,
            button_style="secondary",
        ),
        Transition(
            "record_review",
            "填写审查要点",
            ("reviewing", "communicating"),
            reviewer,
            stay=True,
            effect=effects.record_review,
            fields=_checklist_fields(),
        ),
        Transition(
            "conclude", "审查完毕（未发现问题）", ("reviewing",), reviewer, target="closed", effect=effects.conclude
        ),
        Transition(
            "communicate",
            "与制定机关沟通",
            ("reviewing",),
            reviewer,
            target="communicating",
            note_required=True,
            effect=effects.communicate,
            starts=(EXPLAIN,),
            deadline_unit=lambda c, d: c.filer_unit,
            fields={"problem_summary": _problem_summary()},
        ),
        # the filer explains instead of correcting; the reviewer then concludes, or writes
        # (again), or proposes annulment
        Transition(
            "explain",
            "说明情况",
            ("communicating", "opinion_sent"),
            filer,
            target="reviewing",
            note_required=True,
            stops=("explain", "opinion_reply"),
            resumes=("review",),
            attachments=True,
        ),
        Transition(
            "agree",
            "同意自行纠正",
            ("communicating",),
            filer,
            target="correcting",
            note_required=True,
            stops=("explain",),
            pauses=("review",),
            starts=(CORRECT,),
            deadline_unit=lambda c, d: c.filer_unit,
        ),
        Transition(
            "send_opinion",
            "发出书面审查意见",
            ("reviewing", "communicating", "correcting"),
            reviewer,
            target="opinion_sent",
            effect=effects.send_opinion,
            stops=("explain", "correct"),
            pauses=("review",),
            starts=(OPINION_REPLY,),
            attachments=True,
            deadline_unit=lambda c, d: c.filer_unit,
            fields={
                "problem_summary": _problem_summary(),
                "opinion": forms.CharField(
                    label="书面审查意见", widget=forms.Textarea(attrs={"rows": 8}), min_length=20, max_length=20000
                ),
                "reply_period": _reply_period(),
            },
        ),
        Transition(
            "report_correction",
            "报告纠正情况",
            ("correcting", "opinion_sent", "annulment_proposed"),
            filer,
            target="correction_reported",
            stops=("correct", "opinion_reply"),
            attachments=True,
            effect=effects.report_correction,
            fields={
                "correction": forms.CharField(
                    label="纠正情况",
                    widget=forms.Textarea(attrs={"rows": 6}),
                    min_length=10,
                    max_length=20000,
                    help_text="修改、废止或者停止执行的情况，附修改后的文件或者决定",
                ),
                "corrected_on": forms.DateField(label="纠正日期"),
                "correcting_document": forms.CharField(label="纠正文件文号", required=False, max_length=60),
            },
        ),
        Transition(
            "confirm_correction",
            "确认已纠正",
            ("correction_reported",),
            reviewer,
            target="corrected",
            effect=effects.confirm_correction,
        ),
        Transition(
            "reject_correction",
            "纠正不到位",
            ("correction_reported",),
            reviewer,
            target="opinion_sent",
            note_required=True,
            starts=(OPINION_REPLY,),
            deadline_unit=lambda c, d: c.filer_unit,
            button_style="secondary",
            fields={"reply_period": _reply_period()},
        ),
        Transition(
            "propose_annulment",
            "提请撤销",
            ("opinion_sent", "reviewing"),
            reviewer | directors,
            target="annulment_proposed",
            note_required=True,
            stops=("opinion_reply",),
            pauses=("review",),
            button_style="secondary",
        ),
        Transition(
            "decide_annulment",
            "常委会决定撤销",
            ("annulment_proposed",),
            staff,
            target="annulled",
            effect=effects.decide_annulment,
            attachments=True,
            fields={
                "decision": forms.CharField(
                    label="撤销决定", max_length=200, help_text="如：市人大常委会关于撤销《……》的决定（第X次会议通过）"
                ),
                "decided_on": forms.DateField(label="决定日期"),
            },
        ),
        Transition(
            "keep",
            "常委会决定不予撤销",
            ("annulment_proposed",),
            staff,
            target="closed",
            note_required=True,
            effect=effects.keep,
            button_style="secondary",
        ),
        Transition("discard", "作废草稿", ("draft",), filer, target="discarded", button_style="secondary"),
        Transition(
            "remind",
            "催办",
            ACTIVE,
            staff,
            stay=True,
            note_required=True,
            effect=effects.remind,
            button_style="secondary",
        ),
    ],
    responsible=_responsible,
    supervisors=lambda d: effects.staff_users(d.congress_id),
    url=lambda c: f"/work/filing/{c.pk}/",
    narrow=effects.narrow,
    # a unit's staff file for their unit as the issuing body (制定机关), not as a handling unit
    role_names={Role.UNIT: "制定机关工作人员"},
    after=effects.after_transition,
    form_initial=effects.form_initial,
    form_hints=effects.form_hints,
    year_field="published_on",
    create=Creation(
        label="起草备案报送（不报送）",
        fields={
            "filer": forms.CharField(
                label="制定机关",
                required=False,
                max_length=40,
                help_text="unit:<承办单位id>、congress:<下级人大id> 或 own:<本级人大id>；只有一个可选时可省略",
            ),
            **{name: FilingForm.base_fields[name] for name in services.FIELDS},
            "text": forms.CharField(label="正文", min_length=50, max_length=300000),
        },
        service=lambda user, data: services.file_document(user, data, submit=False),
    ),
    api_fields=("kind", "filer_name", "document_number", "adopted_on", "published_on", "filed_on", "text"),
    public_view=PublicView(
        state=lambda f: (PUBLIC_STATE.get(f.state, "reviewing"), public_status(f)),
        states=PUBLIC_STATES,
        insiders=process_q,
    ),
)


# ---------------------------------------------------------------- review proposals (审查建议)

REVIEW_PROPOSAL = CaseType(
    key="review_proposal",
    label="审查建议",
    model=ReviewProposal,
    initial="new",
    states=[
        State("new", "提交中"),
        State("received", "已收到"),
        State("accepted", "审查中"),
        # answered: the proposer has been told what became of the proposal
        State("answered", "已反馈", terminal=True, tags=("answered",)),
        State("declined", "不予审查（已告知）", terminal=True, tags=("answered",)),
        State("transferred", "已移送", terminal=True, tags=("answered",)),
    ],
    transitions=[
        # performed by the system when the public form is sent (by=None passes no guard)
        Transition("receive", "收到审查建议", ("new",), system, target="received", starts=(DECIDE_PROPOSAL,)),
        Transition(
            "accept",
            "受理审查",
            ("received",),
            staff,
            target="accepted",
            effect=effects.accept_proposal,
            stops=("decide",),
            fields={
                "filing": forms.ModelChoiceField(
                    label="所涉备案文件",
                    queryset=Filing.objects.none(),
                    help_text="建议审查的文件（本级已登记备案的；上报上级备案的地方性法规请移送上级）",
                ),
            },
        ),
        # the document's review ended: the feedback falls due (performed by the system)
        Transition("review_done", "所涉文件审查结束", ("accepted",), system, stay=True, starts=(FEEDBACK,)),
        Transition(
            "decline",
            "不予审查",
            ("received",),
            staff,
            target="declined",
            effect=effects.decline_proposal,
            button_style="secondary",
            fields={
                "feedback": forms.CharField(
                    label="告知建议人的理由",
                    widget=forms.Textarea(attrs={"rows": 5}),
                    min_length=10,
                    max_length=8000,
                    help_text="如：理由不明确；已审查且无新理由；文件已修改或废止；制定机关已同意纠正",
                ),
                "publish_feedback": forms.BooleanField(label="在门户网站公开答复", required=False),
            },
        ),
        Transition(
            "transfer",
            "移送有权机关",
            ("received",),
            staff,
            target="transferred",
            effect=effects.transfer_proposal,
            button_style="secondary",
            fields={
                "transferred_to": forms.CharField(label="移送机关", max_length=120),
                "feedback": forms.CharField(
                    label="告知建议人", widget=forms.Textarea(attrs={"rows": 4}), min_length=10, max_length=8000
                ),
                "publish_feedback": forms.BooleanField(label="在门户网站公开答复", required=False),
            },
        ),
        Transition(
            "answer",
            "反馈审查结果",
            ("accepted",),
            staff,
            target="answered",
            effect=effects.answer_proposal,
            fields={
                "feedback": forms.CharField(
                    label="反馈意见", widget=forms.Textarea(attrs={"rows": 6}), min_length=10, max_length=8000
                ),
                "publish_feedback": forms.BooleanField(label="在门户网站公开反馈", required=False),
            },
        ),
    ],
    responsible=lambda d: effects.staff_users(d.congress_id),
    supervisors=lambda d: effects.staff_users(d.congress_id),
    url=lambda c: f"/work/filing/proposals/{c.pk}/",
    narrow=effects.narrow_proposal,
    after=effects.after_proposal,
    form_initial=effects.proposal_form_initial,
    form_hints=effects.proposal_form_hints,
    year_field="submitted_on",
    api_fields=(
        "proposer",
        "proposer_kind",
        ("contact", "view_contact"),
        ("address", "view_contact"),
        "filing",
        "document_title",
        "document_number",
        "issue",
        "reasons",
        "submitted_on",
        "answered_on",
        "transferred_to",
        "feedback",
        "publish_feedback",
    ),
)
