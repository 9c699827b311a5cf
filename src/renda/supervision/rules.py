"""Who sees supervision records (rules.md §3: results are public, SUP-1, SUP-4).

Items (work reports, inspections, investigations, inquiries, 质询案):
- view_process (the timeline, clocks, speeches, documents in preparation): the oversight roles
  of the item's congress (and above) — members read their materials before the sitting —
  and the organ supervised and the department handling it (`organ`, `unit`);
- view: those, the deputies who took part (an inspection team's invited deputies), and
  everyone once the item is published (the report, the opinions, the response, the result);
- add / change (the item's particulars while planned) / export: the staff and administrators;
- read (model): the reading page, for the oversight roles; owe (model): the dues page, for a
  unit's staff (what their organ or department owes).
The plan: the oversight roles; everyone once published. Speeches (meetings.Speech, the one
speech model): the meeting's rule (staff; the speaker; the sitting's people once circulated),
plus the oversight roles for those recorded outside a sitting, and the organ once circulated (通报). Activities and inquiry questions follow their item.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule
from renda.meetings.rules import speech_readers
from renda.workflow.documents import document_kind
from renda.workflow.models import Participation
from renda.workflow.plans import AdoptedPlanRule

from .models import (
    Activity,
    Inquiry,
    InquiryQuestion,
    Interpellation,
    Investigation,
    LawInspection,
    SupervisionPlan,
    WorkReport,
)

ITEM_MODELS = (WorkReport, LawInspection, Investigation, Inquiry, Interpellation)


def process_q(actor) -> Q:
    q = Q(pk__in=[])
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES))
    if actor.unit_ids:
        q |= Q(organ__in=actor.unit_ids) | Q(unit__in=actor.unit_ids)
    return q


def item_q(actor, model) -> Q:
    q = process_q(actor) | Q(published_on__isnull=False)
    if actor.is_authenticated and actor.user.person_id:
        took_part = Participation.objects.filter(
            person_id=actor.user.person_id, content_type=ContentType.objects.get_for_model(model)
        ).values("object_id")
        q |= Q(pk__in=took_part)
    return q


class ItemRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(item_q(actor, qs.model))

    def can(self, actor, action, obj):
        if obj is None:
            if action in ("add", "export"):
                return actor.has(*MANAGE_ROLES)
            if action == "read":  # the reading page: materials before a sitting
                return actor.has(*OVERSIGHT_ROLES)
            if action == "owe":  # the dues page: what an organ or its department owes
                return bool(actor.unit_ids)
            return action == "view"
        model = type(obj)
        if action == "view":
            return model.objects.filter(pk=obj.pk).filter(item_q(actor, model)).exists()
        if action == "view_process":
            return model.objects.filter(pk=obj.pk).filter(process_q(actor)).exists()
        if action == "change":
            return actor.manages(obj.congress_id) and obj.state in ("planned", "submitted")
        return False


for _model in ITEM_MODELS:
    rule(_model)(type(f"{_model.__name__}Rule", (ItemRule,), {}))
    document_kind(_model, "report", "报告", action="view")
    document_kind(_model, "response", "研究处理情况", action="view")
# the organ's draft is for the committee's pre-review: those who follow the item, never the public
document_kind(WorkReport, "draft", "报告初稿")
document_kind(LawInspection, "scheme", "工作方案")
document_kind(Investigation, "scheme", "工作方案")
document_kind(Interpellation, "answer", "书面答复", action="view")


@rule(SupervisionPlan)
class PlanRule(AdoptedPlanRule):
    """The shared rule of adopted plans (workflow/plans.py)."""


def _item_of(obj):
    return obj.content_type.get_object_for_this_type(pk=obj.object_id)


@speech_readers.append
def speech_readers_of_items(actor):
    """Who reads the speeches on supervision items besides the meeting's rule (meetings.rules):
    the oversight roles of the congress those recorded outside a sitting, circulated or not (as
    they read the item's process); the organ and the department once circulated (通报)."""
    q = Q(pk__in=[])
    kinds = ContentType.objects.get_for_models(*ITEM_MODELS)
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(
            sitting__isnull=True,
            congress__in=actor.congresses(*OVERSIGHT_ROLES),
            content_type__in=[ct.pk for ct in kinds.values()],
        )
    if actor.unit_ids:
        ids = Q(pk__in=[])
        for model, ct in kinds.items():
            mine = model.objects.filter(Q(organ__in=actor.unit_ids) | Q(unit__in=actor.unit_ids)).values("pk")
            ids |= Q(content_type=ct, object_id__in=mine)
        q |= ids & Q(circulated_at__isnull=False)
    return q


class ThroughItem(Rule):
    """Follows the item's view_process."""

    def visible(self, actor, qs):
        if qs.model is InquiryQuestion:
            return qs.filter(inquiry__in=Inquiry.objects.filter(item_q(actor, Inquiry)).values("pk"))
        q = Q(pk__in=[])
        for model in ITEM_MODELS:
            ct = ContentType.objects.get_for_model(model)
            q |= Q(content_type=ct, object_id__in=model.objects.filter(process_q(actor)).values("pk"))
        return qs.filter(q)

    def can(self, actor, action, obj):
        if obj is None:
            return action == "add" and actor.has(*MANAGE_ROLES)
        item = obj.inquiry if isinstance(obj, InquiryQuestion) else _item_of(obj)
        if action == "view":
            return ItemRule().can(actor, "view" if isinstance(obj, InquiryQuestion) else "view_process", item)
        return action in ("add", "change") and actor.manages(item.congress_id)


rule(Activity)(type("ActivityRule", (ThroughItem,), {}))
rule(InquiryQuestion)(type("InquiryQuestionRule", (ThroughItem,), {}))
