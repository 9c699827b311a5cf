"""The audit log (issue 11, item 2): the hash chain and its verifier, the security events,
no personal data in the log, the audit pages, 三员分立 and the sign-in history."""

import hashlib
import io
import json
from contextlib import contextmanager
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factories import SUGGESTION_TEXT
from renda.core import audit as chain
from renda.core import services
from renda.core.db import _triggers
from renda.core.models import AuditChainHead, AuditEntry, Person, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db
TABLE = "core_auditentry"


@contextmanager
def behind_the_triggers():
    """A cursor that may edit the log as a database-only attacker would (triggers off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: ALTER TABLE may run
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            for sql in _triggers("sqlite", TABLE)[1]:
                cursor.execute(sql)
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            else:
                for sql in _triggers("sqlite", TABLE)[0]:
                    cursor.execute(sql)


def queries_of(fetch) -> int:
    """How many queries `fetch()` makes (the connection's query log is capped: start it empty)."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        fetch()
    assert len(captured.captured_queries) > 0
    return len(captured.captured_queries)


def middle(world):
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) > 10
    return entries[len(entries) // 2], entries[len(entries) // 2 + 1]


def verify_fails(entry_id=None) -> str:
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", "--chunk", "7")  # several chunks
    assert failed.value.returncode == 1
    message = str(failed.value)
    if entry_id is not None:
        assert f"id {entry_id}，" in message
    return message


# --------------------------------------------------------------------------- the chain


def test_every_entry_is_chained_and_verify_says_so(world, capsys):
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == ""
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (entries[-1].seq, entries[-1].hash)
    call_command("audit", "verify", "--chunk", "5")
    assert f"共 {len(entries)} 条" in capsys.readouterr().out


def test_an_edited_entry_is_named(world):
    victim, _ = middle(world)
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET actor_label = %s WHERE id = %s", ["他人", victim.pk])
    message = verify_fails(victim.pk)
    assert "哈希不符" in message and f"第 {victim.seq} 条" in message


def test_an_edit_with_a_recomputed_unkeyed_hash_is_still_found(world):
    """Whoever can write to the database but lacks the key cannot re-seal an entry."""
    victim, _ = middle(world)
    fields = {name: getattr(victim, name) for name in chain.HASHED}
    fields["actor_label"] = "他人"
    forged = hashlib.sha256(chain.canonical(fields, victim.prev_hash)).hexdigest()
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET actor_label = %s, hash = %s WHERE id = %s", ["他人", forged, victim.pk])
    verify_fails(victim.pk)


def test_a_deleted_entry_is_found_at_its_successor(world):
    victim, successor = middle(world)
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [victim.pk])
    message = verify_fails(successor.pk)
    assert "删除" in message


def test_the_last_entry_deleted_is_found_by_the_head(world):
    last = AuditEntry.objects.order_by("-seq").first()
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [last.pk])
    assert "链尾" in verify_fails()


def test_an_inserted_entry_is_named(world):
    last = AuditEntry.objects.order_by("-seq").first()
    fields = {
        "seq": last.seq + 1,
        "at": last.at,
        "actor_id": None,
        "actor_label": "系统",
        "action": "grant",
        "model": "core.User",
        "object_id": "1",
        "object_label": "root",
        "changes": {},
        "ip": "",
    }
    unkeyed = hashlib.sha256(chain.canonical(fields, last.hash)).hexdigest()
    with behind_the_triggers() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (seq, at, actor_label, action, model, object_id, object_label, changes, ip, "
            "prev_hash, hash) VALUES (%s, %s, '系统', 'grant', 'core.User', '1', 'root', %s, '', %s, %s)",
            [last.seq + 1, last.at, json.dumps({}), last.hash, unkeyed],
        )
    inserted = AuditEntry.objects.get(seq=last.seq + 1)
    assert "哈希不符" in verify_fails(inserted.pk)


def test_an_entry_written_around_the_chain_is_found(world):
    AuditEntry.objects.create(actor_label="系统", action="grant", model="core.User", object_id="1")
    assert "没有序号" in verify_fails()


