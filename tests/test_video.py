"""Video conferencing through Janus (issue 14 item 5): the embedded default without Janus says
so plainly; only the sitting's participants (members on the roll, staff of the congress,
列席 observers) get the page and a token, the others 403 and no token; with a real Janus on
loopback (tests/janus_server.py; skipped only where the binary is absent) the room is created
private with pin and token list, the participant's token joins and another is refused; the
page's report of joining records the member present remotely (视频参会)."""

import json
import secrets
import urllib.request
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from factories import add_voting_members
from janus_server import ADMIN_KEY, running_janus
from renda.core import clock
from renda.core import services as core_services
from renda.meetings import services, video
from renda.meetings.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    world.samples["sitting"] = core_services.create_committee_meeting(world.admin, world.term, 23, date(2020, 10, 9))
    world.users["m0"], world.users["m1"] = add_voting_members(world)
    return world


@pytest.fixture
def janus(tmp_path):
    with running_janus(tmp_path) as url:
        with override_settings(RENDA_JANUS_URL=url, RENDA_JANUS_PUBLIC_URL="", RENDA_JANUS_ADMIN_KEY=ADMIN_KEY):
            yield url


def _directive(response, name):
    return next(d.strip() for d in response["Content-Security-Policy"].split(";") if d.strip().startswith(name))


def _page(client, user, sitting):
    client.force_login(user)
    return client.get(reverse("meetings:video", args=[sitting.pk]))


def test_without_janus_the_page_says_so_plainly(client, world):
    sitting = world.samples["sitting"]
    response = _page(client, world.users["m0"], sitting)
    assert response.status_code == 200
    text = response.content.decode()
    assert "视频会议服务未配置" in text
    assert "data-token" not in text and "janus.js" not in text
    # no page gains camera, microphone or another origin while video is off
    assert "camera=()" in response["Permissions-Policy"]
    assert _directive(response, "connect-src") == "connect-src 'self'"
    sitting_page = client.get(reverse("meetings:sitting", args=[sitting.pk])).content.decode()
    assert reverse("meetings:video", args=[sitting.pk]) in sitting_page


def test_who_takes_part(world):
    sitting = world.samples["sitting"]
    users = world.users
    assert video.participant(sitting, users["m0"]) == "member"
    assert video.participant(sitting, users["director"]) == "member"  # 周主任 is on the roll
    assert video.participant(sitting, users["staff"]) == "staff"
    assert video.participant(sitting, users["admin"]) == "staff"
    for key in ("member", "deputy", "county_staff", "unit", "noroles"):  # a member role without a seat
        assert video.participant(sitting, users[key]) == "", key
    services.add_observers(sitting, [world.deputy])
    assert video.participant(sitting, users["deputy"]) == "observer"
    assert video.participant(sitting, users["other_deputy"]) == ""


def _exists(url, room):
    with video.JanusClient(url) as client:
        return client.request({"request": "exists", "room": room})["exists"]


def test_non_participants_get_no_token(client, world, janus):
    """403 for one who reads the sitting (a member without a seat in it), 404 for the others."""
    sitting = world.samples["sitting"]
    for key, status in (("member", 403), ("deputy", 404), ("county_staff", 404), ("noroles", 404)):
        response = _page(client, world.users[key], sitting)
        assert response.status_code == status, key
        assert b"data-token" not in response.content
        joined = client.post(reverse("meetings:video_joined", args=[sitting.pk]))
        assert joined.status_code == status
    assert video.admit(sitting, world.users["member"]) is None
    # nobody admitted: Janus was not even asked for a room
    assert not _exists(janus, video.room_of(sitting).id)
    assert Attendance.objects.count() == 0


def _join(url, room, pin, token):
    """Join the room as a publisher over the HTTP API (no media): the VideoRoom's answer."""
    api = video.JanusClient(url)
    with api:
        api._post(
            f"/{api.session}/{api.handle}",
            {
                "janus": "message",
                "body": {"request": "join", "ptype": "publisher", "room": room, "pin": pin, "token": token},
            },
        )
        for _ in range(10):  # long poll the session's events until the plugin's answer
            with urllib.request.urlopen(f"{url}/{api.session}?maxev=5", timeout=35) as r:
                events = json.load(r)
            for event in events if isinstance(events, list) else [events]:
                data = event.get("plugindata", {}).get("data")
                if data:
                    return data
    raise AssertionError("no answer from the VideoRoom")


