"""三级联网, in process: signatures (forged and altered messages refused), the inbox
(exactly once, in order, conflicts), the outbox (gap-free numbering, delivery in order
stopping at the first failure, backoff, resending what a peer lost), the filing
snapshot and its handler, the commands' Chinese errors, and scoping.

The two-server test over real HTTP is test_federation_loopback.py."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.test import Client, override_settings
from django.utils import timezone

from renda.core import services as core_services
from renda.core.models import Congress, HandlingUnit, Role
from renda.core.scoping import allowed, visible
from renda.federation import handlers, inbox, signing
from renda.federation.models import InboundMessage, OutboundMessage, Peer
from renda.federation.outbox import BACKOFF_CAP, backoff, deliver, enqueue
from renda.filing.models import Filing, LowerFiling
from renda.workflow.engine import perform

URL = "/api/federation/messages"
CITY = "150800000000"  # the instance under test (world.city, the root of the test world)
COUNTY = "150802000000"  # 临河区: a lower instance that reports to the city
REGION = "150000000000"  # 内蒙古: the upper instance of the city


def filing_body(remote_id=7, **overrides):
    body = {
        "remote_id": remote_id,
        "number": "",
        "kind": "rule",
        "title": "临河区城市供热管理办法",
        "document_number": "临政发〔2024〕3号",
        "filer": "临河区人民政府",
        "published_on": "2024-03-01",
        "filed_on": "2024-03-20",
        "state": "filed",
        "state_label": "待登记",
        "outcome": "",
        "text": "第一条 ……",
    }
    body.update(overrides)
    return body


def signed(
    key, sequence, body=None, *, sender=COUNTY, recipient=CITY, message_id=None, kind="filing.upsert", sent_at=None
) -> dict:
    envelope = {
        "version": 1,
        "sender": sender,
        "recipient": recipient,
        "sequence": sequence,
        "message_id": message_id or str(uuid.uuid4()),
        "kind": kind,
        "sent_at": sent_at or timezone.now().isoformat(),
        "body": filing_body() if body is None else body,
    }
    return dict(envelope, signature=signing.sign(envelope, key))


def ack(response) -> tuple[str, int]:
    reply = response.json()
    return reply["status"], reply["acked"]


def post(client, payload):
    raw = payload if isinstance(payload, (bytes, str)) else json.dumps(payload, ensure_ascii=False)
    return client.post(URL, raw, content_type="application/json")


@pytest.fixture
def county_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def instance(world, settings, tmp_path, county_key):
    """This database as the city's instance, with 临河区 registered as a lower peer."""
    settings.RENDA_ROOT_CONGRESS = CITY
    settings.RENDA_FEDERATION_KEY_FILE = str(tmp_path / "federation.key")
    peer = Peer.objects.create(
        code=COUNTY,
        name="临河区人大常委会",
        direction=Peer.Direction.DOWN,
        public_key=signing.public_key_b64(county_key),
    )
    return SimpleNamespace(world=world, peer=peer, client=Client(enforce_csrf_checks=True))


# ---------------------------------------------------------------- signatures


def test_canonical_bytes_are_sorted_compact_utf8():
    assert (
        signing.canonical({"b": 1, "a": "巴彦淖尔", "c": {"z": [1, 2], "y": None}})
        == '{"a":"巴彦淖尔","b":1,"c":{"y":null,"z":[1,2]}}'.encode()
    )


def test_signature_verifies_and_any_change_breaks_it(county_key):
    message = signed(county_key, 1)
    signature = message.pop("signature")
    public = county_key.public_key()
    assert signing.verify(message, signature, public)
    for field, value in [
        ("sequence", 2),
        ("recipient", REGION),
        ("kind", "filing.delete"),
        ("body", filing_body(title="临河区城市供热管理办法（修订）")),
        ("sent_at", "2020-01-01T00:00:00+00:00"),
    ]:
        assert not signing.verify(dict(message, **{field: value}), signature, public), field
    assert not signing.verify(message, signature, Ed25519PrivateKey.generate().public_key())
    assert not signing.verify(message, "不是签名", public)


