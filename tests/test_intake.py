"""Public intake (core.intake): the robot trap, the throttle per address, receipt codes
(strength, uniqueness), the status lookup with the telephone and e-mail rules, and who
sees a submitter's contact. Review proposals (filing) are the first form built on it."""

import math
from datetime import date

import pytest
from django.core.cache import cache

from renda.core import intake
from renda.core.scoping import allowed
from renda.filing.models import ReviewProposal
from renda.filing.public import PROPOSALS
from renda.filing.services import receive_proposal

FORM = {
    "proposer": "刘建华",
    "proposer_kind": "citizen",
    "contact": "13904781234",
    "document_title": "某某管理办法",
    "issue": "第二条规定的收费",
    "reasons": "该办法设定的收费没有法律依据，增加了群众负担，请予审查。",
}
NEW, STATUS = "/filing/proposals/new/", "/filing/proposals/status/"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def proposal(world, contact="13904781234"):
    data = {k: v for k, v in FORM.items() if k != "contact"}
    return receive_proposal(world.city, {**data, "contact": contact}, today=date(2020, 5, 10))


def test_receipts_are_strong_unambiguous_and_unique(world, monkeypatch):
    assert len(set(intake.ALPHABET)) == 32 and not set("01OI") & set(intake.ALPHABET)
    assert math.log2(len(intake.ALPHABET)) * intake.RECEIPT_LENGTH >= 50
    codes = {intake.new_receipt() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == 10 and set(c) <= set(intake.ALPHABET) for c in codes)
    first = proposal(world)
    assert len(first.receipt) == 10 and set(first.receipt) <= set(intake.ALPHABET)
    # a code already given is never given again: the next free one is taken
    given = iter([first.receipt, "ABCDEFGH23"])
    monkeypatch.setattr(intake, "new_receipt", lambda: next(given))
    assert proposal(world).receipt == "ABCDEFGH23"
    assert intake.normalise_receipt(" abcd-efgh 23 ") == "ABCDEFGH23"


def test_the_last_four_of_the_contact():
    assert intake.contact_tail("139-0478-1234") == "1234"
    assert intake.contact_tail("0478 8123456 转 12") == "5612"  # every digit counts, in order
    # an e-mail address: the last four characters before the @, not its digits
    assert intake.contact_tail("Liu.JianHua2020@example.com") == "2020"
    assert intake.contact_tail("liujianhua@163.com") == "nhua"
    p = ReviewProposal(contact="liujianhua@163.com")
    assert p.contact_matches("NHUA") and not p.contact_matches("0163") and not p.contact_matches("hua")


def test_a_robot_filling_the_trap_leaves_nothing_and_uses_no_quota(world, client_for):
    public = client_for("public")
    for _ in range(PROPOSALS.per_hour + 2):
        response = public.post(NEW, {**FORM, "website": "http://spam.example"})
        assert response.status_code == 302 and response["Location"] == "/filing/"
    assert not ReviewProposal.objects.exists()
    assert public.post(NEW, FORM).status_code == 302  # the person behind the same address is not throttled
    assert ReviewProposal.objects.count() == 1
    page = public.get(NEW).content.decode()
    assert 'class="hp" aria-hidden="true"' in page and 'name="website"' in page  # hidden from people


