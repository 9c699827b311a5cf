"""The deputy's pages offline (issue 15 item 7), server side: an activity sent twice with the
same idempotency key is stored once (per deputy), the queue's JSON answers, the worker's
scope header, the manifest and the CSRF token endpoint. The browser side is
tests/e2e/test_deputies_offline.py."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from django.urls import reverse

from renda.deputies import services
from renda.deputies.models import Activity

FORM = {
    "kind": "contact",
    "on": "2020-07-01",
    "place": "乌拉特中旗新忽热苏木",
    "people_reached": "12",
    "note": "牧区走访",
}
QUEUE = {"HTTP_X_RENDA_QUEUE": "1"}


def record(world, user, deputy, key, place="新忽热苏木"):
    return services.record_activity(
        world.users[user], deputy, kind="visit", on=date(2020, 7, 1), place=place, idempotency_key=key
    )


def test_the_same_key_twice_stores_one_entry(world):
    key = uuid.uuid4()
    first = record(world, "deputy", world.deputy, key)
    again = record(world, "deputy", world.deputy, key, place="重发时改了也不另存")
    assert again.pk == first.pk and again.place == "新忽热苏木"
    assert Activity.objects.filter(deputy=world.deputy).count() == 1


def test_another_deputys_same_key_is_independent(world):
    key = uuid.uuid4()
    mine = record(world, "deputy", world.deputy, key)
    theirs = record(world, "other_deputy", world.other_deputy, key)
    assert mine.pk != theirs.pk
    assert Activity.objects.filter(idempotency_key=key).count() == 2
    # without a key every post is a new entry, as before
    record(world, "deputy", world.deputy, None)
    record(world, "deputy", world.deputy, None)
    assert Activity.objects.filter(deputy=world.deputy).count() == 3


def test_a_repeated_key_never_gives_another_deputys_entry(world):
    from django.core.exceptions import PermissionDenied

    key = uuid.uuid4()
    record(world, "deputy", world.deputy, key)
    with pytest.raises(PermissionDenied):
        record(world, "other_deputy", world.deputy, key)


def test_the_form_posted_twice_with_its_key_stores_once(world, client_for):
    c = client_for("deputy")
    url = reverse("deputies:activity_create")
    page = c.get(url).content.decode()
    assert 'name="idempotency_key"' in page and "data-offline-form" in page and 'rel="manifest"' in page
    form = FORM | {"idempotency_key": str(uuid.uuid4())}
    assert c.post(url, form).status_code == 302
    assert c.post(url, form).status_code == 302
    assert Activity.objects.filter(place=FORM["place"]).count() == 1


def test_the_queue_gets_json_answers(world, client_for):
    c = client_for("deputy")
    url = reverse("deputies:activity_create")
    key = str(uuid.uuid4())
    saved = c.post(url, FORM | {"idempotency_key": key}, **QUEUE)
    assert saved.status_code == 201
    body = saved.json()
    assert Activity.objects.get(pk=body["id"]).idempotency_key == uuid.UUID(key)
    assert c.post(url, FORM | {"idempotency_key": key}, **QUEUE).json()["id"] == body["id"]
    # refused: 400 with the messages by field label, in Chinese; nothing stored
    bad = c.post(url, FORM | {"place": "", "idempotency_key": str(uuid.uuid4())}, **QUEUE)
    assert bad.status_code == 400
    assert bad.json()["errors"]["地点"] == ["请填写活动地点。"]
    garbled = c.post(url, FORM | {"idempotency_key": "not-a-uuid"}, **QUEUE)
    assert garbled.status_code == 400 and "表单标识无效" in json.dumps(garbled.json(), ensure_ascii=False)
    page = c.post(url, FORM | {"idempotency_key": "not-a-uuid"})
    assert page.status_code == 200 and "表单标识无效" in page.content.decode()
    assert FORM["place"] in page.content.decode()  # what was typed is kept
    assert Activity.objects.filter(deputy=world.deputy).count() == 1


def test_worker_manifest_and_token(world, client, client_for):
    worker = client.get(reverse("deputies:sw"))
    assert worker.status_code == 200
    assert worker["Service-Worker-Allowed"] == "/work/"
    assert worker["Content-Type"].startswith("application/javascript")
    code = worker.content.decode()
    assert code.startswith("var CONFIG = ") and "/static/renda/renda.css" in code and '"/work/"' in code
    manifest = client.get(reverse("deputies:webmanifest"))
    data = json.loads(manifest.content)
    assert manifest["Content-Type"] == "application/manifest+json"
    assert (
        data["name"] == "代表履职" and data["start_url"] == "/work/deputies/activities/" and data["scope"] == "/work/"
    )
    assert {i["sizes"] for i in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert icon["src"].startswith("/static/")
    assert client.get(reverse("deputies:token")).status_code == 302  # signed in only
    token = client_for("deputy").get(reverse("deputies:token"))
    assert token.status_code == 200 and len(token.json()["token"]) >= 32 and token.json()["deputy"] is True
    # review: who is signed in, for the queue to send only the entries of that account (a page
    # opened from the cache on a shared phone may be another account's)
    assert token.json()["user"] == world.users["deputy"].pk


def test_two_sends_at_once_store_one_entry(world, monkeypatch):
    """The second of two simultaneous sends misses the first's row when it looks, then hits
    the unique constraint: it returns the row the first one made."""
    key = uuid.uuid4()
    first = record(world, "deputy", world.deputy, key)
    real = services._already_recorded
    calls = []

    def racing(deputy, k):
        calls.append(k)
        return None if len(calls) == 1 else real(deputy, k)

    monkeypatch.setattr(services, "_already_recorded", racing)
    assert record(world, "deputy", world.deputy, key).pk == first.pk
    assert len(calls) == 2 and Activity.objects.filter(deputy=world.deputy).count() == 1