def test_public_key_format_is_checked():
    with pytest.raises(ValueError, match="公钥格式不正确"):
        signing.parse_public_key("abc")
    with pytest.raises(ValueError, match="公钥格式不正确"):
        signing.parse_public_key("QUJD")  # valid base64, 3 bytes


# ---------------------------------------------------------------- the inbox


def test_a_signed_message_is_applied_once(instance, county_key):
    message = signed(county_key, 1)
    response = post(instance.client, message)  # no session, no CSRF token: the signature authenticates
    assert response.status_code == 200, response.content
    assert ack(response) == ("applied", 1)
    lower = LowerFiling.objects.get()
    assert (lower.sender, lower.sender_name, lower.remote_id, lower.congress) == (
        COUNTY,
        "临河区人大常委会",
        7,
        instance.world.city,
    )
    assert (lower.title, lower.state_label, lower.published_on) == (
        "临河区城市供热管理办法",
        "待登记",
        date(2024, 3, 1),
    )

    again = post(instance.client, message)
    assert again.status_code == 200 and ack(again) == ("duplicate", 1)
    assert LowerFiling.objects.count() == 1 and InboundMessage.objects.count() == 1

    update = post(
        instance.client,
        signed(county_key, 2, filing_body(state="registered", state_label="已登记", number="临备〔2024〕1号")),
    )
    assert ack(update) == ("applied", 2)
    lower.refresh_from_db()
    assert (lower.state, lower.state_label, lower.number) == ("registered", "已登记", "临备〔2024〕1号")
    assert LowerFiling.objects.count() == 1
    inbox = list(InboundMessage.objects.values_list("sequence", "applied", "kind"))
    assert inbox == [(1, True, "filing.upsert"), (2, True, "filing.upsert")]


def test_acknowledgements_are_signed_by_the_receiver(instance, county_key):
    message = signed(county_key, 1)
    assert "X-Renda-Signature" not in post(instance.client, message).headers  # no key yet: unsigned
    key = signing.generate_key()
    response = post(instance.client, message)
    reply = response.json()
    assert reply == {"status": "duplicate", "acked": 1, "message_id": message["message_id"]}
    assert signing.verify(reply, response.headers["X-Renda-Signature"], key.public_key())
    assert "X-Renda-Signature" not in post(instance.client, signed(county_key, 5)).headers  # refusals: unsigned


@pytest.mark.parametrize(
    "case",
    [
        "altered body",
        "altered sequence",
        "altered recipient",
        "wrong key",
        "garbage signature",
        "unknown sender",
        "inactive sender",
        "no key registered",
    ],
)
def test_forged_or_altered_messages_are_refused(instance, county_key, case):
    message = signed(county_key, 1)
    if case == "altered body":
        message["body"]["title"] = "临河区城市供热管理办法（已篡改）"
    elif case == "altered sequence":
        message = signed(county_key, 2)
        message["sequence"] = 1
    elif case == "altered recipient":
        message["recipient"] = REGION
    elif case == "wrong key":
        message = signed(Ed25519PrivateKey.generate(), 1)
    elif case == "garbage signature":
        message["signature"] = "AAAA"
    elif case == "unknown sender":
        message = signed(county_key, 1, sender="150821000000")
    elif case == "inactive sender":
        Peer.objects.filter(pk=instance.peer.pk).update(is_active=False)
    elif case == "no key registered":
        Peer.objects.filter(pk=instance.peer.pk).update(public_key="")
    response = post(instance.client, message)
    assert response.status_code == 403, response.content
    # one answer for every refusal: a caller cannot probe which codes are registered peers
    assert response.json()["detail"] == inbox.REFUSED
    assert not InboundMessage.objects.exists() and not LowerFiling.objects.exists()


