"""The suggestion case type, declared once (rules.md §4, 代表法 Art. 51 and local rules)."""

from django import forms
from django.db.models import Q

from renda.core.models import HandlingUnit, Role, User
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
from renda.workflow.guards import directors, staff

from . import effects, services
from .forms import DraftForm
from .models import CATEGORIES, Reply, Suggestion


def _process_q(actor):
    from .rules import process_q  # rules imports this module

    return process_q(actor)


author = Guard("领衔代表", lambda a: Q(lead_deputy__in=a.deputy_ids) if a.deputy_ids else NOBODY)
cosigner = Guard(
    "附议代表",
    lambda a: Q(cosigners__deputy__in=a.deputy_ids, cosigners__confirmed_on__isnull=True) if a.deputy_ids else NOBODY,
)
lead_unit = Guard("主办单位", lambda a: Q(lead_unit__in=a.unit_ids) if a.unit_ids else NOBODY)
assisting_unit = Guard(
    "协办单位",
    lambda a: (
        Q(
            assignments__unit__in=a.unit_ids,
            assignments__role="assisting",
            assignments__active=True,
            assignments__opinion_on__isnull=True,
        )
        if a.unit_ids
        else NOBODY
    ),
)

REPLY = DeadlineChoice(
    "reply",
    "答复期限",
    field="period",
    options={
        "3": DeadlineRule("reply", "答复期限", months=3, citation="代表法第五十一条：自交办之日起三个月内答复"),
        "6": DeadlineRule(
            "reply", "答复期限", months=6, citation="代表法第五十一条：涉及面广、处理难度大的六个月内答复"
        ),
    },
)
SIGN = DeadlineRule("sign", "签收期限", days=10, citation="不属于本单位职责的，应在交办之日起十日内申请退回")
EVALUATE = DeadlineRule("evaluation", "测评期限", working_days=15, citation="代表收到答复后十五个工作日内测评")
REHANDLE = DeadlineRule("reply", "重新办理期限", months=1, citation="代表不满意的，一个月内重新办理并答复")

# Tags (groups of states asked by rules, views and metrics through SUGGESTION.states_tagged):
#   private     only its authors see it: a draft
#   drafting    still with its authors: not yet received by the congress
#   registered  立案: numbered, handled or concluded as a suggestion
#   public      may be shown on the portal (if published)
#   with_unit   a handling unit must act: sign, handle, or await its extension
#   handled     assigned to a unit, from 交办 to 办结: the states a unit's staff come across
STATES = [
    State("draft", "草稿", tags=("private", "drafting")),
    State("cosigning", "待附议", tags=("drafting",)),
    State("submitted", "待立案"),
    State("registered", "待交办", tags=("registered", "public")),
    State("assigned", "待签收", tags=("registered", "public", "with_unit", "handled")),
    State("returned", "退回待重新交办", tags=("registered", "public")),
    State("handling", "办理中", tags=("registered", "public", "with_unit", "handled")),
    State("extension_requested", "延期审批中", tags=("registered", "public", "with_unit", "handled")),
    State("replied", "已答复待测评", tags=("registered", "public", "handled")),
    State("concluded", "已办结", terminal=True, tags=("registered", "public", "handled")),
    State("rejected", "不予立案", terminal=True),
    State("reference", "转为参阅件", terminal=True),
    State("merged", "已并案", terminal=True),
]
ACTIVE = tagged(STATES, "with_unit", what="suggestion")


def _units():
    return HandlingUnit.objects.filter(is_active=True)


