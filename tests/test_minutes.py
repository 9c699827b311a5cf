"""会议纪要 and 出席情况表 of a sitting (issue 14 item 6): content from the records (members,
counts, the tally text of closed ballots, per-person votes of named ballots only, 表决进行中,
审议), Word and PDF, who may download them, constant queries whatever the agenda's length."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from factories import add_decision_samples, add_meeting_samples, add_voting_members
from renda.ballots import motions
from renda.ballots import services as ballot_services
from renda.ballots.models import Ballot
from renda.core import services as core_services
from renda.meetings import minutes, services
from renda.workflow.engine import perform

pytestmark = pytest.mark.django_db
DAY = date(2020, 10, 9)


@pytest.fixture
def world(world):
    world.samples["sitting"] = core_services.create_committee_meeting(world.admin, world.term, 23, DAY)
    add_decision_samples(world)
    add_meeting_samples(world)
    add_voting_members(world)  # 赵委员 (m0), 钱委员 (m1): three members on the roll with 周主任
    return world


def _vote(world, case, kind, choices):
    """Open a motion on `case` at the sitting, each voter's choice from `choices` (name → label), close it."""
    staff = world.users["staff"]
    perform(case, "open_vote", staff, {"kind": kind}, today=DAY)
    ballot = motions.ballots_about(case).get(state="open")
    for voter in ballot.voters.select_related("user", "person"):
        if voter.person.name in choices:
            option = ballot.options.get(label=choices[voter.person.name])
            ballot_services.cast(ballot, voter.user, [option], idempotency_key=f"t-{ballot.pk}-{voter.pk}")
    perform(case, "close_vote", staff, {}, today=DAY)
    return Ballot.objects.get(pk=ballot.pk)


def _resolution(world, n):
    from renda.decisions import services as decisions

    staff = world.users["staff"]
    case = decisions.create_resolution(
        staff, congress=world.city, title=f"关于第{n}件事项的决议", kind="resolution", subject="major_matter",
        proposer="主任会议", draft="一、同意……",
    )  # fmt: skip
    perform(case, "schedule", staff, {"sitting": world.samples["sitting"].pk}, today=DAY)
    services.add_item(world.samples["sitting"], case, "open_vote", world.admin)
    return case


@pytest.fixture
def sitting(world):
    """Attendance first (a vote opens only with quorum): 周主任 on leave, 赵委员 and 钱委员 present;
    item 1 (resolution_scheduled): a named ballot, closed; item 2 (resolution_withdrawable): a
    secret ballot, closed; an observer."""
    s, staff = world.samples["sitting"], world.users["staff"]
    services.approve_leave(world.samples["meeting_leave"], staff)
    people = {p.name: p for p in services.roll(s)}
    services.record_attendance(s, people["赵委员"], "present", staff)
    services.record_attendance(s, people["钱委员"], "present", staff)
    named = world.samples["resolution_scheduled"]
    secret = world.samples["resolution_withdrawable"]
    services.add_item(s, secret, "open_vote", world.admin)
    world.samples["named_ballot"] = _vote(world, named, "named", {"赵委员": "赞成", "钱委员": "赞成"})
    world.samples["secret_ballot"] = _vote(world, secret, "secret", {"赵委员": "反对", "钱委员": "弃权"})
    services.add_observers(s, [world.deputy])
    return s


def docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += ["\t".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _flat(text: str) -> str:
    return "".join(text.split())  # PDF text breaks lines anywhere


def test_minutes_say_what_the_records_say(world, sitting):
    m = minutes.minutes(sitting, world.users["director"])
    named, secret = world.samples["named_ballot"], world.samples["secret_ballot"]
    named_text = ballot_services.tally(named).outcome.text
    secret_text = ballot_services.tally(secret).outcome.text
    assert named_text.startswith("赞成2票，反对0票，弃权0票") and named_text.endswith("，通过。")
    assert secret_text.startswith("赞成0票，反对1票，弃权1票") and secret_text.endswith("未通过。")
    text = docx_text(minutes.minutes_docx(m))
    assert f"巴彦淖尔市{sitting.label}纪要" in text and "2020年10月9日" in text
    assert "常委会组成人员3人，出席2人，请假1人，缺席0人。出席人数已过半数，符合法定人数。" in text
    assert "出席（2人）：赵委员、钱委员。" in text
    assert "请假（1人）：周主任（公务出差）。" in text
    assert "缺席（0人）：无。" in text
    assert "列席（1人）：王代表（代表）。" in text
    assert [i.order for i in m.items] == [1, 2]
    assert world.samples["resolution_scheduled"].title in text and "交付表决" in text
    assert text.count(named_text) == 1 and text.count(secret_text) == 1
    # the named ballot: who voted how; the secret one: nobody's choice
    assert "记名表决情况：周主任：未投票；赵委员：赞成；钱委员：赞成。" in text
    assert text.count("记名表决情况") == 1
    assert "赵委员：反对" not in text and "钱委员：弃权" not in text
    secret_item = next(i for i in m.items if i.case_title == world.samples["resolution_withdrawable"].title)
    assert secret_item.votes[0].named == []
    with pytest.raises(Exception, match="无记名"):
        ballot_services.named_votes_of([secret])

    pdf = _flat(pdf_text(minutes.minutes_pdf(m)))
    for s in ("赵委员", "周主任", "钱委员", "出席2人", "请假1人", "缺席0人", _flat(named_text), _flat(secret_text)):
        assert s in pdf, s
    assert "赵委员：反对" not in pdf


def test_open_ballot_and_deliberation_only(world):
    s, staff = world.samples["sitting"], world.users["staff"]
    before = docx_text(minutes.minutes_docx(minutes.minutes(s, staff)))
    assert "未登记（2人）：赵委员、钱委员。" in before  # no record: not counted as absent
    for person in services.roll(s)[1:]:
        services.record_attendance(s, person, "present", staff)
    perform(world.samples["resolution_scheduled"], "open_vote", staff, {"kind": "named"}, today=DAY)
    services.add_item(s, world.samples["resolution_withdrawable"], "open_vote", world.admin)
    m = minutes.minutes(s, staff)
    assert [v.text for v in m.items[0].votes] == ["表决进行中。"] and m.items[0].votes[0].named == []
    assert m.items[1].deliberated_only
    text = docx_text(minutes.minutes_docx(m))
    assert "表决进行中。" in text and "审议。" in text


def test_attendance_sheet(world, sitting):
    sheet = minutes.attendance_sheet(sitting)
    assert [(m.name, m.status, m.reason) for m in sheet.members] == [
        ("周主任", "请假", "公务出差"),
        ("赵委员", "出席", ""),
        ("钱委员", "出席", ""),
    ]
    text = docx_text(minutes.sheet_docx(sheet))
    assert "周主任\t请假\t公务出差" in text and "赵委员\t出席\t—" in text and "钱委员\t出席\t—" in text
    assert "1\t王代表\t人大代表" in text
    pdf = _flat(pdf_text(minutes.sheet_pdf(sheet)))
    for s in ("出席情况表", "周主任请假公务出差", "赵委员出席", "钱委员出席", "王代表人大代表"):
        assert s in pdf, s


def test_downloads_and_who_may(world, sitting, client_for):
    director = client_for("director")
    for name, start, kind in (
        ("minutes_docx", b"PK", "wordprocessingml"),
        ("minutes_pdf", b"%PDF", "pdf"),
        ("attendance_docx", b"PK", "wordprocessingml"),
        ("attendance_pdf", b"%PDF", "pdf"),
    ):
        url = reverse(f"meetings:{name}", args=[sitting.pk])
        r = director.get(url)
        assert r.status_code == 200 and r.content.startswith(start) and kind in r["Content-Type"]
        assert "attachment" in r["Content-Disposition"] and r["Cache-Control"] == "private, no-store"
        for other in ("county_staff", "unit", "deputy"):  # another congress, a unit, a deputy
            assert client_for(other).get(url).status_code == 404
        assert client_for("public").get(url).status_code == 302
        assert director.post(url).status_code == 405
    page = director.get(reverse("meetings:sitting", args=[sitting.pk])).content.decode()
    assert reverse("meetings:minutes_pdf", args=[sitting.pk]) in page


def test_constant_queries(world, sitting, django_assert_max_num_queries):
    user = world.users["director"]
    assert len(minutes.minutes(sitting, user).items) == 2
    with django_assert_max_num_queries(100) as few:
        minutes.minutes_docx(minutes.minutes(sitting, user))
    for n in range(4):  # four more items, each with a closed named ballot
        case = _resolution(world, n)
        _vote(world, case, "named", {"赵委员": "赞成", "钱委员": "弃权"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        m = minutes.minutes(sitting, user)
        text = docx_text(minutes.minutes_docx(m))
    assert len(m.items) == 6 and text.count("记名表决情况") == 5