def test_an_upper_peer_cannot_send_down_unless_registered_as_sender(instance, county_key):
    Peer.objects.create(
        code=REGION,
        name="内蒙古自治区人大常委会",
        direction=Peer.Direction.UP,
        base_url="http://region.invalid",
        public_key=signing.public_key_b64(county_key),
    )
    response = post(instance.client, signed(county_key, 1, sender=REGION))
    assert response.status_code == 403


def test_message_for_another_instance_is_refused(instance, county_key):
    response = post(instance.client, signed(county_key, 1, recipient="150821000000"))
    assert response.status_code == 400
    assert "接收方" in response.json()["detail"]
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (b"{not json", "JSON"),
        ("[1, 2]", "JSON 对象"),
        (b"\xff\xfe", "JSON"),
        ("{}", "缺少字段"),
        ('"x"', "JSON 对象"),
    ],
)
def test_malformed_requests_get_a_chinese_400(instance, raw, fragment):
    response = post(instance.client, raw)
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


def test_malformed_fields_get_a_chinese_400(instance, county_key):
    for field, value in [
        ("sequence", "1"),
        ("sequence", 0),
        ("sequence", True),
        ("message_id", "abc"),
        ("body", []),
        ("sender", "15"),
        ("version", 2),
        ("sent_at", 5),
    ]:
        message = signed(county_key, 1)
        message[field] = value
        response = post(instance.client, message)
        assert response.status_code == 400, (field, value)
        assert response.json()["detail"], (field, value)
    extra = dict(signed(county_key, 1), extra=1)
    assert post(instance.client, extra).status_code == 400
    weird = signed(county_key, 1)
    weird["body"] = {"title": "\ud800"}  # a lone surrogate cannot be signed bytes: refused, not a 500
    assert post(instance.client, json.dumps(weird)).status_code == 403


def test_a_far_future_sent_at_is_refused(instance, county_key):
    future = (timezone.now() + timedelta(days=3)).isoformat()
    response = post(instance.client, signed(county_key, 1, sent_at=future))
    assert response.status_code == 400 and "sent_at" in response.json()["detail"]


def test_a_gap_is_refused_with_the_expected_sequence(instance, county_key):
    second = signed(county_key, 2, filing_body(state="registered", state_label="已登记"))
    response = post(instance.client, second)
    assert response.status_code == 409
    assert response.json()["expected"] == 1 and "第 1 号" in response.json()["detail"]
    assert not LowerFiling.objects.exists()
    assert post(instance.client, signed(county_key, 1)).json()["acked"] == 1
    assert ack(post(instance.client, second)) == ("applied", 2)
    assert LowerFiling.objects.get().state == "registered"


def test_a_reused_sequence_with_another_message_is_a_conflict(instance, county_key):
    assert post(instance.client, signed(county_key, 1)).status_code == 200
    response = post(instance.client, signed(county_key, 1, filing_body(title="另一份文件")))
    assert response.status_code == 409
    assert response.json()["expected"] == 2 and "冲突" in response.json()["detail"]
    assert LowerFiling.objects.get().title == "临河区城市供热管理办法"


def test_a_message_the_handler_refuses_is_not_recorded(instance, county_key):
    bad = signed(county_key, 1, filing_body(title=""))
    response = post(instance.client, bad)
    assert response.status_code == 422 and "校验" in response.json()["detail"]
    missing = signed(county_key, 1, {"remote_id": 3})
    assert post(instance.client, missing).status_code == 422
    assert not InboundMessage.objects.exists()
    assert post(instance.client, signed(county_key, 1)).status_code == 200  # the corrected one goes in


def test_an_unknown_kind_is_stored_without_blocking_the_stream(instance, county_key):
    response = post(instance.client, signed(county_key, 1, {"x": 1}, kind="proposal.upsert"))
    assert ack(response) == ("stored", 1)
    assert ack(post(instance.client, signed(county_key, 2))) == ("applied", 2)
    assert list(InboundMessage.objects.values_list("sequence", "applied")) == [(1, False), (2, True)]


