"""The meetings foundation (issue 14 items 1–2): the manifests' sitting transitions, agenda
candidates (scoped, constant queries per case type), adding / reordering / removing items,
materials and the late flag (RENDA_MEETING_MATERIALS_DAYS), attendance with leave and its
approval, the quorum (APP-3: more than half of all serving members present), observers (列席)
as Participation rows, the pages and the list's constant queries."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from factories import add_decision_samples, add_meeting_samples
from renda.core import services as core_services
from renda.meetings import services
from renda.meetings.models import AgendaItem, Attendance
from renda.workflow import documents
from renda.workflow.models import Participation
from renda.workflow.participation import participations

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    """The city's sitting of 2020-10-09 with the resolution samples and the meeting samples."""
    world.samples["sitting"] = core_services.create_committee_meeting(world.admin, world.term, 23, date(2020, 10, 9))
    add_decision_samples(world)
    add_meeting_samples(world)
    return world


def _keys(cands):
    return {(c.case_type.key, c.case.pk, c.transition.key) for c in cands}


def test_manifests_declare_the_sitting_transitions(world):
    names = {f"{ct.key}.{t.key}" for ct, t in services.sitting_transitions()}
    assert {"bill.read", "bill.open_vote", "work_report.deliberate", "appointment_batch.open_votes"} <= names
    assert "resolution.open_vote" in names


def test_candidates_are_in_a_state_allowing_the_act_and_scoped(world, django_assert_max_num_queries):
    sitting = world.samples["sitting"]
    types = {ct.key for ct, _ in services.sitting_transitions()}
    with django_assert_max_num_queries(len(types) + 3):
        cands = services.agenda_candidates(sitting, world.users["staff"])
    assert cands
    for c in cands:
        assert c.case.state in c.transition.sources
        assert c.case.congress_id == sitting.term.congress_id
    # the sample item is on the agenda already: not offered again for the same act
    item = world.samples["meeting_item"]
    assert (item.case_type, item.object_id, item.transition) not in _keys(cands)
    assert services.agenda_candidates(sitting, world.users["deputy"]) == []
    assert services.agenda_candidates(sitting, world.users["county_staff"]) == []


def _resolution_candidate(world):
    sitting = world.samples["sitting"]
    return next(c for c in services.agenda_candidates(sitting, world.admin) if c.case_type.key == "resolution")


def test_add_reorder_remove(world):
    sitting, admin = world.samples["sitting"], world.admin
    first = world.samples["meeting_item"]
    c = _resolution_candidate(world)
    item = services.add_item(sitting, c.case, c.transition.key, admin)
    assert item.order == 2 and item.materials_due == sitting.start_date - timedelta(days=7)
    assert item.title.endswith(c.case.title)
    with pytest.raises(ValidationError):  # not twice for the same act
        services.add_item(sitting, c.case, c.transition.key, admin)
    services.move_item(item, -1)
    assert list(AgendaItem.objects.filter(sitting=sitting).order_by("order").values_list("pk", flat=True)) == [
        item.pk,
        first.pk,
    ]
    services.remove_item(item)
    first.refresh_from_db()
    assert first.order == 1 and AgendaItem.objects.filter(sitting=sitting).count() == 1


def test_a_case_in_another_state_is_refused(world):
    sitting = world.samples["sitting"]
    drafting = world.samples["resolution_drafting"]
    with pytest.raises(ValidationError):
        services.add_item(sitting, drafting, "open_vote", world.admin)


@pytest.mark.parametrize("days_after_due, late", [(-1, False), (0, False), (1, True)])
def test_materials_and_late_flag(world, days_after_due, late):
    sitting = world.samples["sitting"]
    c = _resolution_candidate(world)
    item = services.add_item(sitting, c.case, c.transition.key, world.admin)
    at = timezone.make_aware(datetime.combine(item.materials_due + timedelta(days=days_after_due), datetime.min.time()))
    at += timedelta(hours=15)
    upload = SimpleUploadedFile("草案.txt", "第一条　样例。".encode(), content_type="text/plain")
    documents.add_version(c.case, "draft", upload, world.admin, at=at)
    row = next(r for r in services.agenda(sitting, world.users["director"]) if r.item.pk == item.pk)
    assert row.materials and row.materials[0].uploaded_at == at
    assert row.late is late
    assert row.url == c.case_type.url(c.case)


def test_agenda_rows_hide_cases_the_user_does_not_see(world):
    rows = services.agenda(world.samples["sitting"], world.users["county_staff"])
    assert rows and all(r.case is None and r.url == "" and r.materials == [] for r in rows)


def test_attendance_leave_and_quorum(world, settings):
    sitting, staff = world.samples["sitting"], world.users["staff"]
    chair = world.member.person  # the roll: 周主任 alone
    q = services.quorum(sitting)
    assert (q.members, q.present, q.on_leave, q.met) == (1, 0, 1, False)
    leave = world.samples["meeting_leave"]
    services.approve_leave(leave, staff)
    leave.refresh_from_db()
    assert leave.status == Attendance.Status.ON_LEAVE and leave.leave_approved_by == staff
    with pytest.raises(ValidationError):
        services.approve_leave(leave, staff)
    services.record_attendance(sitting, chair, "present", staff)
    q = services.quorum(sitting)
    assert (q.present, q.needed, q.met) == (1, 1, True)
    with pytest.raises(ValidationError, match="事由"):
        services.record_attendance(sitting, chair, "on_leave", staff)
    with pytest.raises(ValidationError, match="组成人员"):
        services.record_attendance(sitting, world.deputy.person, "present", staff)


