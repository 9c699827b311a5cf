"""The offline queue for every deputy entry form (issue 15 item 7, second part), server side:
a contact and a suggestion draft sent twice with the same idempotency key are stored once, the
queue's JSON answers (201, 201 again for a resend, 400 with Chinese messages), the pages the
worker may keep, the start page and the archive carrying the offline app, and the 码上见代表
page whose GET writes nothing. The browser side is tests/e2e/test_deputies_offline_forms.py."""

from __future__ import annotations

import json
import uuid
from datetime import date

from django.urls import reverse

from renda.core.offline import KEEP_HEADER
from renda.deputies import contacts, stations
from renda.deputies.models import ContactRecord, LiaisonStation, MeetCode
from renda.suggestions import services as suggestions
from renda.suggestions.models import Suggestion

QUEUE = {"HTTP_X_RENDA_QUEUE": "1"}
CONTACT = {"on": "2020-07-01", "place": "乌拉特中旗巴音乌兰嘎查", "way": "visit", "people_reached": "6"}
DRAFT = {
    "title": "关于改善牧区移动通信信号覆盖的建议",
    "content": "牧区嘎查移动通信信号弱，代表和牧民无法及时联系，建议增设基站。",
    "category": "城乡建设",
    "cosigners": "",
}


def test_the_same_contact_key_twice_stores_one_record(world):
    key = uuid.uuid4()
    fields = dict(kind="constituents", deputy=world.deputy, on=date(2020, 7, 1), place="巴音乌兰嘎查", way="visit")
    first = contacts.record_contact(world.users["deputy"], idempotency_key=key, **fields)
    again = contacts.record_contact(world.users["deputy"], idempotency_key=key, **(fields | {"place": "改了"}))
    assert again.pk == first.pk and again.place == "巴音乌兰嘎查"
    assert ContactRecord.objects.filter(deputy=world.deputy).count() == 1
    # another recorder's same key is independent; without a key every post is new
    other = contacts.record_contact(
        world.users["other_deputy"], idempotency_key=key, **(fields | {"deputy": world.other_deputy})
    )
    assert other.pk != first.pk
    contacts.record_contact(world.users["deputy"], **fields)
    assert ContactRecord.objects.filter(deputy=world.deputy).count() == 2


def test_the_contact_form_answers_the_queue(world, client_for):
    c = client_for("deputy")
    url = reverse("deputies:contact_create")
    page = c.get(url)
    body = page.content.decode()
    assert page[KEEP_HEADER] == "keep"
    assert 'name="idempotency_key"' in body and "data-offline-form" in body and 'rel="manifest"' in body
    assert 'data-testid="offline-queue"' in body
    key = str(uuid.uuid4())
    saved = c.post(url, CONTACT | {"idempotency_key": key}, **QUEUE)
    assert saved.status_code == 201
    record = ContactRecord.objects.get(pk=saved.json()["id"])
    assert record.idempotency_key == uuid.UUID(key) and record.recorded_by == world.users["deputy"]
    replay = c.post(url, CONTACT | {"idempotency_key": key}, **QUEUE)
    assert replay.status_code == 201 and replay.json()["id"] == record.pk
    assert ContactRecord.objects.filter(place=CONTACT["place"]).count() == 1
    # refused: 400, the messages by field label, in Chinese; nothing stored
    bad = c.post(url, CONTACT | {"place": "", "idempotency_key": str(uuid.uuid4())}, **QUEUE)
    assert bad.status_code == 400 and bad.json()["errors"]["地点"] == ["请填写联系地点。"]
    garbled = c.post(url, CONTACT | {"idempotency_key": "not-a-uuid"}, **QUEUE)
    assert garbled.status_code == 400 and "表单标识无效" in json.dumps(garbled.json(), ensure_ascii=False)
    # the ordinary post (no queue header): a redirect, the same key stores nothing new
    assert c.post(url, CONTACT | {"idempotency_key": key}).status_code == 302
    assert ContactRecord.objects.filter(deputy=world.deputy).count() == 1


def test_a_keepers_contact_form_is_not_kept(world, client_for):
    page = client_for("staff").get(reverse("deputies:contact_create"))
    assert page.status_code == 200 and KEEP_HEADER not in page and "data-offline-form" not in page.content.decode()
    # nor a member's visit form, nor an edit
    visit = client_for("director").get(reverse("deputies:contact_create") + "?kind=member_visit")
    assert KEEP_HEADER not in visit


def test_the_same_draft_key_twice_stores_one_draft(world):
    key = uuid.uuid4()
    fields = dict(lead=world.deputy, title=DRAFT["title"], content=DRAFT["content"], category="城乡建设", cosigners=[])
    first = suggestions.save_draft(world.users["deputy"], idempotency_key=key, **fields)
    again = suggestions.save_draft(world.users["deputy"], idempotency_key=key, **(fields | {"title": "改了"}))
    assert again.pk == first.pk and again.title == DRAFT["title"]
    assert Suggestion.objects.filter(lead_deputy=world.deputy).count() == 1


