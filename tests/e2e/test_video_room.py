"""Two members meet in a sitting's video room: a Janus of the test's own on loopback
(tests/janus_server.py; skipped only where the binary is absent), a Chromium of the test's own
with a fake camera and microphone, two pages (members m0 and m1) join the room and each
receives the other's video with frames (videoWidth > 0 and the clock advancing, written into
the page by meetings/video.js); both are recorded present remotely (视频参会). Screenshots
vid01 (desktop), vid02 (phone)."""

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from factories import add_voting_members, build_world
from janus_server import ADMIN_KEY, running_janus
from renda.core import services as core_services
from renda.meetings.models import Attendance

from .conftest import ARGS, CHROMIUM, SCREENSHOTS
from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    "--allow-loopback-in-peer-connection",
]


@pytest.fixture
def janus(tmp_path):
    with running_janus(tmp_path) as url:
        with override_settings(RENDA_JANUS_URL=url, RENDA_JANUS_ADMIN_KEY=ADMIN_KEY):
            yield url


@pytest.fixture
def media_browser(browser):
    """A Chromium of its own (the session's has no fake media devices), launched by the session's
    Playwright: a second Playwright cannot start in the thread whose event loop runs the first,
    and the session fixture keeps DJANGO_ALLOW_ASYNC_UNSAFE set for as long as that loop runs."""
    b = browser.browser_type.launch(executable_path=CHROMIUM, args=ARGS + MEDIA_ARGS)
    yield b
    b.close()


def test_two_members_see_each_other(live_server, transactional_db, janus, media_browser):
    world = build_world()
    m0, m1 = add_voting_members(world)
    sitting = core_services.create_committee_meeting(world.admin, world.term, 24, timezone.localdate())
    url = f"{live_server.url}/work/meetings/{sitting.pk}/video/"
    pages = []
    for user, phone in ((m0, False), (m1, True)):  # the second member on a phone
        page = login(media_browser, live_server.url, user.username, mobile=phone)
        page.goto(url)
        expect(page.locator("[data-testid=video-status]")).to_have_text("已加入视频会议。", timeout=15_000)
        pages.append(page)
    for page, other in zip(pages, ("钱委员", "赵委员")):
        remote = page.locator("[data-testid=remote-video]")
        expect(remote).to_have_count(1, timeout=15_000)
        expect(remote).to_contain_text(other)
        # frames arrive: the page marks the tile once the video has a size and its clock moves
        expect(remote).to_have_attribute("data-playing", "yes", timeout=20_000)
        expect(page.locator("[data-testid=video-attendance]")).to_have_text("已登记视频参会（出席）。")
    assert_cjk_renders(pages[0])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages[0].screenshot(path=str(SCREENSHOTS / "vid01-video-room.png"), full_page=True)
    assert_no_horizontal_overflow(pages[1])
    pages[1].screenshot(path=str(SCREENSHOTS / "vid02-video-room-phone.png"), full_page=True)
    rows = Attendance.objects.filter(sitting=sitting)
    assert {(a.person_id, a.status, a.remote) for a in rows} == {
        (m0.person_id, Attendance.Status.PRESENT, True),
        (m1.person_id, Attendance.Status.PRESENT, True),
    }
    for page in pages:
        page.context.close()