SUGGESTION = CaseType(
    key="suggestion",
    label="代表建议",
    model=Suggestion,
    initial="draft",
    states=STATES,
    transitions=[
        Transition(
            "submit",
            "提交",
            ("draft",),
            author,
            targets=("cosigning", "submitted"),
            decide=effects.after_submit,
            effect=effects.submit,
            participants=effects.participants,
        ),
        Transition(
            "confirm",
            "确认附议",
            ("cosigning",),
            cosigner,
            targets=("cosigning", "submitted"),
            decide=effects.after_confirm,
            effect=effects.confirm,
            participants=effects.participants,
        ),
        Transition(
            "register",
            "立案",
            ("submitted",),
            staff,
            target="registered",
            effect=effects.register,
            fields={
                "category": forms.ChoiceField(label="类别", choices=CATEGORIES),
                "published": forms.BooleanField(label="公开", required=False, initial=True),
            },
        ),
        Transition(
            "reject", "不予立案", ("submitted",), staff, target="rejected", note_required=True, button_style="secondary"
        ),
        Transition(
            "to_reference",
            "转为参阅件",
            ("submitted",),
            staff,
            target="reference",
            note_required=True,
            button_style="secondary",
        ),
        Transition(
            "merge",
            "并案",
            ("submitted", "registered"),
            staff,
            target="merged",
            effect=effects.merge,
            note_required=True,
            button_style="secondary",
            fields={
                "into": forms.ModelChoiceField(
                    label="并入建议",
                    queryset=Suggestion.objects.all(),
                    help_text="填写主建议的编号（列表中“并入”的选项）",
                ),
            },
        ),
        Transition(
            "assign",
            "交办",
            ("registered", "returned"),
            staff,
            target="assigned",
            effect=effects.assign,
            starts=(REPLY, SIGN),
            deadline_unit=lambda c, d: d["lead_unit"],
            fields={
                "lead_unit": forms.ModelChoiceField(label="主办单位", queryset=_units()),
                "assisting_units": forms.ModelMultipleChoiceField(label="协办单位", queryset=_units(), required=False),
                "period": forms.ChoiceField(
                    label="办理期限", initial="3", choices=[("3", "三个月"), ("6", "六个月（涉及面广、处理难度大）")]
                ),
            },
        ),
        Transition("sign", "签收", ("assigned",), lead_unit, target="handling", stops=("sign",), effect=effects.sign),
        Transition(
            "return",
            "申请退回",
            ("assigned",),
            lead_unit,
            target="returned",
            stops=("sign", "reply"),
            note_required=True,
            effect=effects.return_,
            button_style="secondary",
        ),
        Transition(
            "request_extension",
            "申请延期",
            ("handling",),
            lead_unit,
            target="extension_requested",
            note_required=True,
            button_style="secondary",
        ),
        Transition(
            "approve_extension",
            "同意延期",
            ("extension_requested",),
            staff,
            target="handling",
            effect=effects.approve_extension,
        ),
        Transition(
            "deny_extension",
            "不同意延期",
            ("extension_requested",),
            staff,
            target="handling",
            note_required=True,
            button_style="secondary",
        ),
        Transition(
            "assist_opinion",
            "提交协办意见",
            ACTIVE,
            assisting_unit,
            stay=True,
            effect=effects.assist_opinion,
            fields={
                "opinion": forms.CharField(label="协办意见", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
            },
        ),
        Transition(
            "reply",
            "答复",
            ("handling",),
            lead_unit,
            target="replied",
            stops=("reply",),
            starts=(EVALUATE,),
            attachments=True,
            effect=effects.reply,
            fields={
                "category": forms.ChoiceField(label="答复类别", choices=Reply.Category.choices),
                "text": forms.CharField(
                    label="答复内容", widget=forms.Textarea(attrs={"rows": 10}), min_length=20, max_length=50000
                ),
                "signed_by": forms.CharField(label="签发人（单位负责人）", max_length=40),
            },
        ),
        Transition(
            "evaluate",
            "满意度测评",
            ("replied",),
            author,
            targets=("concluded", "handling"),
            decide=effects.after_evaluate,
            effect=effects.evaluate,
            stops=("evaluation",),
            starts=(REHANDLE,),
            deadline_unit=lambda c, d: c.lead_unit,
            fields={
                "satisfaction": forms.ChoiceField(
                    label="满意度",
                    widget=forms.RadioSelect,
                    choices=[("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")],
                ),
                "comment": forms.CharField(
                    label="意见", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
                ),
            },
        ),
        Transition(
            "mark_key",
            "列为重点督办",
            ("registered", "assigned", "handling", "extension_requested", "replied"),
            directors,
            stay=True,
            effect=effects.mark_key,
            button_style="secondary",
            fields={
                "responsible_leader": forms.CharField(label="督办领导", max_length=40),
            },
        ),
        Transition(
            "remind",
            "催办",
            ACTIVE,
            staff | directors,
            stay=True,
            effect=effects.remind,
            note_required=True,
            button_style="secondary",
        ),
    ],
    responsible=lambda d: (
        User.objects.filter(roles__role=Role.UNIT, roles__handling_unit=d.handling_unit_id)
        if d.handling_unit_id
        else effects.author_users(d.case)
    ),
    supervisors=lambda d: User.objects.filter(roles__role=Role.STAFF, roles__congress=d.congress_id),
    url=lambda c: f"/work/suggestions/{c.pk}/",
    form_initial=effects.form_initial,
    form_hints=effects.form_hints,
    narrow=effects.narrow,
    year_field="submitted_on",
    # the public and other deputies read a published suggestion's state, text and replies,
    # not its handling (filters by deadline or by internal steps included)
    public_view=PublicView(
        state=lambda s: (s.state, s.state_label),
        states={s.key: (s.key,) for s in STATES if "public" in s.tags},
        insiders=lambda actor: _process_q(actor),
    ),
    create=Creation(fields=dict(DraftForm.base_fields), service=services.draft_from_form, label="起草建议"),
    api_fields=(
        "lead_deputy",
        "category",
        "content",
        "session",
        "submitted_on",
        "registered_on",
        "concluded_on",
        "lead_unit",
        "round",
        "key_supervision",
        "published",
    ),
)