def test_a_former_key_still_verifies_after_rotation(world, settings):
    settings.RENDA_AUDIT_KEY = "old-audit-key-" + "x" * 32
    services.audit(None, "update", world.city, {"region": "巴彦淖尔"})
    settings.RENDA_AUDIT_KEY = "new-audit-key-" + "y" * 32
    settings.RENDA_AUDIT_KEY_FALLBACKS = ["old-audit-key-" + "x" * 32]
    assert not chain.verify().ok  # the entries before the old key were made under SECRET_KEY
    settings.RENDA_AUDIT_KEY_FALLBACKS = ["old-audit-key-" + "x" * 32, settings.SECRET_KEY]
    services.audit(None, "update", world.city, {"region": "巴彦淖尔市"})
    assert chain.verify().ok


def test_appending_locks_the_chain_head(world):
    with CaptureQueriesContext(connection) as queries:
        services.audit(world.admin, "update", world.city, {"region": "巴彦淖尔市"})
    sql = [q["sql"] for q in queries.captured_queries]
    assert any("core_auditchainhead" in s for s in sql)
    if connection.vendor == "postgresql":  # SQLite: its IMMEDIATE transactions serialise writers
        assert any("FOR UPDATE" in s and "core_auditchainhead" in s for s in sql)


def test_the_append_only_triggers_still_guard_the_new_columns(world):
    from django.db import DatabaseError, transaction

    for sql in (f"UPDATE {TABLE} SET hash = 'x'", f"UPDATE {TABLE} SET seq = seq + 1000", f"DELETE FROM {TABLE}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert chain.verify().ok


# --------------------------------------------------------------------------- personal data


def test_a_mobile_number_never_enters_the_log(world, client_for):
    person = services.create_person(
        world.admin, name="张三", gender="M", mobile="13912345678", birth_date=date(1970, 3, 4)
    )
    deputy = services.create_deputy(
        world.admin, person=person, term=world.county_term, elected_date=world.county_term.start_date
    )
    person.mobile = "13787654321"
    services.save_record(world.admin, person)
    entries = AuditEntry.objects.filter(model="core.Person", object_id=str(person.pk))
    assert entries.count() == 2
    assert entries.order_by("seq").last().changes == {"mobile": chain.REDACTED}  # which field, not its value
    dump = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    for secret in ("12345678", "87654321", "1970-03-04"):
        assert secret not in dump
    assert AuditEntry.objects.filter(model="core.Deputy", object_id=str(deputy.pk)).exists()
    assert Person.personal_fields >= {"mobile", "birth_date"}


# --------------------------------------------------------------------------- security events


def test_sign_in_failure_lock_out_and_sign_out_are_logged(world, password, settings):
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post("/accounts/login/", {"username": "staff", "password": "wrong-" + password})
    client.post("/accounts/login/", {"username": "no-such-user", "password": "hunter2-secret"})
    client.post("/accounts/login/", {"username": "staff", "password": password})
    client.post("/accounts/logout/")
    staff = world.users["staff"]
    seen = list(AuditEntry.objects.filter(ip="203.0.113.7").order_by("seq").values_list("action", "actor_id"))
    assert seen == [
        ("login_failed", staff.pk),
        ("login_failed", None),
        ("login", staff.pk),
        ("logout", staff.pk),
    ]
    unknown = AuditEntry.objects.get(ip="203.0.113.7", action="login_failed", actor=None)
    assert unknown.actor_label.startswith("未知账号#")
    dump = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    assert "no-such-user" not in dump and "hunter2" not in dump and password not in dump

    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(settings.RENDA_LOGIN_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "deputy", "password": "wrong"})
    locked = AuditEntry.objects.get(action="locked_out", ip="198.51.100.9")
    assert locked.actor == world.users["deputy"]
    assert chain.verify().ok


def test_a_refused_request_is_logged(world, client_for):
    response = client_for("deputy").get("/work/accounts/new/")
    assert response.status_code == 403
    entry = AuditEntry.objects.filter(action="denied").latest("seq")
    assert entry.actor == world.users["deputy"]
    assert entry.changes == {"method": "GET", "path": "/work/accounts/new/"}
    response = client_for("deputy").post("/api/units", _unit_body(world), content_type="application/json")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="denied", changes__path="/api/units").exists()


def _unit_body(world):
    return {"congress": world.city.pk, "name": "测试局", "short_name": "测试局", "kind": "department"}