def test_the_drafting_form_answers_the_queue(world, client_for):
    c = client_for("deputy")
    url = reverse("suggestions:create")
    page = c.get(url)
    body = page.content.decode()
    assert page[KEEP_HEADER] == "keep"
    assert 'name="idempotency_key"' in body and "data-offline-form" in body and 'rel="manifest"' in body
    key = str(uuid.uuid4())
    # a queued entry is saved as a draft whatever button was pressed (submitting needs the network)
    saved = c.post(url, DRAFT | {"idempotency_key": key, "action": "submit"}, **QUEUE)
    assert saved.status_code == 201
    draft = Suggestion.objects.get(pk=saved.json()["id"])
    assert draft.state == "draft" and draft.idempotency_key == uuid.UUID(key)
    replay = c.post(url, DRAFT | {"idempotency_key": key}, **QUEUE)
    assert replay.status_code == 201 and replay.json()["id"] == draft.pk
    assert Suggestion.objects.filter(lead_deputy=world.deputy).count() == 1
    bad = c.post(url, DRAFT | {"title": "", "idempotency_key": str(uuid.uuid4())}, **QUEUE)
    assert bad.status_code == 400 and bad.json()["errors"]["标题"] == ["这个字段是必填项。"]
    assert Suggestion.objects.filter(lead_deputy=world.deputy).count() == 1
    # editing a draft is online only: no key, not kept
    edit = c.get(reverse("suggestions:edit", args=[draft.pk]))
    assert KEEP_HEADER not in edit and "data-offline-form" not in edit.content.decode()


def test_the_start_page_and_the_archive_carry_the_offline_app(world, client_for):
    start = client_for("deputy").get(reverse("workflow:workbench"))
    body = start.content.decode()
    assert start[KEEP_HEADER] == "keep" and 'rel="manifest"' in body and 'data-testid="offline-queue"' in body
    keeper = client_for("staff").get(reverse("workflow:workbench"))
    assert KEEP_HEADER not in keeper and 'rel="manifest"' not in keeper.content.decode()
    archive = client_for("deputy").get(reverse("deputies:archive", args=[world.deputy.pk]))
    assert archive[KEEP_HEADER] == "keep" and 'data-testid="offline-queue"' in archive.content.decode()


def test_the_worker_knows_the_new_pages(world, client):
    code = client.get(reverse("deputies:sw")).content.decode()
    config = json.loads(code.split("\n", 1)[0].removeprefix("var CONFIG = ").rstrip(";"))
    assert {"/work/", "/work/deputies/contacts/new/", "/work/suggestions/new/"} <= set(config["pages"])
    assert config["prefixes"] == ["/work/deputies/", "/work/suggestions/new/"]


def test_the_signout_form_is_marked_for_the_queue(world, client_for):
    body = client_for("deputy").get(reverse("deputies:contact_create")).content.decode()
    assert "data-signout" in body


def test_the_code_page_get_writes_nothing(world, client_for):
    url = reverse("deputies:deputy_code", args=[world.deputy.pk])
    c = client_for("deputy")
    page = c.get(url)
    assert page.status_code == 200 and 'data-testid="make-code"' in page.content.decode()
    assert not MeetCode.objects.exists()
    assert c.post(url).status_code == 302
    code = MeetCode.objects.get(deputy=world.deputy)
    page = c.get(url).content.decode()
    assert "<svg" in page and code.get_absolute_url() in page
    assert c.post(url).status_code == 302 and MeetCode.objects.count() == 1  # a printed code keeps working
    station = LiaisonStation.objects.create(
        congress=world.city, name="巴音乌兰嘎查代表联络站", township="巴音镇", address="巴音乌兰嘎查"
    )
    staff = client_for("staff")
    assert staff.get(reverse("deputies:station_code", args=[station.pk])).status_code == 200
    assert not MeetCode.objects.filter(station=station).exists()
    staff.post(reverse("deputies:station_code", args=[station.pk]))
    assert stations.existing_code(station) is not None


def test_two_contact_sends_at_once_store_one_record(world, monkeypatch):
    """The second of two simultaneous sends misses the first's row when it looks, then hits
    the unique constraint: it returns the row the first one made."""
    key = uuid.uuid4()
    fields = dict(kind="constituents", deputy=world.deputy, on=date(2020, 7, 1), place="巴音乌兰嘎查", way="visit")
    first = contacts.record_contact(world.users["deputy"], idempotency_key=key, **fields)
    real, calls = contacts._already_recorded, []

    def racing(by, k):
        calls.append(k)
        return None if len(calls) == 1 else real(by, k)

    monkeypatch.setattr(contacts, "_already_recorded", racing)
    assert contacts.record_contact(world.users["deputy"], idempotency_key=key, **fields).pk == first.pk
    assert len(calls) == 2 and ContactRecord.objects.filter(deputy=world.deputy).count() == 1


def test_submitting_a_new_draft_twice_with_one_key(world, client_for):
    """Review: 提交 clicked twice (or the page posted again from the browser's history) sent the
    same key twice; the second found the submitted suggestion and performed "submit" on it again
    (WorkflowError, a 500). Now it is taken as the same submission: to the suggestion's page."""
    c = client_for("deputy")
    url = reverse("suggestions:create")
    key = str(uuid.uuid4())
    full = DRAFT | {"content": DRAFT["content"] * 3}  # long enough to be submitted
    first = c.post(url, full | {"idempotency_key": key, "action": "submit"})
    suggestion = Suggestion.objects.get(lead_deputy=world.deputy)
    assert first.status_code == 302 and suggestion.state != "draft"
    again = c.post(url, full | {"idempotency_key": key, "action": "submit"})
    assert again.status_code == 302 and again.url == reverse("suggestions:detail", args=[suggestion.pk])
    assert Suggestion.objects.filter(lead_deputy=world.deputy).count() == 1
    # saved as a draft first, then 提交 from the same (history) page: the draft is submitted
    key = str(uuid.uuid4())
    c.post(url, full | {"title": "关于牧区道路养护的建议", "idempotency_key": key, "action": "save"})
    draft = Suggestion.objects.get(lead_deputy=world.deputy, state="draft")
    r = c.post(url, full | {"title": "关于牧区道路养护的建议", "idempotency_key": key, "action": "submit"})
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.state != "draft"
