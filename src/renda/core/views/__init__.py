"""Work pages for the core records, one module per concern (congresses and bodies, units,
members, deputies, accounts; pages holds the shapes they share). Views are thin:
scoping decides what is seen and allowed, forms validate, services write."""

from django.urls import reverse

from ..models import Deputy
from ..scoping import allowed


def quick_actions(user) -> list[tuple[str, str]]:
    actor = user.actor
    actions = []
    if actor.deputy_ids:
        actions.append(("我的代表信息", reverse("core:deputy_detail", args=[next(iter(actor.deputy_ids))])))
    if allowed(user, "add", Deputy):
        actions += [("新增代表", reverse("core:deputy_create")), ("导入代表", reverse("core:deputy_import"))]
    if actor.unit_ids:
        actions.append(("本单位信息", reverse("core:unit_detail", args=[next(iter(actor.unit_ids))])))
    actions.append(("我的通知", reverse("core:notifications")))
    return actions