def test_a_participant_gets_a_private_room_and_a_token_that_joins(client, world, janus):
    sitting = world.samples["sitting"]
    response = _page(client, world.users["m0"], sitting)
    assert response.status_code == 200
    room = video.room_of(sitting)
    token = video.token_of(sitting, world.users["m0"])
    text = response.content.decode()
    assert f'data-room="{room.id}"' in text and f'data-token="{token}"' in text and f'data-pin="{room.pin}"' in text
    assert room.secret not in text  # the room's secret never leaves the server
    assert "meetings/vendor/janus/janus.js" in text and "<script>" not in text
    # this page alone may use the camera and the microphone and reach Janus
    assert "camera=(self)" in response["Permissions-Policy"] and "microphone=(self)" in response["Permissions-Policy"]
    assert _directive(response, "connect-src") == f"connect-src 'self' {janus.removesuffix('/janus')}"

    with video.JanusClient(janus) as api:
        rooms = {r["room"]: r for r in api.request({"request": "list"})["list"]}
    assert rooms[room.id]["is_private"] and rooms[room.id]["pin_required"]  # listed only to the admin key
    assert _exists(janus, room.id)
    # the token joins with the pin; a made-up token, or the pin missing, does not
    assert _join(janus, room.id, room.pin, token)["videoroom"] == "joined"
    refused = _join(janus, room.id, room.pin, secrets.token_hex(16))
    assert refused["videoroom"] == "event" and refused["error_code"] == 433  # unauthorized
    assert _join(janus, room.id, "", token)["error_code"] == 433
    # a second participant gets a token of their own that joins too
    assert _page(client, world.users["staff"], sitting).status_code == 200
    assert _join(janus, room.id, room.pin, video.token_of(sitting, world.users["staff"]))["videoroom"] == "joined"
    # only Renda, with the room's secret, destroys it
    video.close_room(sitting)
    assert not _exists(janus, room.id)


def test_an_observer_is_admitted(client, world, janus):
    sitting = world.samples["sitting"]
    services.add_observers(sitting, [world.deputy])
    response = _page(client, world.users["deputy"], sitting)
    assert response.status_code == 200 and b"data-token" in response.content
    # 列席 is not on the roll: joining records no attendance
    assert client.post(reverse("meetings:video_joined", args=[sitting.pk])).json() == {"recorded": False, "status": ""}
    assert Attendance.objects.count() == 0


def test_unreachable_janus_is_said_not_crashed(client, world):
    sitting = world.samples["sitting"]
    with override_settings(RENDA_JANUS_URL="http://127.0.0.1:9/janus"):
        response = _page(client, world.users["m0"], sitting)
    assert response.status_code == 200
    assert "无法连接视频会议服务" in response.content.decode()


@pytest.fixture
def sitting_day(settings):
    """The sitting's day (2020-10-09) as today, with a Janus configured (not reached here)."""
    settings.RENDA_JANUS_URL = "http://127.0.0.1:9/janus"
    with clock.dated(clock.on(date(2020, 10, 9))):
        yield


def test_joining_is_refused_without_video_or_outside_the_sitting(client, world, settings):
    sitting = world.samples["sitting"]
    url = reverse("meetings:video_joined", args=[sitting.pk])
    client.force_login(world.users["m0"])
    settings.RENDA_JANUS_URL = ""
    with clock.dated(clock.on(date(2020, 10, 9))):
        r = client.post(url)
    assert r.status_code == 409 and "未配置" in r.json()["error"]
    settings.RENDA_JANUS_URL = "http://127.0.0.1:9/janus"
    r = client.post(url)  # today is not the sitting's day
    assert r.status_code == 409 and "不在今天举行" in r.json()["error"]
    assert Attendance.objects.count() == 0


def test_joining_keeps_what_the_staff_recorded(client, world, sitting_day):
    sitting = world.samples["sitting"]
    m0 = world.users["m0"]
    services.record_attendance(sitting, m0.person, Attendance.Status.ABSENT, world.users["staff"])
    client.force_login(m0)
    assert client.post(reverse("meetings:video_joined", args=[sitting.pk])).json()["status"] == "缺席"
    row = Attendance.objects.get(sitting=sitting, person=m0.person)
    assert row.status == Attendance.Status.ABSENT and not row.remote


def test_joining_records_the_member_present_remotely(client, world, sitting_day):
    sitting = world.samples["sitting"]
    url = reverse("meetings:video_joined", args=[sitting.pk])
    m0, m1 = world.users["m0"], world.users["m1"]
    services.request_leave(sitting, m1.person, "出差", m1)
    client.force_login(m0)
    assert client.get(url).status_code == 405
    assert client.post(url).json() == {"recorded": True, "status": "出席"}
    client.force_login(m1)
    client.post(url)
    rows = {a.person_id: a for a in Attendance.objects.filter(sitting=sitting)}
    assert len(rows) == 2
    assert rows[m0.person_id].status == rows[m1.person_id].status == Attendance.Status.PRESENT
    assert rows[m0.person_id].remote and rows[m1.person_id].remote and rows[m1.person_id].leave_reason == ""
    assert services.quorum(sitting).present == 2
    # a member recorded present in the hall stays so when they also open the video
    director = world.users["director"]
    services.record_attendance(sitting, director.person, Attendance.Status.PRESENT, world.users["staff"])
    client.force_login(director)
    client.post(url)
    assert not Attendance.objects.get(sitting=sitting, person=director.person).remote
    # staff are not on the roll: nothing recorded
    client.force_login(world.users["staff"])
    assert client.post(url).json()["recorded"] is False
    assert Attendance.objects.filter(sitting=sitting).count() == 3
    client.force_login(world.users["staff"])
    page = client.get(reverse("meetings:sitting", args=[sitting.pk])).content.decode()
    assert page.count("（视频参会）") == 2
