"""Group deliberation (分组审议, issue 14): groups of a standing committee sitting (each person
in at most one), speeches recorded by the staff or by the speaker (their own only),
circulation (印发) to the sitting's people only, each speaker counted as a Participation 发言
on the sitting, and the compiled speeches page in constant queries."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from factories import add_decision_samples, add_meeting_samples, add_voting_members
from renda.core import services as core_services
from renda.core.scoping import visible
from renda.meetings import groups
from renda.meetings import services as meetings
from renda.meetings.models import GroupMember, Speech
from renda.workflow.models import Participation
from renda.workflow.participation import participations

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    """The city's sitting of 2020-10-09 with its agenda sample, two more members (accounts m0,
    m1) and the deputy 王代表 observing (列席)."""
    world.samples["sitting"] = core_services.create_committee_meeting(world.admin, world.term, 23, date(2020, 10, 9))
    add_decision_samples(world)
    add_meeting_samples(world)
    world.samples.pop("meeting_group").delete()  # these tests set up their own groups
    for i, user in enumerate(add_voting_members(world)):
        world.users[f"m{i}"] = user
    meetings.add_observers(world.samples["sitting"], [world.deputy])
    return world


def _person(world, key):
    return world.users[key].person


def test_people_are_the_roll_and_the_observers(world):
    sitting = world.samples["sitting"]
    found = {p.person.name: p for p in groups.people(sitting)}
    assert set(found) == {"周主任", "赵委员", "钱委员", "王代表"}
    assert found["王代表"].observer and found["王代表"].deputy == world.deputy
    assert not found["周主任"].observer


def test_groups_each_person_in_one(world):
    sitting, staff = world.samples["sitting"], world.users["staff"]
    chair, m0, m1 = world.member.person, _person(world, "m0"), _person(world, "m1")
    first = groups.create_group(sitting, "第一组", staff, convener=chair)
    second = groups.create_group(sitting, "第二组", staff)
    groups.set_members(first, [chair, m0], staff, convener=chair)
    with pytest.raises(ValidationError, match="已分在其他小组"):
        groups.set_members(second, [m0, m1], staff)
    with pytest.raises(ValidationError, match="不是本次会议"):
        groups.set_members(second, [world.other_deputy.person], staff)
    with pytest.raises(ValidationError, match="已有"):
        groups.create_group(sitting, "第一组", staff)
    with pytest.raises(ValidationError, match="工作人员"):
        groups.create_group(sitting, "第三组", world.users["director"])
    groups.set_members(second, [m1, world.deputy.person], staff)
    rows = groups.groups(sitting)
    assert [(r.group.name, {p.name for p in r.members}) for r in rows] == [
        ("第一组", {"周主任", "赵委员"}),
        ("第二组", {"钱委员", "王代表"}),
    ]
    # moving a person: out of the first group, then into the second
    groups.set_members(first, [chair], staff, convener=chair)
    groups.set_members(second, [m0, m1, world.deputy.person], staff)
    assert GroupMember.objects.filter(sitting=sitting).count() == 4
    # the database keeps the rule too
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMember.objects.create(sitting=sitting, group=first, person=m1)


def test_a_member_records_only_their_own_speech(world):
    sitting = world.samples["sitting"]
    m0, m1 = _person(world, "m0"), _person(world, "m1")
    group = groups.create_group(sitting, "第一组", world.users["staff"])
    groups.set_members(group, [m0, m1], world.users["staff"])
    own = groups.record_speech(sitting, m0, "赞成草案。", world.users["m0"])
    assert own.group == group and own.recorded_by == world.users["m0"] and own.deputy is None
    with pytest.raises(ValidationError, match="本人"):
        groups.record_speech(sitting, m1, "代人发言。", world.users["m0"])
    with pytest.raises(ValidationError, match="不是本次会议"):
        groups.record_speech(sitting, world.other_deputy.person, "未列席。", world.users["staff"])
    with pytest.raises(ValidationError, match="发言内容"):
        groups.record_speech(sitting, m1, "  ", world.users["staff"])
    deputy_speech = groups.record_speech(sitting, world.deputy.person, "建议加强监督。", world.users["deputy"])
    assert deputy_speech.deputy == world.deputy
    # a member files their speech in their own group only; the staff may file it anywhere
    other = groups.create_group(sitting, "第二组", world.users["staff"])
    with pytest.raises(ValidationError, match="只能记录在本组"):
        groups.record_speech(sitting, m0, "记在别组。", world.users["m0"], group=other)
    assert groups.record_speech(sitting, m0, "补记。", world.users["staff"], group=other).group == other
    with pytest.raises(ValidationError, match="不能超过"):
        groups.record_speech(sitting, m0, "长" * (groups.SPEECH_MAX + 1), world.users["m0"])


def _speak(world):
    sitting, staff = world.samples["sitting"], world.users["staff"]
    item = world.samples["meeting_item"]
    group = groups.create_group(sitting, "第一组", staff)
    groups.set_members(group, [_person(world, "m0"), world.deputy.person], staff)
    groups.record_speech(sitting, _person(world, "m0"), "同意该议题。", staff, item=item)
    groups.record_speech(sitting, world.deputy.person, "建议修改第三条。", staff, item=item)
    groups.record_speech(sitting, _person(world, "m1"), "另有意见。", world.users["m1"])
    return sitting


def test_circulation_reaches_the_sittings_people_only(world):
    sitting = _speak(world)
    # before: the staff see all; a member their own speech only; a deputy not observing none
    assert visible(world.users["staff"], Speech).count() == 3
    assert [s.text for s in visible(world.users["m1"], Speech)] == ["另有意见。"]
    assert groups.circulate(sitting, world.users["staff"]) == 3
    with pytest.raises(ValidationError, match="没有待印发"):
        groups.circulate(sitting, world.users["staff"])
    for key in ("m0", "m1", "director", "deputy"):  # members and the observing deputy
        assert visible(world.users[key], Speech).count() == 3, key
    for key in ("other_deputy", "county_staff", "unit", "member", "public"):
        user = world.users.get(key)
        assert visible(user, Speech).count() == 0, key
    with pytest.raises(ValidationError):
        groups.circulate(sitting, world.users["director"])


def test_circulation_counts_each_speaker_in_the_archive(world):
    sitting = _speak(world)
    groups.circulate(sitting, world.users["staff"])
    rows = Participation.objects.filter(object_id=sitting.pk, capacity=Participation.Capacity.SPEAKER)
    assert {r.person.name for r in rows} == {"赵委员", "钱委员", "王代表"}
    assert participations(world.deputy, capacity="speaker").filter(object_id=sitting.pk).count() == 1
    # a speech recorded later and circulated again: its speaker counted once, the others not twice
    groups.record_speech(sitting, world.deputy.person, "补充意见。", world.users["deputy"])
    assert groups.circulate(sitting, world.users["staff"]) == 1
    assert rows.count() == 3


# ---------------------------------------------------------------- pages


def test_pages_permissions(world, client_for):
    sitting = _speak(world)
    page_url = reverse("meetings:groups", args=[sitting.pk])
    compiled_url = reverse("meetings:speeches", args=[sitting.pk])
    staff_page = client_for("staff").get(page_url).content.decode()
    assert "设立审议小组" in staff_page and "待印发" in staff_page and "另有意见" in staff_page
    m0_page = client_for("m0").get(page_url).content.decode()
    assert "同意该议题" in m0_page and "另有意见" not in m0_page and "设立审议小组" not in m0_page
    for key in ("other_deputy", "county_staff", "unit", "member"):
        assert client_for(key).get(page_url).status_code == 404, key
        assert client_for(key).get(compiled_url).status_code == 404, key
    assert client_for("public").get(compiled_url).status_code == 302  # to sign-in
    # the observing deputy reads the compiled speeches once circulated
    deputy = client_for("deputy")
    assert "建议修改第三条" not in deputy.get(compiled_url).content.decode()
    assert client_for("m0").post(reverse("meetings:circulate", args=[sitting.pk])).status_code == 403
    assert client_for("staff").post(reverse("meetings:circulate", args=[sitting.pk])).status_code == 302
    page = deputy.get(compiled_url).content.decode()
    assert "建议修改第三条" in page and "另有意见" in page and "第一组" in page
    directors = core_services.create_committee_meeting(
        world.admin, world.term, 5, date(2020, 10, 1), kind="directors_meeting"
    )
    assert client_for("staff").get(reverse("meetings:groups", args=[directors.pk])).status_code == 404


def test_speech_form(world, client_for):
    sitting = world.samples["sitting"]
    url = reverse("meetings:add_speech", args=[sitting.pk])
    m0, m1 = client_for("m0"), _person(world, "m1")
    r = m0.post(url, {"speaker": m1.pk, "text": "代人发言"})
    assert r.status_code == 422 and "代人发言" in r.content.decode()  # not among the choices, input kept
    assert not Speech.objects.exists()
    r = m0.post(url, {"speaker": _person(world, "m0").pk, "text": ""})
    assert r.status_code == 422 and "请填写发言内容" in r.content.decode()
    item = world.samples["meeting_item"]
    r = m0.post(url, {"speaker": _person(world, "m0").pk, "item": item.pk, "text": "赞成。"})
    assert r.status_code == 302
    assert Speech.objects.get().item == item
    staff = client_for("staff")
    assert staff.post(url, {"speaker": m1.pk, "text": "工作人员代记"}).status_code == 302
    assert Speech.objects.filter(speaker=m1, recorded_by=world.users["staff"]).exists()
    # groups by form
    r = staff.post(reverse("meetings:add_group", args=[sitting.pk]), {"name": "第一组", "convener": m1.pk})
    assert r.status_code == 302
    group = sitting.deliberation_groups.get()
    members_url = reverse("meetings:group_members", args=[sitting.pk, group.pk])
    r = staff.post(members_url, {"members": [m1.pk, _person(world, "m0").pk], "convener": m1.pk})
    assert r.status_code == 302 and GroupMember.objects.filter(group=group).count() == 2
    second = groups.create_group(sitting, "第二组", world.users["staff"])
    r = staff.post(reverse("meetings:group_members", args=[sitting.pk, second.pk]), {"members": [m1.pk]})
    assert r.status_code == 422 and "已分在其他小组" in r.content.decode()
    assert client_for("m0").get(members_url).status_code == 403


def test_compiled_page_constant_queries(world, client_for, django_assert_max_num_queries):
    sitting = _speak(world)
    groups.circulate(sitting, world.users["staff"])
    url = reverse("meetings:speeches", args=[sitting.pk])
    deputy = client_for("deputy")
    with django_assert_max_num_queries(60) as few:
        assert deputy.get(url).status_code == 200
    second = groups.create_group(sitting, "第二组", world.users["staff"])
    groups.set_members(second, [_person(world, "m1"), world.member.person], world.users["staff"])
    for n in range(10):
        groups.record_speech(sitting, world.member.person, f"意见{n}。", world.users["staff"], item=None)
        groups.record_speech(
            sitting, _person(world, "m1"), f"补充{n}。", world.users["staff"], item=world.samples["meeting_item"]
        )
    groups.circulate(sitting, world.users["staff"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = deputy.get(url).content.decode()
    assert page.count('data-testid="speech"') == Speech.objects.filter(sitting=sitting).count() == 23
