"""The workbench (工作台): what waits for the user in every registered case type, the
clocks that fall due, unread notifications, and each module's shortcuts."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.utils import timezone

from renda.core.models import Deputy, HandlingUnit, Notification, Role
from renda.core.offline import keep_offline
from renda.core.scoping import visible
from renda.manifest import load, manifests

from . import registry
from .models import Deadline
from .rules import followed_q


def quick_actions(user) -> list[tuple[str, str]]:
    actions = []
    for _, manifest in manifests():
        if manifest.quick_actions:
            actions += load(manifest.quick_actions)(user)
    return actions


DUE_SOON_DAYS = 15
SHOWN = 20  # clocks per case type and panel


def _clock_items(case_type, clocks) -> list[dict]:
    """Each clock with its case (one query for them all) and whose clock it is."""
    clocks = list(clocks)
    cases = case_type.model._default_manager.in_bulk({d.object_id for d in clocks})
    return [
        {
            "type": case_type,
            "clock": d,
            "case": cases[d.object_id],
            "holder": d.handling_unit.name
            if d.handling_unit_id
            else case_type.clock_holder(d.key, cases[d.object_id].state),
        }
        for d in clocks
        if d.object_id in cases
    ]


@login_required
def workbench(request):
    user = request.user
    actor = user.actor
    today = timezone.localdate()
    pending, due_soon, overdue = [], [], []
    for case_type in registry.case_types():
        cases = visible(user, case_type.model)
        # distinct: a guard may join co-signers or assignments (one row each)
        mine = cases.filter(case_type.pending_q(user)).distinct().order_by("-updated_at")
        pending_count = mine.count()
        if pending_count:
            pending.append({"type": case_type, "count": pending_count, "cases": list(mine[:10])})
        # the clocks one must act on or supervises (workflow.rules.followed_q), not every visible one
        clocks = (
            Deadline.objects.running()
            .filter(content_type=ContentType.objects.get_for_model(case_type.model), object_id__in=cases.values("pk"))
            .filter(followed_q(actor, case_type.acting_clocks_q(user, cases)))
            .select_related("handling_unit")
        )
        soon = clocks.filter(due_on__gte=today, due_on__lte=today + timezone.timedelta(days=DUE_SOON_DAYS))[:SHOWN]
        late = clocks.filter(due_on__lt=today)[:SHOWN]
        both = _clock_items(case_type, list(soon) + list(late))
        due_soon += [i for i in both if i["clock"].due_on >= today]
        overdue += [i for i in both if i["clock"].due_on < today]
    due_soon.sort(key=lambda i: i["clock"].due_on)
    overdue.sort(key=lambda i: i["clock"].due_on)
    offline = _deputy_only(actor)
    response = render(
        request,
        "workflow/workbench.html",
        {
            "page_title": "工作台",
            "pending": pending,
            "due_soon": due_soon,
            "overdue": overdue,
            "notes": list(visible(user, Notification).filter(read_at__isnull=True)[:5]),
            "quick": quick_actions(user),
            "case_type_count": len(registry.case_types()),
            "my_deputies": list(
                Deputy.objects.filter(pk__in=actor.deputy_ids).select_related("congress", "term", "delegation")
            ),
            "my_units": list(HandlingUnit.objects.filter(pk__in=actor.unit_ids)),
            "roles": actor.assignments,
            "offline": offline,
        },
    )
    return keep_offline(response) if offline else response


def _deputy_only(actor) -> bool:
    """A deputy and nothing else: the start page is theirs alone (their cases, their notices),
    so it belongs to the deputy's offline app (deputies/views_offline.py, there only with
    deputies installed) and is kept by its worker (core.offline.keep_offline). A keeper's
    workbench (others' cases) is never kept."""
    return apps.is_installed("renda.deputies") and bool(actor.deputy_ids) and actor.roles == {Role.DEPUTY}
