"""Drafting and reading suggestions. State changes go through workflow.perform."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Subquery

from renda.core.models import Deputy
from renda.core.scoping import actor_of
from renda.core.services import audit
from renda.workflow.models import Deadline

from .models import CoSigner, Suggestion


def find_cosigners(lead: Deputy, names: list[str]) -> tuple[list[Deputy], list[str]]:
    """Deputies of the same term named as co-signers; and the names that match none or
    several."""
    found = {}
    for d in Deputy.objects.filter(term=lead.term, status=Deputy.Status.SERVING, person__name__in=names).select_related(
        "person"
    ):
        found.setdefault(d.person.name, []).append(d)
    problems = [n for n in names if len(found.get(n, [])) != 1]
    chosen = [found[n][0] for n in names if len(found.get(n, [])) == 1 and found[n][0].pk != lead.pk]
    return chosen, problems


@transaction.atomic
def save_draft(
    by,
    *,
    lead: Deputy,
    title: str,
    content: str,
    category: str,
    cosigners: list[Deputy],
    draft: Suggestion | None = None,
    idempotency_key=None,
) -> Suggestion:
    """Create or update a draft written by the lead deputy (only they may). A new draft with
    `idempotency_key` (a UUID the drafting form made when it was opened) sent again — the
    deputy's offline queue resending after a lost answer, a double click — returns the draft
    made the first time, unchanged (keys are per lead deputy)."""
    if lead.pk not in actor_of(by).deputy_ids:
        raise PermissionDenied("只有领衔代表本人可以起草和修改建议。")
    if draft is None and idempotency_key:
        existing = Suggestion.objects.filter(lead_deputy=lead, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if draft is None:
        draft = Suggestion(
            congress=lead.congress, term=lead.term, lead_deputy=lead, idempotency_key=idempotency_key or None
        )
    elif draft.state != "draft" or draft.lead_deputy_id != lead.pk:
        raise ValidationError("已提交的建议不能再修改。")
    draft.title, draft.content, draft.category = title.strip(), content.strip(), category
    draft.full_clean(exclude=["state", "congress", "term", "lead_deputy", "idempotency_key"])
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        # the same key sent twice at once: the other request made the draft
        existing = (
            idempotency_key and Suggestion.objects.filter(lead_deputy=lead, idempotency_key=idempotency_key).first()
        )
        if not existing:
            raise
        return existing
    CoSigner.objects.filter(suggestion=draft).exclude(deputy__in=cosigners).delete()
    have = set(CoSigner.objects.filter(suggestion=draft).values_list("deputy_id", flat=True))
    CoSigner.objects.bulk_create([CoSigner(suggestion=draft, deputy=d) for d in cosigners if d.pk not in have])
    audit(by, "draft", draft, {"title": draft.title})
    return draft


def draft_from_form(by, data: dict) -> Suggestion:
    """A new draft from the drafting form's fields (the case API): led by the user's
    serving mandate, co-signers named as on the page."""
    from renda.party.forms import split_names

    lead = (
        Deputy.objects.filter(pk__in=actor_of(by).deputy_ids, status=Deputy.Status.SERVING)
        .select_related("term")
        .first()
    )
    if lead is None:
        raise PermissionDenied("只有在任的人大代表可以提出建议。")
    cosigners, unknown = find_cosigners(lead, split_names(data.get("cosigners") or ""))
    if unknown:
        raise ValidationError({"cosigners": ["以下姓名不是本届在任代表或有重名：" + "、".join(unknown)]})
    return save_draft(
        by, lead=lead, title=data["title"], content=data["content"], category=data["category"], cosigners=cosigners
    )


# below this the model's guess is not worth pre-selecting for the deputy
MIN_PROPOSAL = 0.25


def writing_help(user, lead: Deputy, title: str, content: str, exclude: int | None = None) -> dict:
    """What the deputy sees while writing: the completeness problems, the similar suggestions
    the user may see, and the category proposed from the text (or None)."""
    from . import effects, routing
    from .similar import most_similar

    text = f"{title or ''} {content or ''}".strip()
    proposed = routing.propose_category(lead.congress, text, 1) if len(text) >= 10 else []
    category = proposed[0] if proposed and proposed[0][1] >= MIN_PROPOSAL else None
    return {
        "problems": effects.completeness_problems(title, content),
        "similar": most_similar(user, text, exclude=exclude) if text else [],
        "category": category,
        "category_reason": f"系统建议：{category[0]}（{round(100 * category[1])}%）" if category else "",
    }


def with_reply_due(qs):
    """Annotate each suggestion with the due date of its running reply clock (one subquery)."""
    clock = (
        Deadline.objects.running_for_outer(Suggestion).filter(key="reply").order_by("-started_on").values("due_on")[:1]
    )
    return qs.annotate(reply_due=Subquery(clock))
