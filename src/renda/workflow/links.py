"""Links between records: any record → a case, with a kind (决定, 涉及, 源于, 跟踪).

    link(a, b, kind, by)        a: any record, b: a case; once per (a, b, kind)
    set_link(a, b, kind, by)    b (or None) becomes the one case a links to with kind (a form's field)
    links_of(record, user=None) both directions, each with the phrase that names the other end
    find_cases(user, text, congress=None)  the cases of every type whose number or title is text

A link is shown to a user only when the user may see both ends: the other ends are read
through `visible()`, one query per kind of record, never one per link.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q

from renda.core.scoping import allowed, visible

from .models import Case, Link


def link(a: Model, b: Case, kind: str, by, *, note: str = "") -> Link:
    """Link record `a` to case `b` (idempotent). `by` must see both ends and keep the
    records of `a`'s congress (None: the system, e.g. a data migration or an effect)."""
    if not isinstance(b, Case):
        raise ValidationError({"to": ["只能关联到案件（如代表建议、备案审查）。"]})
    if type(a) is type(b) and a.pk == b.pk:
        raise ValidationError({"to": ["不能关联到自身。"]})
    kind = Link.Kind(kind)
    congress_id = getattr(a, "congress_id", None) or b.congress_id
    if by is not None and not (
        allowed(by, "view", a) and allowed(by, "view", b) and allowed(by, "add", Link(congress_id=congress_id))
    ):
        raise PermissionDenied("您不能关联这两项记录。")
    found, _ = Link.objects.get_or_create(
        from_type=ContentType.objects.get_for_model(a),
        from_id=a.pk,
        to_type=ContentType.objects.get_for_model(b),
        to_id=b.pk,
        kind=kind,
        defaults={"congress_id": congress_id, "created_by": by, "note": note[:200]},
    )
    return found


@transaction.atomic
def set_link(a: Model, b: Case | None, kind: str, by) -> Link | None:
    """Make `b` the one case `a` links to with `kind` (None: no case), as a form with one
    such field says: the other links of that kind from `a` are removed — only those whose
    other end `by` sees (a link `by` cannot see stays as it is)."""
    kind = Link.Kind(kind)
    before = [v.link for v in links_of(a, by) if v.outgoing and v.link.kind == kind]
    kept = link(a, b, kind, by) if b is not None else None
    for old in before:
        if kept is not None and old.pk == kept.pk:
            continue
        if by is not None and not allowed(by, "delete", old):
            raise PermissionDenied("您不能取消这项关联。")
        old.delete()
    return kept


def find_cases(user, text: str, congress=None, limit: int = 5) -> list[Case]:
    """The cases (every registered case type) numbered or titled exactly `text` that
    `user` sees, of `congress` when given: one query per case type, whatever their number."""
    from .registry import case_types

    text = (text or "").strip()
    if not text:
        return []
    found = []
    for case_type in case_types():
        qs = visible(user, case_type.model).filter(Q(number=text) | Q(title=text))
        if congress is not None:
            qs = qs.filter(congress=congress)
        found += list(qs.order_by("pk")[:limit])
    return found[:limit]


@dataclass(frozen=True)
class LinkView:
    link: Link
    outgoing: bool  # the record is the link's source
    other: Model

    @property
    def phrase(self) -> str:
        forward, inverse = Link.PHRASES[Link.Kind(self.link.kind)]
        return forward if self.outgoing else inverse

    @property
    def before(self) -> str:
        return self.phrase.split("…")[0]

    @property
    def after(self) -> str:
        return self.phrase.split("…")[1]

    @property
    def title(self) -> str:
        return getattr(self.other, "title", "") or str(self.other)

    @property
    def url(self) -> str:
        return self.other.get_absolute_url() if hasattr(self.other, "get_absolute_url") else ""


def links_of(record: Model, user=None) -> list[LinkView]:
    """Every link from or to `record`, the other end loaded (and, for a user, seen by
    them): 1 query for the links + 1 per kind of record at the other ends."""
    ct = ContentType.objects.get_for_model(record)
    links = list(Link.objects.filter(Q(from_type=ct, from_id=record.pk) | Q(to_type=ct, to_id=record.pk)))
    wanted = defaultdict(set)  # content type id -> ids at the other end
    ends = []
    for ln in links:
        outgoing = ln.from_type_id == ct.pk and ln.from_id == record.pk
        other = (ln.to_type_id, ln.to_id) if outgoing else (ln.from_type_id, ln.from_id)
        wanted[other[0]].add(other[1])
        ends.append((ln, outgoing, other))
    loaded = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:  # a model since removed
            continue
        qs = model._default_manager.all() if user is None else visible(user, model)
        loaded.update({(type_id, obj.pk): obj for obj in qs.filter(pk__in=ids)})
    return [LinkView(ln, outgoing, loaded[other]) for ln, outgoing, other in ends if other in loaded]