def test_a_case_transition_leaves_a_reference_entry(world, client_for):
    from renda.suggestions import services as suggestion_services
    from renda.workflow.engine import perform

    draft = suggestion_services.save_draft(
        world.users["deputy"],
        lead=world.deputy,
        title="关于测试的建议",
        content=SUGGESTION_TEXT,
        category="农牧水利",
        cosigners=[],
    )
    perform(draft, "submit", world.users["deputy"], {"note": "私人的附言"}, today=date(2020, 5, 10))
    entry = AuditEntry.objects.filter(action="transition").latest("seq")
    assert entry.actor == world.users["deputy"]
    assert entry.object_id == str(draft.pk) and entry.changes["transition"] == "submit"
    assert "私人的附言" not in json.dumps(entry.changes, ensure_ascii=False)
    # the page says it in Chinese: the action and the keys of what changed
    page = client_for("auditor").get(f"/work/audit/?model=suggestions.Suggestion&object_id={draft.pk}")
    text = page.content.decode()
    assert "流程操作" in text and "事项类型：suggestion" in text and "操作：submit" in text
    assert "case_type" not in text


# --------------------------------------------------------------------------- 三员分立


def test_no_account_holds_two_of_the_separated_roles(world):
    root = world.admin
    auditor = world.users["auditor"]
    with pytest.raises(ValidationError) as refused:
        services.grant_role(root, auditor, role=Role.ADMIN, congress=world.city)
    assert "不同账号" in str(refused.value)
    with pytest.raises(ValidationError):
        services.grant_role(root, world.users["admin"], role=Role.SECURITY, congress=world.city)
    with pytest.raises(ValidationError):
        RoleAssignment(user=root, role=Role.AUDITOR, congress=world.city).full_clean()
    # the system administrator does not appoint those who watch them
    with pytest.raises(PermissionDenied):
        services.grant_role(world.users["admin"], world.users["noroles"], role=Role.AUDITOR, congress=world.city)
    # other roles beside one of them are fine
    services.grant_role(root, world.users["staff"], role=Role.ADMIN, congress=world.city)


def test_the_account_form_offers_the_separated_roles_to_the_superuser_only(world, client_for):
    page = client_for("admin").get("/work/accounts/new/").content.decode()
    assert "审计管理员" not in page and "安全管理员" not in page


def test_who_reads_exports_and_verifies_the_log(world, client_for):
    services.save_record(world.users["admin"], world.office)  # an act of the system administrator
    assert client_for("admin").get("/work/audit/").status_code == 403
    assert client_for("admin").get("/work/audit/?export=xlsx").status_code == 403
    page = client_for("auditor").get("/work/audit/?q=admin").content.decode()
    assert "admin（系统管理员" in page
    assert client_for("security").get("/work/audit/").status_code == 200
    assert client_for("security").get("/work/audit/?export=xlsx").status_code == 403
    assert client_for("security").post("/work/audit/verify/").status_code == 403

    response = client_for("auditor").get("/work/audit/?export=xlsx&action=login")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    export = AuditEntry.objects.filter(action="export").latest("seq")
    assert export.actor == world.users["auditor"] and export.model == "core.AuditEntry"
    assert export.changes["rows"] == AuditEntry.objects.filter(action="login", seq__lt=export.seq).count()

    response = client_for("auditor").post("/work/audit/verify/", follow=True)
    assert "操作记录链完整" in response.content.decode()
    assert AuditEntry.objects.filter(action="verify", actor=world.users["auditor"]).exists()


def test_the_log_is_searched_by_actor_object_time_and_kind(world, client_for):
    auditor = client_for("auditor")
    admin = world.users["admin"]
    services.save_record(admin, world.office)
    page = auditor.get(f"/work/audit/?actor={admin.pk}").content.decode()
    assert "共 1 条" in page and "admin（系统管理员" in page
    office = world.office
    page = auditor.get(f"/work/audit/?model=core.Body&object_id={office.pk}").content.decode()
    assert "共 2 条" in page  # created by the superuser, saved by the system administrator
    assert "共 0 条" in auditor.get("/work/audit/?since=2001-01-01&until=2001-01-02").content.decode()
    page = auditor.get("/work/audit/?since=yesterday").content.decode()
    assert "起始日期格式不正确" in page
    page = auditor.get("/work/audit/?action=grant").content.decode()
    assert "授予角色" in page


