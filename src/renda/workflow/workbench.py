"""The workbench (工作台): what waits for the user in every registered case type, the
clocks that fall due, unread notifications, and each module's shortcuts."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.utils import timezone

from renda.core.models import Deputy, HandlingUnit, Notification
from renda.core.scoping import allowed, visible
from renda.manifest import load, manifests

from . import registry
from .models import Deadline


def quick_actions(user) -> list[tuple[str, str]]:
    actions = []
    for _, manifest in manifests():
        if manifest.quick_actions:
            actions += load(manifest.quick_actions)(user)
    return actions


@login_required
def workbench(request):
    user = request.user
    actor = user.actor
    today = timezone.localdate()
    pending, due_soon, overdue = [], [], []
    follow_all = allowed(user, "follow_all", Deadline)
    for case_type in registry.case_types():
        cases = visible(user, case_type.model)
        # distinct: a guard may join co-signers or assignments (one row each)
        mine = cases.filter(case_type.pending_q(user)).distinct().order_by("-updated_at")
        pending_count = mine.count()
        if pending_count:
            pending.append({"type": case_type, "count": pending_count, "cases": list(mine[:10])})
        content_type = ContentType.objects.get_for_model(case_type.model)
        clocks = Deadline.objects.running().filter(content_type=content_type, object_id__in=cases.values("pk"))
        if not follow_all:
            clocks = clocks.filter(handling_unit__in=actor.unit_ids)
        due_soon += [
            (case_type, d)
            for d in clocks.filter(due_on__gte=today, due_on__lte=today + timezone.timedelta(days=15))[:20]
        ]
        overdue += [(case_type, d) for d in clocks.filter(due_on__lt=today)[:20]]
    return render(
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
        },
    )