def test_the_inbox_is_append_only(instance, county_key):
    post(instance.client, signed(county_key, 1))
    message = InboundMessage.objects.get()
    with pytest.raises(PermissionError):
        message.save()
    with pytest.raises(PermissionError):
        message.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        InboundMessage.objects.filter(pk=message.pk).update(applied=False)


def test_handlers_registry():
    from renda.filing.federation import apply_upsert

    assert handlers.get("filing.upsert") is apply_upsert
    handlers.register("filing.upsert", apply_upsert)  # the same function again: fine
    with pytest.raises(ValueError):
        handlers.register("filing.upsert", lambda *a: None)


# ---------------------------------------------------------------- the outbox


class Upper:
    """A fake upper instance for the sender: answers as the inbox would, or fails."""

    def __init__(self, down_from: int | None = None, last: int = 0):
        self.calls, self.last, self.down_from, self.seen = [], last, down_from, set()

    def __call__(self, url, data, headers, timeout):
        payload = json.loads(data)
        seq = payload["sequence"]
        self.calls.append(seq)
        assert url.startswith("http://region.invalid") and url.endswith("/api/federation/messages")
        assert timeout == 5
        assert headers["Content-Type"].startswith("application/json")
        if self.down_from is not None and len(self.calls) >= self.down_from:
            import requests

            raise requests.ConnectionError("connection refused")
        if payload["message_id"] in self.seen:
            return Reply(200, {"status": "duplicate", "acked": seq})
        if seq != self.last + 1:
            return Reply(409, {"detail": "消息不连续", "expected": self.last + 1})
        self.last = seq
        self.seen.add(payload["message_id"])
        return Reply(200, {"status": "applied", "acked": seq})


class Reply:
    def __init__(self, status, body, headers=None):
        self.status_code, self.body, self.headers = status, body, headers or {}
        self.text = json.dumps(body, ensure_ascii=False)

    def json(self):
        return self.body


@pytest.fixture
def sender(world, settings, tmp_path):
    """This database as the city's instance, reporting to the region."""
    settings.RENDA_ROOT_CONGRESS = CITY
    settings.RENDA_FEDERATION_KEY_FILE = str(tmp_path / "federation.key")
    signing.generate_key()
    return Peer.objects.create(
        code=REGION, name="内蒙古自治区人大常委会", direction=Peer.Direction.UP, base_url="http://region.invalid"
    )


def queue(peer, n):
    return [enqueue(peer, "filing.upsert", f"filing:{i}", filing_body(remote_id=i)) for i in range(1, n + 1)]


