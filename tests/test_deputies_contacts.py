"""Double contact (双联系, issue 15 item 4, with its metrics and demo): members' visits to
deputies and deputies' contacts with constituents — validation in Chinese, the atomic register
with every bad row reported, who sees and edits what (the constituent's phone only to the
deputy and the staff), a matter raised turned into a suggestion with the trace both ways,
the archive and the metrics following a new contact, constant queries on the list."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from renda.deputies import archive, contacts, demo_contacts
from renda.deputies.models import ContactRecord
from renda.reports.metrics import Period, Scope, compute
from renda.suggestions.models import Suggestion
from renda.workflow.links import links_of
from renda.workflow.models import Participation

ON = date(2020, 6, 1)


def constituents(world, *, by="deputy", deputy=None, **extra):
    fields = dict(
        kind="constituents",
        deputy=deputy or world.deputy,
        on=ON,
        place="狼山镇新建村",
        way="forum",
        people_reached=15,
        matters="灌溉渠渗漏严重。",
    )
    return contacts.record_contact(world.users[by], **(fields | extra))


def visit(world, *, by="director", deputy=None, **extra):
    fields = dict(kind="member_visit", deputy=deputy or world.deputy, on=ON, place="临河区新华街", way="visit")
    return contacts.record_contact(world.users[by], **(fields | extra))


def year(world, lower=False):
    return Scope(world.city, Period.year(2020), include_lower=lower)


def test_validation_in_chinese(world):
    with pytest.raises(ValidationError) as exc:
        constituents(world, place=" ", people_reached=0, way="fax", on=date(2099, 1, 1))
    errors = exc.value.message_dict
    assert errors["place"] == ["请填写联系地点。"]
    assert errors["people_reached"] == ["联系人数须为正整数（至少1人）。"]
    assert "联系方式" in errors["way"][0]
    assert errors["on"] == ["联系日期不能晚于今天。"]
    with pytest.raises(ValidationError) as exc:
        constituents(world, on=date(2016, 1, 1))  # before the mandate
    assert exc.value.message_dict["on"] == ["联系日期须在该代表的任期之内。"]
    with pytest.raises(ValidationError) as exc:
        visit(world, people_reached=3)
    assert "人数应为1" in exc.value.message_dict["people_reached"][0]
    assert not ContactRecord.objects.filter(place="狼山镇新建村", people_reached=15).exists()


def test_who_records_what(world):
    # a deputy records only their own constituent contacts
    with pytest.raises(PermissionDenied):
        constituents(world, by="other_deputy")
    # a deputy does not record a member's visit; a member records their own; the member's
    # seat is found from their person
    with pytest.raises(PermissionDenied):
        visit(world, by="deputy")
    v = visit(world)
    assert v.member == world.member and v.recorded_by == world.users["director"]
    # the staff record either (a station's register)
    assert constituents(world, by="staff").recorded_by == world.users["staff"]
    # a unit records nothing
    with pytest.raises(PermissionDenied):
        constituents(world, by="unit")


def test_the_register_is_atomic_and_reports_every_bad_row(world):
    good = dict(kind="constituents", deputy=world.deputy, on=ON, place="新建村", way="visit", people_reached=3)
    rows = [
        good,
        good | {"place": ""},
        good,
        good | {"people_reached": -2, "way": "telegram"},
        good | {"deputy": world.ended_deputy, "on": date(2020, 3, 1)},
        good | {"deputy": world.deputy.pk},  # an id, not a mandate
        good | {"colour": "red"},
    ]
    before = ContactRecord.objects.count()
    with pytest.raises(ValidationError) as exc:
        contacts.record_contacts(world.users["staff"], rows)
    messages = exc.value.messages
    assert [m.split("：")[0] for m in messages] == ["第2行", "第4行", "第5行", "第6行", "第7行"]
    assert messages[3:] == ["第6行：栏目不正确。", "第7行：栏目不正确。"]
    assert "请填写联系地点" in messages[0]
    assert "至少1人" in messages[1] and "联系方式" in messages[1]
    assert "任期之内" in messages[2]
    assert ContactRecord.objects.count() == before  # nothing saved
    # a deputy's own register: another deputy's row is refused by row
    with pytest.raises(ValidationError) as exc:
        contacts.record_contacts(world.users["deputy"], [good, good | {"deputy": world.other_deputy}])
    assert exc.value.messages == ["第2行：您只能登记本人联系群众的情况。"]
    saved = contacts.record_contacts(world.users["staff"], [good, good | {"people_reached": 7}])
    assert [r.people_reached for r in saved] == [3, 7]
    # each with its participation for the deputy
    assert Participation.objects.filter(object_id__in=[r.pk for r in saved], capacity="contact").count() == 2


def test_a_deputy_sees_and_edits_only_their_own(world, client_for):
    mine = constituents(world, constituent="王大爷 13912345678")
    theirs = constituents(world, by="other_deputy", deputy=world.other_deputy, place="隆兴昌镇")
    c = client_for("deputy")
    page = c.get(reverse("deputies:contacts")).content.decode()
    assert "狼山镇新建村" in page and "隆兴昌镇" not in page
    assert c.get(reverse("deputies:contact", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("deputies:contact_edit", args=[theirs.pk])).status_code == 404
    # the phone form: a few fields; bad input keeps what was typed
    url = reverse("deputies:contact_edit", args=[mine.pk])
    bad = c.post(url, {"on": "2020-06-01", "place": "新的地点", "way": "visit", "people_reached": "0"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "新的地点" in body and ("至少1人" in body or "大于或等于" in body)
    ok = c.post(url, {"on": "2020-06-03", "place": "狼山镇联丰村", "way": "visit", "people_reached": "4"})
    assert ok.status_code == 302
    mine.refresh_from_db()
    assert (mine.place, mine.people_reached) == ("狼山镇联丰村", 4)
    p = Participation.objects.get(object_id=mine.pk, capacity="contact")
    assert p.on == date(2020, 6, 3) and "联丰村" in p.label
    # the other deputy cannot change it through the service either
    with pytest.raises(PermissionDenied):
        contacts.update_contact(world.users["other_deputy"], mine, place="x")
    # a new contact from the phone form
    created = c.post(
        reverse("deputies:contact_create"),
        {"on": "2020-07-01", "place": "狼山镇胜利村", "way": "phone", "people_reached": "1", "matters": "路灯坏了"},
    )
    assert created.status_code == 302
    assert ContactRecord.objects.filter(place="狼山镇胜利村", deputy=world.deputy, kind="constituents").exists()


def test_a_member_records_a_visit_picking_the_deputy(world, client_for):
    c = client_for("director")
    form = c.get(reverse("deputies:contact_create") + "?kind=member_visit").content.decode()
    assert "走访的代表" in form and "群众联系方式" not in form
    r = c.post(
        reverse("deputies:contact_create") + "?kind=member_visit",
        {"deputy": world.other_deputy.pk, "on": "2020-05-20", "place": "临河区", "way": "forum", "matters": "x"},
    )
    assert r.status_code == 302
    v = ContactRecord.objects.get(kind="member_visit", deputy=world.other_deputy)
    assert v.member == world.member and v.people_reached == 1
    # the visited deputy sees it (in their archive too), but cannot edit it
    assert client_for("other_deputy").get(reverse("deputies:contact", args=[v.pk])).status_code == 200
    assert client_for("other_deputy").get(reverse("deputies:contact_edit", args=[v.pk])).status_code == 403
    assert [e.kind for e in archive.archive(world.other_deputy, 2020).entries] == ["visited"]
    # another member does not see it
    assert client_for("member").get(reverse("deputies:contact", args=[v.pk])).status_code == 404


def test_the_constituents_phone_only_to_the_deputy_and_the_staff(world, client_for):
    record = constituents(world, constituent="王大爷 13912345678")
    url = reverse("deputies:contact", args=[record.pk])
    for role in ("deputy", "staff", "admin"):
        assert "13912345678" in client_for(role).get(url).content.decode(), role
        assert "13912345678" in client_for(role).get(reverse("deputies:contacts")).content.decode(), role
    director = client_for("director").get(url).content.decode()
    assert "13912345678" not in director and "139****5678" in director
    assert "13912345678" not in client_for("director").get(reverse("deputies:contacts")).content.decode()
    # the audit log keeps no value of it
    from renda.core.models import AuditEntry

    assert "13912345678" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_a_matter_raised_becomes_a_suggestion_with_the_trace_both_ways(world, client_for):
    record = constituents(world, matters="村里的灌溉渠年久失修，春灌时渗漏严重。\n希望列入明年的水利项目。")
    # only the deputy
    assert client_for("staff").post(reverse("deputies:contact_suggest", args=[record.pk])).status_code == 403
    r = client_for("deputy").post(reverse("deputies:contact_suggest", args=[record.pk]))
    draft = Suggestion.objects.get(lead_deputy=world.deputy, title__startswith="村里的灌溉渠")
    assert r.status_code == 302 and r["Location"] == reverse("suggestions:edit", args=[draft.pk])
    assert draft.state == "draft" and "希望列入明年的水利项目" in draft.content and "狼山镇新建村" in draft.content
    # the trace: the record 引出 the draft, the draft 源于 the record
    (out,) = links_of(record, world.users["deputy"])
    assert out.outgoing and out.other == draft and out.phrase == "引出…"
    (back,) = links_of(draft, world.users["deputy"])
    assert not back.outgoing and back.other == record and back.phrase == "源于…"
    page = client_for("deputy").get(reverse("deputies:contact", args=[record.pk])).content.decode()
    assert draft.get_absolute_url() in page
    # nothing raised, nothing to suggest
    empty = constituents(world, matters="")
    with pytest.raises(ValidationError):
        contacts.suggest_from(world.users["deputy"], empty)


def test_the_archive_and_the_metrics_follow_a_new_contact(world):
    people = compute("deputies.constituent_contacts", year(world)).value or 0
    visits = compute("deputies.member_visits", year(world)).value
    record = constituents(world, people_reached=23)
    assert compute("deputies.constituent_contacts", year(world)).value == people + 23
    visit(world)
    assert compute("deputies.member_visits", year(world)).value == visits + 1
    # another year, another congress: not counted
    constituents(world, on=date(2019, 12, 31), people_reached=5)
    assert compute("deputies.constituent_contacts", year(world)).value == people + 23
    county = contacts.record_contact(
        world.users["admin"],
        kind="constituents",
        deputy=world.county_deputy,
        on=ON,
        place="乡里",
        way="visit",
        people_reached=4,
    )
    assert county.congress == world.county_a
    assert compute("deputies.constituent_contacts", year(world)).value == people + 23
    assert compute("deputies.constituent_contacts", year(world, lower=True)).value == people + 27
    # the summary's sentence follows (its figure is the metric's value)
    from renda.reports.summary import build, to_markdown

    text = to_markdown(build(world.city, 2020))
    assert f"基层代表联系群众{people + 23}人次" in text and f"联系走访代表{visits + 1}人次" in text
    # the archive picks the contact up as a participation, with its trace
    entries = [e for e in archive.archive(world.deputy, 2020).entries if e.kind == "contact"]
    assert record.get_absolute_url() in [e.url for e in entries]


def test_inspection_participations_count_deputies_only(world):
    from factories import add_samples
    from renda.workflow.participation import record_participants

    inspection = add_samples(world).samples["supervision_inspection"]
    before = compute("deputies.inspection_participations", year(world)).value
    # an invited deputy counts (capacity 代表, as supervision's team effect records them); a
    # committee member on the team (检查组成员) does not
    record_participants(inspection, [world.deputy], "deputy", on=ON, congress_id=world.city.pk)
    record_participants(inspection, [world.member.person], "inspector", on=ON, congress_id=world.city.pk)
    assert compute("deputies.inspection_participations", year(world)).value == before + 1


def test_the_list_issues_the_same_queries_for_few_or_many(world, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    visit(world)
    constituents(world, constituent="13900000000")
    c = client_for("staff")
    url = reverse("deputies:contacts")
    c.get(url)  # warm the session and caches
    connection.queries_log.clear()  # a full log (maxlen) would capture nothing
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    few = len(few.captured_queries)  # (a view of the log: read it before the log is cleared)
    rows = [
        dict(kind="constituents", deputy=d, on=ON, place=f"村{i}", way="visit", people_reached=2, constituent="139")
        for i, d in enumerate([world.deputy, world.other_deputy] * 30)
    ]
    contacts.record_contacts(world.users["staff"], rows)
    assert few > 3
    connection.queries_log.clear()
    with django_assert_max_num_queries(few):
        assert c.get(url).status_code == 200
    deputy = client_for("deputy")
    deputy.get(url)
    connection.queries_log.clear()
    with django_assert_max_num_queries(few):
        assert deputy.get(url).status_code == 200


def test_the_demo_on_a_small_world(world):
    from renda.core.models import Deputy

    ctx = SimpleNamespace(
        admin=world.admin,
        refs={"city": world.city, "members": [world.member], "counties": {"A": world.county_a}},
    )
    demo_contacts.MEMBER_VISITS, demo_contacts.CITY_PEOPLE, demo_contacts.COUNTY_PEOPLE = 12, 300, 40
    try:
        demo_contacts.build(ctx)
    finally:
        demo_contacts.MEMBER_VISITS, demo_contacts.CITY_PEOPLE, demo_contacts.COUNTY_PEOPLE = 806, 15_648, 9_000
    assert compute("deputies.member_visits", year(world)).value == 12
    assert compute("deputies.constituent_contacts", year(world)).value == 300
    assert compute("deputies.constituent_contacts", year(world, lower=True)).value == 340
    # the member never visits themselves; every record has its participation
    assert not ContactRecord.objects.filter(kind="member_visit", deputy__person=world.member.person).exists()
    assert Participation.objects.filter(capacity__in=["contact", "visited"]).count() == ContactRecord.objects.count()
    assert Deputy.objects.filter(contact_records__isnull=False).distinct().count() >= 2
