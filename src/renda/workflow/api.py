from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from renda.core.scoping import allowed

from . import registry
from .models import Event

router = Router(tags=["流程"])


class StateOut(Schema):
    key: str
    label: str
    terminal: bool
    tags: list[str]  # the groups the state belongs to (CaseType.states_tagged)


class TransitionDefinitionOut(Schema):
    # not "TransitionOut": the OpenAPI components are named after the class, and the case
    # API's TransitionOut (a transition open on one case) would take this one's place
    key: str
    label: str
    sources: list[str]
    targets: list[str]
    who: str
    deadlines: list[str]


class CaseTypeOut(Schema):
    key: str
    label: str
    initial: str
    states: list[StateOut]
    transitions: list[TransitionDefinitionOut]
    mermaid: str


@router.get("/case-types", response=list[CaseTypeOut], summary="已声明的案件类型及其流程（机关工作人员）")
def case_types(request):
    if not allowed(request.user, "view_definitions", Event):
        raise PermissionDenied("只有机关工作人员可以查看流程定义。")
    return [
        CaseTypeOut(
            key=ct.key,
            label=ct.label,
            initial=ct.initial,
            mermaid=ct.mermaid(),
            states=[StateOut(key=s.key, label=s.label, terminal=s.terminal, tags=list(s.tags)) for s in ct.states],
            transitions=[
                TransitionDefinitionOut(
                    key=t.key,
                    label=t.label,
                    sources=list(t.sources),
                    targets=list(t.possible_targets),
                    who=t.who.label,
                    deadlines=[f"{r.label}：{r.text}" for r in t.starts],
                )
                for t in ct.transitions
            ],
        )
        for ct in registry.case_types()
    ]
