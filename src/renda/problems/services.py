"""The problem ledger's API for every module (supervision, inquiries, budget warnings,
livelihood projects …):

    problem_list_for(source, by, *, title=None, body=None, on=None) -> ProblemList
    open_problem(source, by, *, title, unit, due_on, measures="", body=None, on=None) -> ProblemItem
    problems_of(source, user) -> QuerySet of the items of that source the user sees (one query)

`source` is any case. The list is linked to it (workflow.Link 源于) once; items move only
through the `problem_item` case type (workflow.perform).
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from renda.core import clock
from renda.core.models import Body, HandlingUnit, Role
from renda.core.scoping import actor_of, allowed, visible
from renda.workflow.engine import perform
from renda.workflow.links import link
from renda.workflow.models import Link

from .models import ProblemItem, ProblemList


def may_open(source, by) -> bool:
    """Who puts a case's problems on the ledger: the keepers of its congress who see it."""
    return allowed(by, "add", ProblemItem) and allowed(by, "view", source) and actor_of(by).manages(source.congress_id)


def _check_opener(source, by) -> None:
    if by is not None and not may_open(source, by):
        raise PermissionDenied("只有本级人大机关工作人员可以列入问题清单。")


def _default_body(source, by) -> Body:
    """The body in charge when none is named: the opener's own body in that congress, else
    the source's committee (a filing's reviewer), else the congress's office."""
    if by is not None:
        for a in actor_of(by).assignments:
            if a.role == Role.STAFF and a.congress_id == source.congress_id and a.body_id:
                return a.body
    committee = getattr(source, "committee", None)
    if isinstance(committee, Body) and committee.congress_id == source.congress_id:
        return committee
    office = Body.objects.filter(congress=source.congress_id, kind=Body.Kind.OFFICE, is_active=True).first()
    if office is None:
        raise ValidationError({"body": ["请指定负责督办的机构。"]})
    return office


def _check_body(body: Body, congress_id: int) -> None:
    if body.congress_id != congress_id:
        raise ValidationError({"body": ["负责督办的机构须为本级人大的机构。"]})


def problem_list_for(source, by, *, title=None, body=None, on: date | None = None) -> ProblemList:
    """The problem list of `source` (a case), created and linked (源于) on first use."""
    source_type = ContentType.objects.get_for_model(source)
    found = ProblemList.objects.filter(source_type=source_type, source_id=source.pk).first()
    if found is not None:
        return found
    _check_opener(source, by)
    body = body or _default_body(source, by)
    _check_body(body, source.congress_id)
    name = (title or f"{getattr(source, 'title', '') or source}问题清单").strip()[:200]
    try:
        with transaction.atomic():
            found = ProblemList.objects.create(
                congress_id=source.congress_id,
                title=name,
                body=body,
                source_type=source_type,
                source_id=source.pk,
                created_on=on or timezone.localdate(),
                created_by=by,
            )
            link(found, source, Link.Kind.ARISES_FROM, by)
    except IntegrityError:  # opened at the same time by another request: theirs is the list
        found = ProblemList.objects.get(source_type=source_type, source_id=source.pk)
    return found


@transaction.atomic
def open_problem(
    source,
    by,
    *,
    title: str,
    unit: HandlingUnit,
    due_on: date,
    measures: str = "",
    body: Body | None = None,
    on: date | None = None,
) -> ProblemItem:
    """A problem of `source` put on its list for `unit` to rectify by `due_on`: numbered,
    listed (待整改) and its clock running. `on`: the day it was listed, for records entered
    after the fact (like perform(today=))."""
    _check_opener(source, by)
    day = on or timezone.localdate()
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = ["请填写问题。"]
    if unit.congress_id != source.congress_id or not unit.is_active:
        errors["unit"] = ["责任单位须为本级人大的承办单位。"]
    if due_on < day:
        errors["due_on"] = ["整改期限不能早于列入日期。"]
    if body is not None and body.congress_id != source.congress_id:
        errors["body"] = ["负责督办的机构须为本级人大的机构。"]
    if errors:
        raise ValidationError(errors)
    problem_list = problem_list_for(source, by, body=body, on=day)
    item = ProblemItem(
        congress_id=source.congress_id,
        problem_list=problem_list,
        body=body or problem_list.body,
        unit=unit,
        title=title[:200],
        measures=measures.strip(),
        due_on=due_on,
        listed_on=day,
    )
    with clock.dated(clock.on(day) if day != timezone.localdate() else None):
        item.save()
    perform(item, "list", by, today=day)
    return item


def problems_of(source, user) -> QuerySet:
    """The items of `source` that `user` sees (one query when evaluated)."""
    return visible(user, ProblemItem).filter(
        problem_list__source_type=ContentType.objects.get_for_model(source), problem_list__source_id=source.pk
    )