def test_quorum_is_a_majority_of_all_members(world):
    from factories import person
    from renda.core.models import CommitteeMember, Role

    sitting, admin = world.samples["sitting"], world.admin
    people = [world.member.person]
    for n in range(3):  # four members in all: three present make a quorum, two do not
        p = person(admin, f"委员{n}")
        core_services.create_committee_member(
            admin, term=world.term, person=p, position=CommitteeMember.Position.MEMBER, start_date=date(2017, 1, 6)
        )
        core_services.create_account(
            admin, username=f"wy{n}", password="x-Pass-2020!", display_name=p.name, person=p,
            roles=[dict(role=Role.MEMBER, congress=world.city)],
        )  # fmt: skip
        people.append(p)
    for p in people[:2]:
        services.record_attendance(sitting, p, "present", admin)
    assert not services.quorum(sitting).met
    services.record_attendance(sitting, people[2], "present", admin)
    assert services.quorum(sitting).met


def test_observers_count_in_the_deputy_archive(world):
    sitting = world.samples["sitting"]
    rows = services.add_observers(sitting, [world.deputy])
    assert len(rows) == 1 and rows[0].capacity == Participation.Capacity.OBSERVER
    assert services.add_observers(sitting, [world.deputy]) == []  # once
    assert participations(world.deputy, capacity="observer").filter(object_id=sitting.pk).exists()


# ---------------------------------------------------------------- pages


def test_sitting_page(world, client_for):
    sitting = world.samples["sitting"]
    url = reverse("meetings:sitting", args=[sitting.pk])
    page = client_for("director").get(url).content.decode()
    assert world.samples["meeting_item"].title in page and "出席人数未过半数" in page
    assert "列入议程" not in page  # directors read
    assert "批准请假" in client_for("staff").get(url).content.decode()
    assert client_for("deputy").get(url).status_code == 404
    assert client_for("unit").get(url).status_code == 404


def test_staff_forms(world, client_for):
    sitting, staff = world.samples["sitting"], client_for("staff")
    add = reverse("meetings:add_item", args=[sitting.pk])
    assert "请选择要列入议程的事项" in staff.post(add, {"candidate": "", "title": "议题甲"}).content.decode()
    c = _resolution_candidate(world)
    assert staff.post(add, {"candidate": c.value, "title": "审议样例决议"}).status_code == 302
    assert AgendaItem.objects.filter(sitting=sitting, title="审议样例决议").exists()
    attend = reverse("meetings:attendance", args=[sitting.pk])
    chair = world.member.person
    r = staff.post(attend, {"person": chair.pk, "status": "on_leave", "reason": ""})
    assert r.status_code == 422 and "请假须填写事由" in r.content.decode()
    assert staff.post(attend, {"person": chair.pk, "status": "present"}).status_code == 302
    assert services.quorum(sitting).met
    obs = reverse("meetings:observers", args=[sitting.pk])
    assert staff.post(obs, {}).status_code == 422
    assert staff.post(obs, {"deputies": [world.deputy.pk]}).status_code == 302
    assert [p.person for p in services.observers(sitting)] == [world.deputy.person]
    item = world.samples["meeting_item"]
    assert staff.post(reverse("meetings:move_item", args=[sitting.pk, item.pk, "down"])).status_code == 302
    item.refresh_from_db()
    assert item.order == 2
    assert staff.post(reverse("meetings:remove_item", args=[sitting.pk, item.pk])).status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert client_for("director").post(attend, {"person": chair.pk, "status": "absent"}).status_code == 403


def test_list_constant_queries(world, client_for, django_assert_max_num_queries):
    staff = client_for("staff")
    with django_assert_max_num_queries(40) as few:
        assert staff.get(reverse("meetings:index")).status_code == 200
    for n in range(30, 45):
        core_services.create_committee_meeting(world.admin, world.term, n, date(2020, 11, 1) + timedelta(days=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = staff.get(reverse("meetings:index")).content.decode()
    assert "第四十四次会议" in page
    assert client_for("deputy").get(reverse("meetings:index")).status_code == 404


def test_sitting_page_constant_queries(world, client_for, django_assert_max_num_queries):
    sitting, staff = world.samples["sitting"], client_for("staff")
    url = reverse("meetings:sitting", args=[sitting.pk])
    with django_assert_max_num_queries(60) as few:
        assert staff.get(url).status_code == 200
    for c in services.agenda_candidates(sitting, world.admin):
        services.add_item(sitting, c.case, c.transition.key, world.admin)
    services.add_observers(sitting, [world.deputy, world.other_deputy])
    assert AgendaItem.objects.filter(sitting=sitting).count() > 1
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = staff.get(url).content.decode()
    assert page.count('data-testid="agenda-item"') == AgendaItem.objects.filter(sitting=sitting).count()
