"""Deputies' activities and performance archive (issue 15 items 2 and 3): hand-recorded
activities confirmed by the staff, the archive merging them with the platform's Participation
rows (each with its trace), its constant query count, the Word export, who sees and edits
what, and the yearly scores with caps and deductions."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories import add_samples
from renda.core.models import PlenarySession
from renda.deputies import archive, services
from renda.deputies.models import Activity, ActivityEvidence
from renda.meetings.models import Attendance
from renda.workflow.participation import record_participants
from test_minutes import docx_text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def activity(world, *, deputy=None, kind="contact", on=date(2020, 6, 1), place="狼山镇新建村", people=20, confirm=True):
    deputy = deputy or world.deputy
    user = world.users["deputy" if deputy == world.deputy else "other_deputy"]
    a = services.record_activity(user, deputy, kind=kind, on=on, place=place, people_reached=people, note="宣传政策")
    if confirm:
        services.confirm_activity(world.users["staff"], a)
    return a


def session(world):
    return PlenarySession.objects.get(term=world.term)


def test_the_archive_merges_four_sources_and_a_hand_entry_with_their_traces(world):
    samples = add_samples(world).samples
    city = world.city.pk
    # what the modules record (suggestions, party trainings, meetings, supervision)
    record_participants(samples["suggestion"], [world.deputy], "author", on=date(2020, 5, 1))
    record_participants(samples["training"], [world.deputy], "trainee", on=date(2020, 5, 2))
    record_participants(samples["sitting"], [world.deputy], "observer", on=date(2020, 5, 3), congress_id=city)
    inspection = samples["supervision_inspection"]
    record_participants(inspection, [world.deputy], "inspector", on=date(2020, 5, 4), congress_id=city)
    hand = activity(world)
    pending = activity(world, place="未确认的走访", kind="visit", confirm=False)

    arch = archive.archive(world.deputy, 2020)
    kinds = {e.kind for e in arch.entries}
    assert {"author", "trainee", "observer", "inspector", "contact"} <= kinds
    traces = {e.kind: e.url for e in arch.entries}
    assert traces["author"] == samples["suggestion"].get_absolute_url()
    assert traces["trainee"] == samples["training"].get_absolute_url()
    assert traces["inspector"] == inspection.get_absolute_url()
    # (the samples' contact record, 双联系, is a 联系群众 entry too)
    assert hand.get_absolute_url() in {e.url for e in arch.entries if e.kind == "contact"}
    assert any(e.kind == "observer" and e.title for e in arch.entries)
    # unconfirmed entries do not count
    assert pending.place not in " ".join(e.title for e in arch.entries)
    assert arch.by_year[2020]["contact"] == 2 and arch.by_year[2020]["visit"] == 0
    # the other deputy's archive has none of them
    assert not [e for e in archive.archive(world.other_deputy, 2020).entries if e.kind == "contact"]


def test_the_archive_page_and_its_word_export(world, client_for):
    add_samples(world)
    record_participants(session(world), [world.deputy], "deputy", on=date(2020, 5, 9), congress_id=world.city.pk)
    hand = activity(world, place="五原县隆兴昌镇代表联络站", kind="station")
    c = client_for("deputy")
    page = c.get(reverse("deputies:archive", args=[world.deputy.pk]) + "?year=2020")
    assert page.status_code == 200
    html = page.content.decode()
    assert "五原县隆兴昌镇代表联络站" in html and hand.get_absolute_url() in html and "进站履职" in html
    response = c.get(reverse("deputies:archive_docx", args=[world.deputy.pk]) + "?year=2020")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = docx_text(response.content)
    assert "王代表代表履职档案" in text and "五原县隆兴昌镇代表联络站" in text
    assert "关于" in text  # the sample suggestion the deputy leads (a Participation 领衔提出)
    assert hand.get_absolute_url() in text  # the trace
    # another deputy and a member do not find it
    for role in ("other_deputy", "member", "unit"):
        assert client_for(role).get(reverse("deputies:archive", args=[world.deputy.pk])).status_code == 404
    assert client_for("staff").get(reverse("deputies:archive_docx", args=[world.deputy.pk])).status_code == 200


def test_the_archive_page_issues_the_same_queries_for_one_or_many_activities(world, client_for):
    c = client_for("deputy")
    url = reverse("deputies:archive", args=[world.deputy.pk])
    record_participants(session(world), [world.deputy], "deputy", on=date(2020, 5, 9), congress_id=world.city.pk)
    activity(world)
    c.get(url)  # warm the per-process lookups

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(25):
        activity(world, on=date(2019 + i % 2, 1 + i % 12, 1 + i), place=f"走访点{i}", kind="visit")
    record_participants(session(world), [world.other_deputy], "deputy", on=date(2020, 5, 9), congress_id=world.city.pk)
    many = count()
    assert many == one
    assert c.get(url).content.decode().count('data-testid="archive-entry"') == 27


def test_a_deputy_records_sees_and_edits_only_their_own_entries(world, client_for, media):
    c = client_for("deputy")
    form = {"kind": "contact", "on": "2020-07-01", "place": "狼山镇富强村", "people_reached": "35", "note": "收集意见"}
    files = {"files": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")]}
    response = c.post(reverse("deputies:activity_create"), form | files)
    assert response.status_code == 302
    mine = Activity.objects.get(place="狼山镇富强村")
    assert mine.deputy == world.deputy and mine.state == Activity.State.PENDING and mine.people_reached == 35
    evidence = ActivityEvidence.objects.get(activity=mine)
    assert c.get(evidence.download_url).status_code == 200
    assert client_for("other_deputy").get(evidence.download_url).status_code == 404
    assert "狼山镇富强村" in c.get(reverse("deputies:activities")).content.decode()
    other = client_for("other_deputy")
    assert "狼山镇富强村" not in other.get(reverse("deputies:activities")).content.decode()
    assert other.get(reverse("deputies:activity", args=[mine.pk])).status_code == 404
    edit = reverse("deputies:activity_edit", args=[mine.pk])
    assert other.post(edit, form | {"place": "篡改"}).status_code == 404
    # bad input: a Chinese error, what was typed is kept
    bad = c.post(edit, form | {"people_reached": "-3", "place": "狼山镇富强村二组"})
    assert bad.status_code == 200
    assert "联系群众人数须为0或正整数" in bad.content.decode() and "狼山镇富强村二组" in bad.content.decode()
    future = c.post(reverse("deputies:activity_create"), form | {"on": "2999-01-01"})
    assert "活动日期不能晚于今天" in future.content.decode()
    assert c.post(edit, form | {"place": "狼山镇富强村二组"}).status_code == 302
    # returned: editable again, back to 待确认 once changed
    staff = client_for("staff")
    review = reverse("deputies:activity_review", args=[mine.pk])
    assert staff.post(review, {"decision": "return", "reason": ""}).status_code == 302
    assert Activity.objects.get(pk=mine.pk).state == Activity.State.PENDING  # a reason is required
    staff.post(review, {"decision": "return", "reason": "请补充签到表"})
    mine.refresh_from_db()
    assert mine.state == Activity.State.RETURNED and mine.return_reason == "请补充签到表"
    assert c.post(edit, form | {"place": "狼山镇富强村三组"}).status_code == 302
    mine.refresh_from_db()
    assert mine.state == Activity.State.PENDING and mine.place == "狼山镇富强村三组"
    # the queue lists it; confirmed, it is no longer editable
    assert "狼山镇富强村三组" in staff.get(reverse("deputies:queue")).content.decode()
    assert client_for("director").post(review, {"decision": "confirm"}).status_code == 403
    assert staff.post(review, {"decision": "confirm", "next": "queue"}).status_code == 302
    mine.refresh_from_db()
    assert mine.state == Activity.State.CONFIRMED and mine.reviewed_by == world.users["staff"]
    assert c.get(edit).status_code == 403
    assert c.post(edit, form | {"place": "改了"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_activity(world.users["deputy"], mine, place="改了")
    with pytest.raises(ValidationError):
        services.confirm_activity(world.users["staff"], mine)  # not 待确认 any more


def test_scores_honour_points_caps_and_deductions(world, settings, django_assert_max_num_queries):
    settings.RENDA_DEPUTY_SCORING = {
        "points": {"contact": 2, "visit": 3, "deputy": 4},
        "caps": {"contact": 6},
        "absence": 3,
    }
    for i in range(5):  # 10 points, capped at 6
        activity(world, on=date(2020, 3, 1 + i))
    activity(world, kind="visit", confirm=False)  # unconfirmed: no points
    activity(world, kind="visit", on=date(2019, 3, 1))  # another year
    record_participants(session(world), [world.deputy], "deputy", on=date(2020, 5, 9), congress_id=world.city.pk)
    activity(world, deputy=world.other_deputy, kind="visit", on=date(2020, 4, 1))
    Attendance.objects.create(session=session(world), person=world.deputy.person, status=Attendance.Status.ABSENT)
    with django_assert_max_num_queries(5):
        ranking = archive.scores(world.city, 2020)
    by_deputy = {s.deputy: s for s in ranking}
    mine = by_deputy[world.deputy]
    assert mine.counts["contact"] == 5 and mine.points["contact"] == 6
    assert "visit" not in mine.counts
    assert mine.points["deputy"] == 4 and mine.absences == 1 and mine.deduction == 3
    assert mine.total == 6 + 4 - 3
    assert by_deputy[world.other_deputy].total == 3
    assert ranking[0].deputy == world.deputy and ranking[0].rank == 1
    assert world.ended_deputy not in by_deputy  # ended in 2019
    # constant queries: many more activities, the same count
    for i in range(20):
        activity(world, deputy=world.other_deputy, kind="research", on=date(2020, 6, 1 + i))
    with django_assert_max_num_queries(5):
        archive.scores(world.city, 2020)


def test_the_evaluation_page_ranks_the_deputies(world, client_for):
    activity(world)
    page = client_for("staff").get(reverse("deputies:evaluation") + "?year=2020")
    assert page.status_code == 200
    html = page.content.decode()
    assert "王代表" in html and "李代表" in html and html.index("王代表") < html.index("李代表")
    assert client_for("deputy").get(reverse("deputies:evaluation")).status_code == 403


def test_the_public_summary_shows_counts_and_no_personal_data(world, client):
    services_activity = activity(world, place="张大爷家（13912345678）")
    record_participants(session(world), [world.deputy], "deputy", on=date(2020, 5, 9), congress_id=world.city.pk)
    page = client.get(reverse("deputies_public:archive", args=[world.deputy.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "王代表代表履职情况" in html and "联系群众" in html and "2020年" in html
    assert "张大爷" not in html and "13912345678" not in html and "13900000001" not in html  # the deputy's mobile
    assert services_activity.get_absolute_url() not in html and "宣传政策" not in html
    assert client.get(reverse("deputies_public:archive", args=[world.ended_deputy.pk])).status_code == 404


def test_the_own_list_and_the_queue_cost_the_same_queries_for_one_or_many(world, client_for):
    pages = [(client_for("deputy"), reverse("deputies:activities")), (client_for("staff"), reverse("deputies:queue"))]
    activity(world, confirm=False)

    def counts():
        found = []
        for c, url in pages:
            c.get(url)  # warm the per-process lookups
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    one = counts()
    for i in range(15):
        activity(world, on=date(2020, 2, 1 + i), place=f"待确认{i}", confirm=False)
    assert counts() == one
