"""Does the demo year add up? Every case's events follow one another in time and
sequence, none before its case was created nor after today; every notification about a
case carries the time of one of its events (the act that sent it); no notification stays
unread once its reader has acted on the case. `problems()` lists what does not."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from renda.core.models import Notification
from renda.workflow.models import Event
from renda.workflow.registry import case_types


def problems(now=None) -> list[str]:
    now = now or timezone.now()
    found: list[str] = []
    cases, by_url = {}, {}
    for case_type in case_types():
        ct = ContentType.objects.get_for_model(case_type.model)
        for case in case_type.model._default_manager.all():
            cases[ct.pk, case.pk] = case
            if hasattr(case, "get_absolute_url"):
                by_url[case.get_absolute_url()] = (ct.pk, case.pk)
    events = defaultdict(list)
    for e in Event.objects.order_by("content_type", "object_id", "sequence").only(
        "content_type", "object_id", "sequence", "transition_label", "at", "actor", "actor_label"
    ):
        events[e.content_type_id, e.object_id].append(e)

    for key, timeline in events.items():
        case = cases.get(key)
        name = f"{case.number or case.title}" if case else f"{key}"
        if case is not None and timeline[0].at < case.created_at:
            found.append(
                f"{name}：“{timeline[0].transition_label}”({_t(timeline[0].at)})早于案件创建({_t(case.created_at)})"
            )
        for before, after in zip(timeline, timeline[1:], strict=False):
            if after.sequence != before.sequence + 1 or after.at <= before.at:
                found.append(
                    f"{name}：第{after.sequence}步“{after.transition_label}”({_t(after.at)})"
                    f"不晚于第{before.sequence}步“{before.transition_label}”({_t(before.at)})"
                )
        if timeline[-1].at > now:
            found.append(f"{name}：“{timeline[-1].transition_label}”({_t(timeline[-1].at)})晚于今天")

    notices = list(Notification.objects.select_related("user").order_by("id"))
    for n in notices:
        key = by_url.get(n.url)
        if key is None:
            continue
        timeline = events.get(key, [])
        case = cases[key]
        name = f"{case.number or case.title}"
        if not any(e.at == n.created_at for e in timeline):
            found.append(f"通知“{n.text[:30]}”({n.user}，{_t(n.created_at)})不是{name}某一步办理时发出的")
        if n.read_at is None:  # its reader acted on the case since: they have seen it
            acted = [e for e in timeline if e.actor_id == n.user_id and e.at > n.created_at]
            if acted:
                found.append(
                    f"通知“{n.text[:30]}”({n.user})未读，但{acted[0].actor_label}已于{_t(acted[0].at)}"
                    f"办理“{acted[0].transition_label}”"
                )
    return found


def _t(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