def test_enqueue_numbers_per_peer_without_gaps(sender):
    other = Peer.objects.create(
        code="150000000001", name="另一上级", direction=Peer.Direction.UP, base_url="http://other.invalid"
    )
    queue(sender, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(sender, "filing.upsert", "filing:9", filing_body(remote_id=9))
        raise RuntimeError("the change failed: its message goes with it")
    enqueue(REGION, "filing.upsert", "filing:3", filing_body(remote_id=3))
    enqueue(other, "filing.upsert", "filing:3", filing_body(remote_id=3))
    assert list(sender.outbox.values_list("sequence", flat=True)) == [1, 2, 3]
    assert list(other.outbox.values_list("sequence", flat=True)) == [1]
    assert len(set(OutboundMessage.objects.values_list("message_id", flat=True))) == 4


def test_enqueue_refuses_unknown_peers_and_non_json(sender):
    from renda.federation.outbox import FederationError

    with pytest.raises(FederationError, match="上级节点"):
        enqueue("150000000009", "filing.upsert", "filing:1", {})
    with pytest.raises(FederationError, match="JSON"):
        enqueue(sender, "filing.upsert", "filing:1", {"day": date(2024, 1, 1)})


def test_delivery_is_in_order_and_stops_at_the_first_failure(sender):
    queue(sender, 3)
    upper = Upper(down_from=2)
    result = deliver(sender, transport=upper)
    assert upper.calls == [1, 2]
    assert result.acked == 1 and "第 2 号" in result.error and "无法连接" in result.error
    rows = {m.sequence: m for m in sender.outbox.all()}
    assert rows[1].status == "acked" and rows[1].acked_at is not None
    assert rows[2].status == "pending" and rows[2].attempts == 1 and "ConnectionError" in rows[2].last_error
    assert rows[2].next_attempt_at > timezone.now()
    assert rows[3].status == "pending" and rows[3].attempts == 0  # never sent before #2

    # still in backoff: nothing is sent
    upper.down_from = None
    result = deliver(sender, transport=upper)
    assert upper.calls == [1, 2] and result.acked == 0 and result.waiting_until == rows[2].next_attempt_at
    # once the backoff has passed (or forced), the rest goes, in order
    result = deliver(sender, transport=upper, force=True)
    assert upper.calls == [1, 2, 2, 3] and result.acked == 2 and not result.error
    assert set(sender.outbox.values_list("status", flat=True)) == {"acked"}
    # nothing left: nothing sent
    assert deliver(sender, transport=upper).acked == 0 and upper.calls == [1, 2, 2, 3]


def test_backoff_doubles_from_ten_seconds_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in range(1, 11)] == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]
    assert backoff(50).total_seconds() == BACKOFF_CAP == 3600


def test_consecutive_failures_back_off_longer(sender):
    queue(sender, 1)
    upper = Upper(down_from=1)
    waits = []
    for _ in range(4):
        before = timezone.now()
        deliver(sender, transport=upper, force=True)
        message = sender.outbox.get()
        waits.append(round((message.next_attempt_at - before).total_seconds()))
    assert waits == [10, 20, 40, 80] and message.attempts == 4


def test_http_errors_are_retried_and_reported(sender):
    queue(sender, 1)
    result = deliver(sender, transport=lambda *a, **k: Reply(403, {"detail": "签名验证失败"}))
    assert "HTTP 403：签名验证失败" in result.error
    assert sender.outbox.get().last_error == "HTTP 403：签名验证失败"
    # a 200 that does not acknowledge this message is not an acknowledgement
    result = deliver(sender, transport=lambda *a, **k: Reply(200, {"status": "applied", "acked": 5}), force=True)
    assert result.error and sender.outbox.get().status == "pending"
    result = deliver(sender, transport=lambda *a, **k: Reply(502, "<html>bad gateway</html>"), force=True)
    assert "HTTP 502" in result.error


def test_only_a_signed_acknowledgement_counts_once_the_upper_key_is_known(sender):
    upper_key = Ed25519PrivateKey.generate()
    Peer.objects.filter(pk=sender.pk).update(public_key=signing.public_key_b64(upper_key))
    sender.refresh_from_db()
    [message] = queue(sender, 1)

    def reply(key=upper_key, message_id=str(message.message_id), header=True):
        body = {"status": "applied", "acked": 1, "message_id": message_id}
        headers = {"X-Renda-Signature": signing.sign(body, key)} if header else {}
        return lambda *a, **k: Reply(200, body, headers)

    for forged in (reply(header=False), reply(key=Ed25519PrivateKey.generate()), reply(message_id=str(uuid.uuid4()))):
        result = deliver(sender, transport=forged, force=True)
        assert "签名无效" in result.error and sender.outbox.get().status == "pending"
    assert deliver(sender, transport=reply(), force=True).acked == 1
    assert sender.outbox.get().status == "acked"


