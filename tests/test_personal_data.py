"""Personal data (等保2.0 个人信息保护): encrypted at rest, masked on pages and lists, each
full view and each export audited without the values, and a citizen's contact erased on
request or after the retention period (core.crypto, core.fields, core.personal)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from factories import add_samples
from renda.core import crypto, personal
from renda.core.fields import reencrypt
from renda.core.models import AuditEntry, Person
from renda.filing.models import ReviewProposal
from renda.workflow.engine import perform

KEY_A = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
KEY_B = crypto.new_key()
MOBILE = "13900000001"  # the deputy's, tests/factories.py
CONTACT = "13700000000"  # the sample proposal's
ADDRESS = "巴彦淖尔市临河区"


@pytest.fixture
def samples(world):
    return add_samples(world).samples


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def audits(action: str):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# ---------------------------------------------------------------- at rest


def test_the_database_holds_ciphertext_and_the_orm_clear_text(world, samples):
    person, proposal = world.deputy.person, samples["proposal"]
    stored = {
        MOBILE: raw("core_person", "mobile", person.pk),
        CONTACT: raw("filing_reviewproposal", "contact", proposal.pk),
        ADDRESS: raw("filing_reviewproposal", "address", proposal.pk),
    }
    for clear, value in stored.items():
        assert value.startswith("enc1:") and clear not in value
    assert len(set(stored.values())) == 3
    assert Person.objects.get(pk=person.pk).mobile == MOBILE
    p = ReviewProposal.objects.get(pk=proposal.pk)
    assert (p.contact, p.address) == (CONTACT, ADDRESS)
    assert ReviewProposal.objects.filter(pk=p.pk).values_list("contact", flat=True).get() == CONTACT
    # the same value twice: two different ciphertexts (random nonce)
    again = Person.objects.create(name="甲", gender="M", mobile=MOBILE)
    assert raw("core_person", "mobile", again.pk) != stored[MOBILE]
    # an empty value stays empty, so "has no mobile" is still a query
    assert raw("core_person", "mobile", Person.objects.create(name="乙", gender="F").pk) == ""
    assert Person.objects.filter(mobile="").exists()


def test_an_encrypted_column_refuses_a_search_rather_than_finding_nothing(world):
    with pytest.raises(FieldError):
        list(Person.objects.filter(mobile=MOBILE))
    with pytest.raises(FieldError):
        list(Person.objects.filter(mobile__icontains="0001"))


def test_a_ciphertext_moved_to_another_column_does_not_decrypt(world, samples):
    p = samples["proposal"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE filing_reviewproposal SET address = contact WHERE id = %s", [p.pk])
    with pytest.raises(crypto.DecryptionError):
        ReviewProposal.objects.get(pk=p.pk)


def test_keys_rotate_and_rekey_rewrites_everything_under_the_current_key(world, samples, settings):
    first = list(settings.RENDA_DATA_KEYS)  # what the world was written with
    settings.RENDA_DATA_KEYS = [KEY_A, *first]
    person = Person.objects.create(name="丙", gender="M", mobile="13812345678")
    old_id = crypto.current_key_id()
    assert crypto.stored_key_id(raw("core_person", "mobile", person.pk)) == old_id
    settings.RENDA_DATA_KEYS = [KEY_B, KEY_A, *first]  # a new key first, the old ones still decrypt
    assert Person.objects.get(pk=person.pk).mobile == "13812345678"
    err = io.StringIO()
    call_command("data", "rekey", stderr=err)
    assert "重新加密" in err.getvalue()
    new_id = crypto.current_key_id()
    assert new_id != old_id
    for table, column, pk in (
        ("core_person", "mobile", person.pk),
        ("core_person", "mobile", world.deputy.person.pk),
        ("filing_reviewproposal", "contact", samples["proposal"].pk),
        ("filing_reviewproposal", "address", samples["proposal"].pk),
    ):
        assert crypto.stored_key_id(raw(table, column, pk)) == new_id
    settings.RENDA_DATA_KEYS = [KEY_B]  # the old key dropped: everything still reads
    assert Person.objects.get(pk=person.pk).mobile == "13812345678"
    assert ReviewProposal.objects.get(pk=samples["proposal"].pk).contact == CONTACT
    assert reencrypt(Person) == 0 and reencrypt(ReviewProposal) == 0  # nothing left to rewrite
    settings.RENDA_DATA_KEYS = [KEY_A]  # a key that never wrote them: a clear error, not garbage
    with pytest.raises(crypto.DecryptionError, match="no longer holds"):
        Person.objects.get(pk=person.pk)


def test_values_written_in_clear_before_the_migration_are_encrypted_by_it(world):
    """The migrations call `reencrypt` on the rows as they were: clear text."""
    person = world.deputy.person
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_person SET mobile = %s WHERE id = %s", ["13511112222", person.pk])
    assert Person.objects.get(pk=person.pk).mobile == "13511112222"  # clear text reads as is
    assert reencrypt(Person) == 1
    stored = raw("core_person", "mobile", person.pk)
    assert stored.startswith("enc1:") and "13511112222" not in stored
    assert Person.objects.get(pk=person.pk).mobile == "13511112222"


def _check(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("RENDA_DATA_KEYS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    base.update(
        RENDA_DEBUG="0",
        RENDA_SECRET_KEY="a-real-secret-for-this-test-only-0123456789",
        DJANGO_SETTINGS_MODULE="renda.config.settings",
        **env,
    )
    return subprocess.run([sys.executable, "-m", "renda", "check"], capture_output=True, text=True, env=base)


def test_production_refuses_to_start_without_a_data_key(tmp_path):
    out = _check()
    assert out.returncode != 0 and "RENDA_DATA_KEYS" in out.stderr
    out = _check(RENDA_DATA_KEYS="not-a-key")
    assert out.returncode != 0 and "32 bytes" in out.stderr
    key_file = tmp_path / "data.key"
    key_file.write_text(KEY_A + "\n")
    key_file.chmod(0o644)
    out = _check(RENDA_DATA_KEYS_FILE=str(key_file))
    assert out.returncode != 0 and "chmod 600" in out.stderr  # others on the machine could read it
    key_file.chmod(0o600)
    assert _check(RENDA_DATA_KEYS_FILE=str(key_file)).returncode == 0
    assert _check(RENDA_DATA_KEYS=f"{KEY_B},{KEY_A}").returncode == 0


# ---------------------------------------------------------------- masked, and the full view audited


def test_mask():
    assert personal.mask("13812341234", "mobile") == "138****1234"
    assert personal.mask("0478-8123456", "contact") == "047****3456"
    assert personal.mask("liujianhua@163.com", "contact") == "l***@163.com"
    assert personal.mask("a@example.com", "email") == "a***@example.com"
    assert personal.mask("巴彦淖尔市临河区新华街1号", "address") == "巴彦淖尔市临***"
    assert personal.mask("临河区", "address") == "临***"
    assert personal.mask("123", "mobile") == "****"
    assert personal.mask("", "mobile") == "" and personal.mask(None) == ""


def test_the_deputy_page_masks_the_mobile_and_a_full_view_is_audited(world, samples, client_for):
    deputy = world.deputy
    url = f"/work/deputies/{deputy.pk}/"
    reveal = f"/work/personal/core.person/{deputy.person.pk}/show/mobile/"
    for role in ("staff", "deputy"):
        page = client_for(role).get(url).content.decode()
        assert "139****0001" in page and MOBILE not in page and "显示完整号码" in page and reveal in page
    page = client_for("director").get(url).content.decode()  # not their personal data to see
    assert "139****0001" not in page and "显示完整号码" not in page
    staff = client_for("staff")
    response = staff.post(reveal)
    assert response.status_code == 200 and MOBILE in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    as_json = staff.post(reveal, headers={"Accept": "application/json"})
    assert as_json.json() == {"field": "mobile", "value": MOBILE}
    entries = audits("view_personal")
    assert len(entries) == 2
    entry = entries[0]
    assert entry.actor == world.users["staff"] and entry.model == "core.Person"
    assert entry.object_id == str(deputy.person.pk) and entry.changes == {"field": "mobile"}
    assert MOBILE not in str(entry.changes) and MOBILE not in entry.object_label
    # GET shows nothing; a field that is not personal, or a model without personal data: 404
    assert staff.get(reveal).status_code == 405
    assert staff.post(f"/work/personal/core.person/{deputy.person.pk}/show/name/").status_code == 404
    assert staff.post(f"/work/personal/core.congress/{world.city.pk}/show/name/").status_code == 404
    assert client_for("director").post(reveal).status_code == 404
    assert len(audits("view_personal")) == 2


def test_the_proposal_page_masks_the_contact_for_staff_and_hides_it_from_members(world, samples, client_for):
    p = samples["proposal"]
    url = f"/work/filing/proposals/{p.pk}/"
    page = client_for("staff").get(url).content.decode()
    assert "137****0000" in page and "巴彦淖尔市临***" in page
    assert CONTACT not in page and ADDRESS not in page
    assert "显示完整号码" in page and "显示完整地址" in page and 'data-testid="erase-contact"' in page
    page = client_for("member").get(url).content.decode()
    assert "137****0000" not in page and "显示完整号码" not in page and 'data-testid="erase-contact"' not in page
    reveal = f"/work/personal/filing.reviewproposal/{p.pk}/show/address/"
    assert client_for("member").post(reveal).status_code == 403
    assert client_for("staff").post(reveal, headers={"Accept": "application/json"}).json()["value"] == ADDRESS
    assert [e.changes for e in audits("view_personal")] == [{"field": "address"}]


def test_the_proposal_list_masks_and_its_export_is_audited(world, samples, client_for):
    page = client_for("staff").get("/work/filing/proposals/").content.decode()
    assert "137****0000" in page and CONTACT not in page
    page = client_for("director").get("/work/filing/proposals/").content.decode()
    assert "张三" in page and "137****0000" not in page  # the proposal, not its contact

    def export(role):
        response = client_for(role).get("/work/filing/proposals/", {"export": "xlsx"})
        assert response.status_code == 200
        ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
        header, *rows = list(ws.values)
        return [row[header.index("联系方式")] for row in rows]

    in_full = export("staff")  # who answers the proposers gets their contacts in full
    assert CONTACT in in_full and all(len(c) == 11 and c.isdigit() for c in in_full)
    # as on the page, nothing to those who may not see a contact: a masked number would still
    # carry its last four digits, which the public receipt lookup checks
    withheld_out = export("director")
    assert len(withheld_out) == len(in_full) and not any(withheld_out)
    n = len(in_full)
    full, masked = audits("export_personal")
    assert full.model == "filing.ReviewProposal" and full.object_id == ""
    assert full.changes == {"rows": n, "full": n, "withheld": 0, "columns": ["联系方式"]}
    assert masked.changes == {"rows": n, "full": 0, "withheld": n, "columns": ["联系方式"]}
    assert CONTACT not in str(full.changes)
    assert masked.actor == world.users["director"]
    # a list without personal columns exports without an entry
    client_for("staff").get("/work/deputies/", {"export": "xlsx"})
    assert len(audits("export_personal")) == 2


def test_the_case_api_gives_the_contact_to_staff_and_audits_it(world, samples, client_for):
    p = samples["proposal"]
    data = client_for("staff").get(f"/api/cases/review_proposal/{p.pk}").json()
    assert data["fields"]["contact"] == CONTACT and data["fields"]["address"] == ADDRESS
    assert sorted(e.changes["field"] for e in audits("view_personal")) == ["address", "contact"]
    data = client_for("member").get(f"/api/cases/review_proposal/{p.pk}").json()
    assert "contact" not in data["fields"]
    assert len(audits("view_personal")) == 2


def test_models_declare_their_personal_fields():
    assert {"mobile", "birth_date"} <= Person.personal_fields
    assert {"proposer", "contact", "address"} <= ReviewProposal.personal_fields
    assert set(ReviewProposal.erasable_fields) == {"contact", "address"}


# ---------------------------------------------------------------- erasure


def test_staff_erase_a_contact_on_request_with_a_reason(world, samples, client_for):
    p = samples["proposal"]
    url = f"/work/personal/filing.reviewproposal/{p.pk}/erase/"
    page_url = f"/work/filing/proposals/{p.pk}/"
    assert client_for("member").post(url, {"reason": "本人要求"}).status_code == 403
    staff = client_for("staff")
    response = staff.post(url, {"reason": "  "}, follow=True)
    assert "请填写删除联系方式的原因" in response.content.decode()
    assert ReviewProposal.objects.get(pk=p.pk).erased_at is None
    response = staff.post(url, {"reason": "建议人来电要求删除"})
    assert response.status_code == 302 and response["Location"] == page_url
    p.refresh_from_db()
    assert (p.contact, p.address) == ("", "") and p.erased_at is not None
    assert p.state == "received" and p.issue and p.proposer == "张三"  # the case stays
    assert raw("filing_reviewproposal", "contact", p.pk) == ""
    (entry,) = audits("erase_personal")
    assert entry.actor == world.users["staff"]
    assert entry.changes == {"fields": ["contact", "address"], "reason": "建议人来电要求删除"}
    page = staff.get(page_url).content.decode()
    assert "（已删除）" in page and 'data-testid="erase-contact"' not in page
    staff.post(url, {"reason": "再次"})  # already erased: nothing more, no second entry
    assert len(audits("erase_personal")) == 1
    # the proposer's status lookup says why it can no longer be answered
    status = client_for("public").get("/filing/proposals/status/", {"receipt": p.receipt, "contact": "0000"})
    assert "联系方式已按规定删除" in status.content.decode()


def _decline(p, staff, **when):
    perform(p, "decline", staff, {"feedback": "该通知已由制定机关自行修改，不再审查。"}, **when)


def test_contacts_are_erased_after_the_retention_period_and_the_job_is_idempotent(world, samples, settings):
    from renda.core import tasks
    from renda.filing.services import receive_proposal

    settings.RENDA_CONTACT_RETENTION_DAYS = 365
    staff = world.users["staff"]
    old = samples["proposal"]
    _decline(old, staff, today=date(2020, 6, 10))  # closed years ago
    fresh = receive_proposal(
        world.city,
        {
            "proposer": "李四",
            "proposer_kind": "citizen",
            "contact": "liujianhua@163.com",
            "document_title": "某通知",
            "issue": "是否超越权限。",
            "reasons": "建议审查。",
        },
    )
    _decline(fresh, staff)  # closed today
    still_open = receive_proposal(
        world.city,
        {
            "proposer": "王五",
            "proposer_kind": "citizen",
            "contact": "13611112222",
            "document_title": "某办法",
            "issue": "是否违法。",
            "reasons": "建议审查。",
        },
        today=date(2020, 1, 2),
    )
    assert tasks.erase_expired_contacts.call_local() == {"erased": 1}
    old.refresh_from_db()
    fresh.refresh_from_db()
    still_open.refresh_from_db()
    assert old.contact == "" and old.address == "" and old.erased_at is not None and old.state == "declined"
    assert fresh.contact == "liujianhua@163.com" and still_open.contact == "13611112222"
    (entry,) = audits("erase_personal")
    assert entry.actor is None and "365" in entry.changes["reason"]
    assert tasks.erase_expired_contacts.call_local() == {"erased": 0}  # idempotent
    assert len(audits("erase_personal")) == 1
    # a year on, the fresh one's period is over too
    assert personal.erase_expired(now=timezone.now() + timedelta(days=366)) == 1
    fresh.refresh_from_db()
    assert fresh.contact == "" and still_open.contact == "13611112222"


# ---------------------------------------------------------------- imports


def test_an_import_writes_clear_values_that_the_field_encrypts(world, client_for):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "手机号码", "当选日期"])
    ws.append(["导入代表", "男", "13755556666", "2021-01-10"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "deputies.xlsx"
    response = client_for("staff").post("/work/deputies/import/", {"term": world.term.pk, "file": buffer})
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(name="导入代表")
    assert person.mobile == "13755556666"
    stored = raw("core_person", "mobile", person.pk)
    assert stored.startswith("enc1:") and "13755556666" not in stored


def test_the_edit_form_does_not_show_the_mobile_and_blank_keeps_it(world, client_for):
    deputy, staff = world.deputy, client_for("staff")
    url = f"/work/deputies/{deputy.pk}/edit/"
    page = staff.get(url).content.decode()
    assert MOBILE not in page and 'placeholder="139****0001"' in page and "清除已登记的手机号码" in page
    data = {
        "term": world.term.pk,
        "name": deputy.person.name,
        "gender": "M",
        "ethnicity": "汉族",
        "occupation": deputy.occupation,
        "elected_date": str(deputy.elected_date),
        "mobile": "",
    }
    assert staff.post(url, data).status_code == 302
    assert Person.objects.get(pk=deputy.person.pk).mobile == MOBILE  # blank: kept
    assert staff.post(url, {**data, "mobile": "13622223333"}).status_code == 302
    assert Person.objects.get(pk=deputy.person.pk).mobile == "13622223333"  # replaced
    assert staff.post(url, {**data, "clear_mobile": "on"}).status_code == 302
    assert Person.objects.get(pk=deputy.person.pk).mobile == ""  # cleared