def test_the_log_page_costs_the_same_queries_for_any_size(world, client_for, django_assert_num_queries):
    auditor = client_for("auditor")
    auditor.get("/work/audit/")  # warm: session, caches
    small = queries_of(lambda: auditor.get("/work/audit/"))
    for i in range(60):
        services.audit(world.users["admin"], "update", world.office, {"order": i})
    connection.queries_log.clear()
    with django_assert_num_queries(small):
        page = auditor.get("/work/audit/").content.decode()
    assert "下一页" in page


def test_the_security_administrator_lifts_a_lock_out(world, password, settings, client_for):
    from axes.models import AccessAttempt

    attacker = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(settings.RENDA_LOGIN_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "member", "password": "wrong"})
    assert attacker.post("/accounts/login/", {"username": "member", "password": password}).status_code == 429
    attempt = AccessAttempt.objects.get(username="member")
    assert client_for("admin").post("/work/lockouts/", {"attempt": attempt.pk}).status_code == 403
    page = client_for("security").get("/work/lockouts/").content.decode()
    assert "198.51.100.20" in page
    client_for("security").post("/work/lockouts/", {"attempt": attempt.pk})
    assert not AccessAttempt.objects.filter(username="member").exists()
    entry = AuditEntry.objects.get(action="unlock")
    # the security administrator acted; the account is named in the entry
    assert entry.actor == world.users["security"] and entry.changes["account"] == "member"
    assert AuditEntry.objects.filter(action="unlock", actor=world.users["security"]).count() == 1
    assert attacker.post("/accounts/login/", {"username": "member", "password": password}).status_code == 302
    response = client_for("security").post("/work/lockouts/", {"attempt": "999999"}, follow=True)
    assert "已不存在" in response.content.decode()


# --------------------------------------------------------------------------- sign-in history


def test_users_see_their_own_sign_in_history(world, password, django_assert_num_queries):
    Client(REMOTE_ADDR="192.0.2.1").post("/accounts/login/", {"username": "unit", "password": "wrong"})
    own = Client(REMOTE_ADDR="192.0.2.2")
    own.post("/accounts/login/", {"username": "unit", "password": password})
    Client(REMOTE_ADDR="192.0.2.3").post("/accounts/login/", {"username": "other_unit", "password": password})
    page = own.get("/accounts/history/").content.decode()
    assert "登录失败" in page and "192.0.2.1" in page and "192.0.2.2" in page
    assert "192.0.2.3" not in page
    small = queries_of(lambda: own.get("/accounts/history/"))
    for _ in range(5):
        Client(REMOTE_ADDR="192.0.2.4").post("/accounts/login/", {"username": "unit", "password": password})
    connection.queries_log.clear()
    with django_assert_num_queries(small):
        assert "192.0.2.4" in own.get("/accounts/history/").content.decode()
    assert "/accounts/history/" in own.get("/work/").content.decode()  # linked from the user menu


def test_existing_rows_are_chained_by_the_migration(world):
    """The data step of 0004 chains rows written before it (and drops personal values)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("renda.core.migrations.0004_audit_chain")
    person = services.create_person(world.admin, name="李四", gender="F", mobile="13600001111")
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET seq = NULL, hash = '', prev_hash = ''")
        cursor.execute(
            f"UPDATE {TABLE} SET changes = %s WHERE model = 'core.Person' AND object_id = %s",
            [json.dumps({"mobile": "13600001111", "name": "李四"}), str(person.pk)],
        )
        migration.chain_existing(apps, None)
    assert chain.verify().ok
    entry = AuditEntry.objects.get(model="core.Person", object_id=str(person.pk))
    assert entry.changes == {"mobile": chain.REDACTED, "name": "李四"}
    assert User.objects.exists()


def test_verify_prints_an_anchor_that_a_later_run_checks(world):
    """An old chain head put back after the tail was cut verifies on its own; the anchor kept
    off the host from an earlier run does not."""
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    anchor = out.getvalue().strip().splitlines()[-1]
    seq, digest = anchor.split(":")
    assert int(seq) == AuditEntry.objects.order_by("-seq").first().seq
    call_command("audit", "verify", "--anchor", anchor, stdout=io.StringIO())  # still there
    with pytest.raises(CommandError, match="已不存在"):
        call_command("audit", "verify", "--anchor", f"{int(seq) + 5}:{digest}", stdout=io.StringIO())
    with pytest.raises(CommandError, match="哈希已改变"):
        call_command("audit", "verify", "--anchor", f"{seq}:{'0' * 64}", stdout=io.StringIO())