def test_a_peer_that_lost_messages_gets_them_again(sender):
    queue(sender, 3)
    upper = Upper()
    deliver(sender, transport=upper)
    assert upper.calls == [1, 2, 3]
    queue(sender, 4)  # #4 … the upper was restored from a backup taken after #1
    upper.last, upper.seen = 1, set()
    result = deliver(sender, transport=upper)
    assert upper.calls == [1, 2, 3, 4, 2, 3, 4, 5, 6, 7]
    assert result.resent_from == 2 and not result.error
    assert set(sender.outbox.values_list("status", flat=True)) == {"acked"}


def test_a_conflict_is_not_resolved_by_skipping(sender):
    queue(sender, 1)
    result = deliver(sender, transport=lambda *a, **k: Reply(409, {"detail": "序号冲突", "expected": 4}))
    assert "序号冲突" in result.error and sender.outbox.get().status == "pending"


def test_delivery_without_key_or_while_busy(sender, settings, tmp_path):
    queue(sender, 1)
    Peer.objects.filter(pk=sender.pk).update(delivering_until=timezone.now() + timedelta(seconds=30))
    assert deliver(sender, transport=Upper()).busy
    Peer.objects.filter(pk=sender.pk).update(delivering_until=timezone.now() - timedelta(seconds=1))
    settings.RENDA_FEDERATION_KEY_FILE = str(tmp_path / "none.key")
    result = deliver(sender, transport=Upper())
    assert "keygen" in result.error and sender.outbox.get().attempts == 0


def test_enqueue_schedules_an_immediate_delivery_after_commit(sender, django_capture_on_commit_callbacks):
    with mock.patch("requests.post", side_effect=Upper()) as fake:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                queue(sender, 1)
                assert fake.call_count == 0  # not before the commit
        assert fake.call_count == 1
    assert sender.outbox.get().status == "acked"


# ---------------------------------------------------------------- round trip in process


TEXT = (
    "巴彦淖尔市城市供热管理办法\n第一条 为了加强城市供热管理，维护供热单位和热用户的合法权益，根据《内蒙古自治区城市供热条例》，"
    "结合本市实际，制定本办法。\n第二条 本办法自2024年3月1日起施行。"
)


@pytest.fixture
def gov(world):
    """The municipal government, which files government rules (规章), and its account."""
    unit = HandlingUnit.objects.get(congress=world.city, kind=HandlingUnit.Kind.GOVERNMENT)
    world.users["gov"] = core_services.create_account(
        world.admin,
        username="gov",
        password="x",
        display_name="市政府法制科",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=unit)],
    )
    return unit


def file_rule(world, gov, kind="rule", **extra) -> Filing:
    from renda.filing.services import file_document

    data = {
        "filer": f"unit:{gov.pk}",
        "kind": kind,
        "title": "巴彦淖尔市城市供热管理办法",
        "document_number": "巴政发〔2024〕5号",
        "adopted_on": date(2024, 2, 20),
        "published_on": date(2024, 3, 1),
        "drafting_explanation": "为加强城市供热管理，经征求意见和合法性审查，制定本办法。",
        "legal_basis": "《内蒙古自治区城市供热条例》",
        "text": TEXT,
    } | extra
    return file_document(world.users["gov"], data, today=date(2024, 3, 15))


def test_filing_transitions_forward_what_goes_up(sender, world, gov):
    """The filing module's hook: each transition of a 规章 queues its snapshot, in the
    transition's transaction; other kinds and drafts are not reported."""
    from renda.filing.federation import forward

    normative = file_rule(world, gov, kind="government", title="某规范性文件", document_number="巴政发〔2024〕6号")
    assert normative.state == "submitted" and not OutboundMessage.objects.exists()
    draft = file_document_draft(world, gov)
    assert forward(draft) == [] and not OutboundMessage.objects.exists()

    rule = file_rule(world, gov)
    [first] = OutboundMessage.objects.all()
    assert (first.kind, first.subject, first.sequence) == ("filing.upsert", f"filing:{rule.pk}", 1)
    body = first.body
    assert body["remote_id"] == rule.pk and body["filer"] == "巴彦淖尔市人民政府" and body["kind"] == "rule"
    assert body["published_on"] == "2024-03-01" and body["filed_on"] == "2024-03-15"
    assert (body["state"], body["state_label"], body["outcome"], body["number"]) == ("submitted", "待登记", "", "")
    assert forward(rule) == []  # unchanged since the last message: nothing new

    perform(
        rule,
        "register",
        world.users["staff"],
        {"committee": world.office.pk, "published": "on"},
        today=date(2024, 3, 18),
    )
    second = OutboundMessage.objects.get(sequence=2)
    assert second.body["state"] == "reviewing" and second.body["number"] == "备〔2024〕1号"