def test_throttle_counts_per_address_and_keeps_what_was_typed(world, client_for):
    public = client_for("public")
    for _ in range(PROPOSALS.per_hour):
        assert public.post(NEW, FORM, REMOTE_ADDR="10.0.0.1").status_code == 302
    refused = public.post(NEW, FORM, REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert "该办法设定的收费没有法律依据" in refused.content.decode()
    assert public.post(NEW, FORM, REMOTE_ADDR="10.0.0.2").status_code == 302  # another address
    assert ReviewProposal.objects.count() == PROPOSALS.per_hour + 1


def test_a_contact_that_cannot_be_answered_is_refused_in_chinese(world, client_for):
    public = client_for("public")
    for contact, message in (
        ("12345", "请填写有效的电话号码或电子邮箱"),
        ("li@", "请填写有效的电子邮箱"),
        ("li@163.com", "邮箱@前面不足四个字符"),
    ):
        response = public.post(NEW, {**FORM, "contact": contact})
        assert response.status_code == 200 and message in response.content.decode()
    assert not ReviewProposal.objects.exists()
    assert public.post(NEW, {**FORM, "contact": "liujianhua@163.com"}).status_code == 302
    assert ReviewProposal.objects.get().contact == "liujianhua@163.com"


def test_the_receipt_is_shown_to_the_browser_that_sent_it_only(world, client_for):
    sender, other = client_for("public"), client_for("public")
    sender.post(NEW, FORM)
    receipt = ReviewProposal.objects.get().receipt
    assert receipt in sender.get("/filing/proposals/received/").content.decode()
    assert other.get("/filing/proposals/received/")["Location"] == NEW


def test_lookup_by_receipt_and_the_email_rule(world, client_for):
    by_mail = proposal(world, contact="liujianhua@163.com")
    by_phone = proposal(world)
    public = client_for("public")

    def look(receipt, tail):
        response = public.get(STATUS, {"receipt": receipt, "contact": tail})
        return response.status_code, 'data-testid="proposal-status"' in response.content.decode()

    assert look(by_mail.receipt, "nhua") == (200, True)
    assert look(by_mail.receipt.lower(), "NHUA") == (200, True)  # typed in lower case
    assert look(by_mail.receipt, "0163") == (200, False)  # digits of the domain are not the rule
    assert look(by_phone.receipt, "1234") == (200, True)
    assert look(by_phone.receipt, "nhua") == (200, False)  # another proposal's contact
    wrong = public.get(STATUS, {"receipt": "ZZZZZZZZZZ", "contact": "1234"}).content.decode()
    assert "查询码或联系方式不符" in wrong


def test_lookup_is_throttled_it_is_a_guessing_oracle(world, client_for):
    p = proposal(world)
    public = client_for("public")
    for n in range(PROPOSALS.lookups_per_hour):  # guessing receipts from one address
        guess = {"receipt": f"ZZZZZZZZ{n:02d}".replace("0", "A").replace("1", "B"), "contact": "1234"}
        assert public.get(STATUS, guess, REMOTE_ADDR="10.0.0.9").status_code == 200
    refused = public.get(STATUS, {"receipt": p.receipt, "contact": "1234"}, REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode()
    assert 'data-testid="proposal-status"' not in refused.content.decode()  # even the right answer waits
    ok = public.get(STATUS, {"receipt": p.receipt, "contact": "1234"}, REMOTE_ADDR="10.0.0.8")
    assert ok.status_code == 200 and 'data-testid="proposal-status"' in ok.content.decode()


def test_a_receipt_closes_after_a_few_wrong_contacts_from_any_address(world, client_for):
    """The contact's tail has 10,000 values: rotating addresses must not make it guessable."""
    p, other = proposal(world), proposal(world)
    public = client_for("public")
    for n in range(intake.WRONG_TAILS_PER_RECEIPT):
        wrong = {"receipt": p.receipt, "contact": f"{n:04d}"}
        assert public.get(STATUS, wrong, REMOTE_ADDR=f"10.1.0.{n + 1}").status_code == 200
    closed = public.get(STATUS, {"receipt": p.receipt, "contact": "1234"}, REMOTE_ADDR="10.1.9.9")
    assert closed.status_code == 429 and "错误尝试过多" in closed.content.decode()
    assert 'data-testid="proposal-status"' not in closed.content.decode()
    fine = public.get(STATUS, {"receipt": other.receipt, "contact": "1234"}, REMOTE_ADDR="10.1.9.9")
    assert 'data-testid="proposal-status"' in fine.content.decode()  # other receipts are not affected


def test_ipv6_clients_are_counted_by_their_64(world, client_for):
    public = client_for("public")
    for n in range(PROPOSALS.lookups_per_hour):
        guess = {"receipt": "ZZZZZZZZZZ", "contact": "1234"}
        assert public.get(STATUS, guess, REMOTE_ADDR=f"2001:db8:0:1::{n + 1:x}").status_code == 200
    rotated = public.get(STATUS, {"receipt": "ZZZZZZZZZZ", "contact": "1234"}, REMOTE_ADDR="2001:db8:0:1::ffff")
    assert rotated.status_code == 429
    neighbour = public.get(STATUS, {"receipt": "ZZZZZZZZZZ", "contact": "1234"}, REMOTE_ADDR="2001:db8:0:2::1")
    assert neighbour.status_code == 200  # another /64


def test_the_contact_is_for_staff_only(world, client_for):
    p = proposal(world)
    expected = {"admin": True, "staff": True, "director": False, "member": False, "county_staff": False}
    assert {role: allowed(world.users[role], "view_contact", p) for role in expected} == expected
    for role, shown in expected.items():
        response = client_for(role).get(f"/work/filing/proposals/{p.pk}/")
        if role == "county_staff":  # does not see the city's proposals at all
            assert response.status_code == 404
            continue
        # masked on the page; the full number on request, audited (test_personal_data)
        page = response.content.decode()
        assert response.status_code == 200 and ("139****1234" in page) is shown and "13904781234" not in page
    assert not allowed(None, "view_contact", p) and not allowed(world.users["deputy"], "view_contact", p)
