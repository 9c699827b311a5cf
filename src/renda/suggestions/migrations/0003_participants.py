"""Participations of the suggestions sent in before the engine recorded them: for every
suggestion past the draft, the lead deputy as 领衔提出 (dated submitted_on, with the 提交
event) and each confirmed co-signer as 附议 (dated confirmed_on, with their 确认附议
event) — the rows `effects.participants`, declared on 提交 and 确认附议, records today.
Idempotent (a row already there is left as it is); reversing it keeps the rows."""

from django.db import migrations
from django.utils import timezone

AUTHOR, COSIGNER = "author", "cosigner"
BATCH = 500


def _day(at):
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def forward(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    ids = list(Suggestion.objects.exclude(state="draft").order_by("pk").values_list("pk", flat=True))
    if not ids:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    suggestion_type = ContentType.objects.get_or_create(app_label="suggestions", model="suggestion")[0]
    for start in range(0, len(ids), BATCH):
        _backfill(apps, suggestion_type, ids[start : start + BATCH])


def _backfill(apps, suggestion_type, ids):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    CoSigner = apps.get_model("suggestions", "CoSigner")
    Event = apps.get_model("workflow", "Event")
    Participation = apps.get_model("workflow", "Participation")
    RoleAssignment = apps.get_model("core", "RoleAssignment")

    events = list(
        Event.objects.filter(content_type=suggestion_type, object_id__in=ids, transition__in=("submit", "confirm"))
        .order_by("object_id", "sequence")
        .values("pk", "object_id", "transition", "actor_id", "at")
    )
    mandates = {}  # account -> the deputy mandates it acts for (who confirmed)
    for user, deputy in RoleAssignment.objects.filter(
        user__in={e["actor_id"] for e in events if e["actor_id"]}, role="deputy", deputy__isnull=False
    ).values_list("user_id", "deputy_id"):
        mandates.setdefault(user, set()).add(deputy)
    submitted, confirms = {}, {}
    for e in events:
        if e["transition"] == "submit":
            submitted.setdefault(e["object_id"], e["pk"])
        else:
            confirms.setdefault(e["object_id"], []).append(e)
    have = set(
        Participation.objects.filter(
            content_type=suggestion_type, object_id__in=ids, capacity__in=(AUTHOR, COSIGNER)
        ).values_list("object_id", "person_id", "capacity")
    )

    rows = []

    def add(s, person, deputy, capacity, on, event):
        if (s["pk"], person, capacity) in have or on is None:
            return
        have.add((s["pk"], person, capacity))
        rows.append(
            Participation(
                person_id=person,
                deputy_id=deputy,
                capacity=capacity,
                content_type=suggestion_type,
                object_id=s["pk"],
                event_id=event,
                congress_id=s["congress_id"],
                on=on,
                # what workflow.participation.describe keeps: the title, the case type's URL
                label=(s["title"] or s["number"])[:200],
                url=f"/work/suggestions/{s['pk']}/",
            )
        )

    suggestions = {
        s["pk"]: s
        for s in Suggestion.objects.filter(pk__in=ids).values(
            "pk",
            "congress_id",
            "title",
            "number",
            "submitted_on",
            "created_at",
            "lead_deputy_id",
            "lead_deputy__person_id",
        )
    }
    for s in suggestions.values():
        on = s["submitted_on"] or _day(s["created_at"])
        add(s, s["lead_deputy__person_id"], s["lead_deputy_id"], AUTHOR, on, submitted.get(s["pk"]))
    confirmed = {}
    cosigners = CoSigner.objects.filter(suggestion__in=ids, confirmed_on__isnull=False).order_by("suggestion", "pk")
    for c in cosigners.values("suggestion_id", "deputy_id", "deputy__person_id", "confirmed_on"):
        confirmed.setdefault(c["suggestion_id"], []).append(c)
    for pk, names in confirmed.items():
        deputies = {c["deputy_id"] for c in names}
        for c in names:
            event = _confirm_event(confirms.get(pk, []), c, deputies, mandates)
            add(suggestions[pk], c["deputy__person_id"], c["deputy_id"], COSIGNER, c["confirmed_on"], event)
    Participation.objects.bulk_create(rows, batch_size=BATCH)


def _confirm_event(events, cosigner, deputies, mandates):
    """The 确认附议 that brought the co-signer in: the one performed by an account acting
    for their mandate; failing that (the account changed since), the only confirmation of
    that day by an account acting for none of the suggestion's co-signers."""
    for e in events:
        if cosigner["deputy_id"] in mandates.get(e["actor_id"], ()):
            return e["pk"]
    that_day = [
        e["pk"]
        for e in events
        if _day(e["at"]) == cosigner["confirmed_on"] and not deputies & mandates.get(e["actor_id"], set())
    ]
    return that_day[0] if len(that_day) == 1 else None


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_append_only"),
        ("suggestions", "0002_unique_number"),
        ("workflow", "0004_merge"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