def file_document_draft(world, gov):
    from renda.filing.services import file_document

    return file_document(
        world.users["gov"],
        {
            "filer": f"unit:{gov.pk}",
            "kind": "rule",
            "title": "草稿中的规章",
            "document_number": "巴政发〔2024〕7号",
            "adopted_on": date(2024, 2, 20),
            "published_on": date(2024, 3, 1),
            "drafting_explanation": "说明",
            "legal_basis": "依据",
            "text": TEXT,
        },
        submit=False,
    )


def test_forward_without_an_upper_peer_does_nothing(world, gov):
    file_rule(world, gov)
    assert not OutboundMessage.objects.exists()


def test_forward_filings_command_queues_what_is_not_reported_yet(sender, world, gov):
    file_rule(world, gov)  # reported by the hook
    Peer.objects.create(
        code="150000000001", name="另一上级", direction=Peer.Direction.UP, base_url="http://other.invalid"
    )
    assert "已排入报送队列：1 条" in run("forward-filings")  # only for the new peer
    assert "已排入报送队列：0 条" in run("forward-filings")


def test_round_trip_through_the_real_endpoint(sender, world, gov):
    """The city forwards a filing; the region's inbox (same database, another identity)
    verifies the signature and records it: exactly one LowerFiling, however often sent."""
    from renda.filing.federation import forward

    Congress.objects.create(code=REGION, region="内蒙古自治区", level="provincial")
    # one key file plays both instances' keys: the city's messages, the region's acknowledgements
    public = signing.public_key_b64(signing.load_private_key())
    Peer.objects.create(code=CITY, name="巴彦淖尔市人大常委会", direction=Peer.Direction.DOWN, public_key=public)
    Peer.objects.filter(pk=sender.pk).update(public_key=public)
    sender.refresh_from_db()
    client = Client()

    def over_http(url, data, headers, timeout):
        with override_settings(RENDA_ROOT_CONGRESS=REGION):  # the receiving instance
            response = client.post(URL, data, content_type=headers["Content-Type"])
        return Reply(response.status_code, response.json(), dict(response.headers))

    filing = file_rule(world, gov)
    assert forward(filing) == []  # the filing module's hook has queued it already
    assert deliver(sender, transport=over_http).acked == 1
    OutboundMessage.objects.update(status="pending")  # as if the acknowledgement had been lost
    assert deliver(sender, transport=over_http).acked == 1  # a duplicate: acknowledged, not applied
    lower = LowerFiling.objects.get()
    assert (lower.sender, lower.remote_id, lower.congress.code) == (CITY, filing.pk, REGION)
    assert lower.sender_name == "巴彦淖尔市人大常委会" and lower.filer == "巴彦淖尔市人民政府"
    assert InboundMessage.objects.count() == 1


# ---------------------------------------------------------------- commands


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("federation", *args, stdout=out)
    return out.getvalue()


