"""The plenary session (人民代表大会会议) as a sitting (issue 14): agenda items of a session
(an item belongs to exactly one sitting or session: the check constraint), candidates from
the manifests' `plenary_transitions`, the deputies' attendance and the quorum (two thirds of
all the serving deputies), the session page and the sittings list showing all three kinds."""

import dataclasses
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from factories import add_decision_samples
from renda.core import services as core_services
from renda.core.models import PlenarySession
from renda.meetings import services
from renda.meetings.models import AgendaItem, Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    world.samples["sitting"] = core_services.create_committee_meeting(world.admin, world.term, 23, date(2020, 10, 9))
    add_decision_samples(world)
    world.samples["session"] = PlenarySession.objects.get(term=world.term, number=3)
    return world


@pytest.fixture
def plenary_resolutions(monkeypatch):
    """The decisions module declaring `resolution.open_vote` a plenary act (no module does yet:
    the livelihood projects module will declare its ballot so)."""
    cfg = apps.get_app_config("decisions")
    monkeypatch.setattr(
        cfg, "manifest", dataclasses.replace(cfg.manifest, plenary_transitions=["resolution.open_vote"])
    )
    services.manifests.cache_clear()
    yield
    services.manifests.cache_clear()


def test_no_module_declares_a_plenary_act_yet(world):
    assert services.plenary_transitions() == []
    assert services.agenda_candidates(world.samples["session"], world.admin) == []


def test_session_agenda(world, plenary_resolutions):
    session, admin = world.samples["session"], world.admin
    cands = services.agenda_candidates(session, admin)
    assert cands and {c.transition.key for c in cands} == {"open_vote"}
    assert services.agenda_candidates(session, world.users["county_staff"]) == []
    first = services.add_item(session, cands[0].case, "open_vote", admin)
    assert first.session == session and first.sitting is None and first.order == 1
    assert first.materials_due == date(2020, 5, 2)
    # a committee sitting's agenda is apart: its numbering and its candidates
    sitting = world.samples["sitting"]
    assert cands[0].case not in [c.case for c in services.agenda_candidates(session, admin)]
    rows = services.agenda(session, world.users["director"])
    assert [r.item for r in rows] == [first] and rows[0].case == cands[0].case
    assert services.agenda(sitting, admin) == []
    if len(cands) > 1:
        second = services.add_item(session, cands[1].case, "open_vote", admin)
        services.move_item(second, -1)
        first.refresh_from_db()
        assert first.order == 2
        services.remove_item(second)
        first.refresh_from_db()
        assert first.order == 1


def test_an_item_belongs_to_exactly_one_sitting(world, plenary_resolutions):
    session, admin = world.samples["session"], world.admin
    sitting = world.samples["sitting"]
    item = services.add_item(session, services.agenda_candidates(session, admin)[0].case, "open_vote", admin)
    for sitting_value, session_value in ((sitting, session), (None, None)):
        item.pk, item.sitting, item.session = None, sitting_value, session_value
        with pytest.raises(IntegrityError), transaction.atomic():
            item.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(sitting=sitting, session=session, person=world.deputy.person, status="present")


def test_plenary_quorum_is_two_thirds_of_all_deputies(world):
    session, staff = world.samples["session"], world.users["staff"]
    q = services.plenary_quorum(session)
    # the serving deputies of the term: 王代表 and 李代表 (赵代表's mandate ended)
    assert (q.members, q.needed, q.met) == (2, 2, False)
    services.record_attendance(session, world.deputy.person, "present", staff)
    assert services.plenary_quorum(session).present == 1 and not services.plenary_quorum(session).met
    services.record_attendance(session, world.other_deputy.person, "present", staff)
    assert services.plenary_quorum(session).met
    with pytest.raises(Exception, match="不是本届在任"):
        services.record_attendance(session, world.ended_deputy.person, "present", staff)
    with pytest.raises(Exception, match="不是本届在任"):
        services.record_attendance(session, world.member.person, "present", staff)
    # two thirds or more (以上 counts the bound): 20 of 30 make it, 19 do not
    assert services.PlenaryQuorum(30, 20, 0, 0, 10).met and not services.PlenaryQuorum(30, 19, 0, 0, 11).met
    assert services.PlenaryQuorum(30, 0, 0, 0, 30).needed == 20 and services.PlenaryQuorum(4, 0, 0, 0, 4).needed == 3
    assert Attendance.objects.filter(session=session).count() == 2


def test_session_pages(world, client_for, plenary_resolutions):
    session = world.samples["session"]
    url = reverse("meetings:session", args=[session.pk])
    page = client_for("director").get(url).content.decode()
    assert "大会议程" in page and "出席代表不足三分之二" in page and "列入议程" not in page
    for key in ("deputy", "unit", "county_staff"):
        assert client_for(key).get(url).status_code == 404, key
    staff = client_for("staff")
    add = reverse("meetings:session_add_item", args=[session.pk])
    assert staff.post(add, {"candidate": ""}).status_code == 422
    value = services.agenda_candidates(session, world.admin)[0].value
    assert staff.post(add, {"candidate": value, "title": "大会表决样例"}).status_code == 302
    assert AgendaItem.objects.get(session=session).title == "大会表决样例"
    attend = reverse("meetings:session_attendance", args=[session.pk])
    assert staff.post(attend, {"person": world.deputy.person.pk, "status": "present"}).status_code == 302
    assert (
        client_for("director").post(attend, {"person": world.deputy.person.pk, "status": "absent"}).status_code == 403
    )
    assert "大会表决样例" in staff.get(url).content.decode()
    index = staff.get(reverse("meetings:index")).content.decode()
    assert url in index and "三次会议" in index