def test_keygen_and_public_key(settings, tmp_path):
    settings.RENDA_FEDERATION_KEY_FILE = str(tmp_path / "k" / "federation.key")
    with pytest.raises(CommandError, match="keygen"):
        run("public-key")
    out = run("keygen")
    public = run("public-key").strip()
    assert public in out and "公钥" in out
    assert signing.parse_public_key(public)
    assert (tmp_path / "k" / "federation.key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="已存在"):
        run("keygen")
    assert run("public-key").strip() == public
    run("keygen", "--force")
    assert run("public-key").strip() != public


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--code", "1508", "--name", "x", "--direction", "up", "--url", "http://a"], "12位数字"),
        (["--code", REGION, "--name", "内蒙古", "--direction", "up"], "接口地址"),
        (["--code", REGION, "--name", "内蒙古", "--direction", "up", "--url", "ftp://x"], "接口地址不正确"),
        (["--code", COUNTY, "--name", "临河区", "--direction", "down"], "公钥"),
        (["--code", COUNTY, "--name", "临河区", "--direction", "down", "--public-key", "abc"], "公钥格式不正确"),
        (["--code", COUNTY, "--name", " ", "--direction", "down", "--public-key", "abc"], "名称"),
    ],
)
def test_add_peer_errors_are_chinese(args, message):
    with pytest.raises(CommandError, match=message):
        run("add-peer", *args)
    assert not Peer.objects.exists()


def test_add_peer_peers_status_and_deliver(world, settings, tmp_path, county_key):
    settings.RENDA_ROOT_CONGRESS = CITY
    settings.RENDA_FEDERATION_KEY_FILE = str(tmp_path / "federation.key")
    with pytest.raises(CommandError, match="上级节点"):
        run("deliver", "--once")
    with pytest.raises(CommandError, match="自己"):
        run("add-peer", "--code", CITY, "--name", "本级", "--direction", "up", "--url", "http://x.invalid")
    assert "已登记" in run(
        "add-peer",
        "--code",
        REGION,
        "--name",
        "内蒙古自治区人大常委会",
        "--direction",
        "up",
        "--url",
        "http://region.invalid/",
    )
    assert "已更新" in run(
        "add-peer",
        "--code",
        REGION,
        "--name",
        "内蒙古自治区人大常委会",
        "--direction",
        "up",
        "--url",
        "http://region.invalid:8000",
    )
    run(
        "add-peer",
        "--code",
        COUNTY,
        "--name",
        "临河区人大常委会",
        "--direction",
        "down",
        "--public-key",
        signing.public_key_b64(county_key),
    )
    assert Peer.objects.get(direction="up").base_url == "http://region.invalid:8000"
    listing = run("peers")
    assert "内蒙古自治区人大常委会" in listing and "临河区人大常委会" in listing

    run("keygen")
    queue(Peer.objects.get(direction="up"), 2)
    with mock.patch("requests.post", side_effect=Upper(down_from=1)):
        with pytest.raises(CommandError, match="未能送达"):
            run("deliver", "--once")
    status = run("status")
    assert "待送达 2 条" in status and "已尝试 1 次" in status and "最近错误" in status and CITY in status
    assert "临河区人大常委会（150802000000）：尚未收到消息" in status
    with mock.patch("requests.post", side_effect=Upper()):
        out = run("deliver", "--once", "--force")
    assert "送达 2 条" in out
    assert "待送达 0 条" in run("status")


# ---------------------------------------------------------------- scoping


def test_federation_records_are_for_the_root_congress_administration(instance, county_key):
    post(instance.client, signed(county_key, 1))
    users = instance.world.users
    for model in (Peer, InboundMessage):
        assert visible(users["admin"], model).count() == 1
        assert visible(users["staff"], model).count() == 1  # staff of the root congress
        assert visible(users["county_staff"], model).count() == 0
        assert visible(users["unit"], model).count() == 0
        assert visible(None, model).count() == 0
    assert allowed(users["admin"], "view", instance.peer)
    assert not allowed(users["admin"], "change", instance.peer)
    assert not allowed(users["county_staff"], "view", instance.peer)
    assert visible(instance.world.admin, OutboundMessage).count() == 0  # nothing queued
