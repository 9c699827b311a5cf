"""The vote in the hall, in real browsers (issue 14, must show): the hall screen is open before
anything happens; the chair (staff) opens the vote on the console; three members vote on their
phones (390×844, separate contexts); the screen's count goes 0 → 3 without a reload (server-sent
events); the chair closes the vote, the screen shows the result, and the minutes downloaded from
the sitting page carry it. Screenshots hall01–hall05."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from factories import PASSWORD, add_voting_members, build_world
from renda.core import services as core_services
from renda.decisions import services as decisions
from renda.meetings import services as meetings
from renda.workflow.engine import perform

from ..test_minutes import docx_text
from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

TITLE = "关于加强生态环境保护的决议"


@pytest.fixture
def site(live_server, transactional_db, settings):
    settings.RENDA_LIVE_STREAM_SECONDS = 5  # streams end (and reconnect) quickly: the server stops fast
    world = build_world()
    staff = world.users["staff"]
    sitting = core_services.create_committee_meeting(world.admin, world.term, 22, timezone.localdate())  # held today
    add_voting_members(world, names=("赵委员", "钱委员", "孙委员"))
    item = decisions.create_resolution(
        staff, congress=world.city, title=TITLE, kind="resolution",
        subject="major_matter", proposer="主任会议", matter=None, draft="一、同意……",
    )  # fmt: skip
    perform(item, "schedule", staff, {"sitting": sitting.pk})
    meetings.add_item(sitting, item, "open_vote", world.admin)
    for person in meetings.roll(sitting):  # 4 members, all present
        meetings.record_attendance(sitting, person, "present", world.admin)
    return {"url": live_server.url, "sitting": sitting}


def test_the_hall_vote_from_console_to_screen(browser, site, shot):
    base, pk = site["url"], site["sitting"].pk
    # the hall screen, in its own context, before the vote
    screen_ctx = browser.new_context(viewport={"width": 1600, "height": 900}, locale="zh-CN")
    screen = screen_ctx.new_page()
    screen.goto(f"{base}/accounts/login/")
    screen.fill("#id_username", "member")
    screen.fill("#id_password", PASSWORD)
    screen.click("main button[type=submit], .login-wrap button[type=submit]")
    screen.wait_for_url(f"{base}/work/")
    screen.goto(f"{base}/work/meetings/{pk}/screen/")
    expect(screen.locator("[data-testid=screen-title]")).to_have_text("暂无表决事项")

    chair = login(browser, base, "staff")
    chair.goto(f"{base}/work/meetings/{pk}/console/")
    expect(chair.locator("[data-testid=quorum]")).to_contain_text("已达法定人数")
    chair.locator("[data-testid=console-item] select").select_option(label="无记名投票")
    chair.click("text=开始表决")
    expect(chair.locator("[data-testid=console-item] [data-field=state]")).to_have_text("表决中")
    expect(chair.locator("[data-testid=console-count]")).to_have_text("已投票0人 / 应投票4人")
    ballot_url = chair.locator("[data-testid=console-item] a", has_text="投票页面").get_attribute("href")

    # the screen picked up the opened vote by itself
    expect(screen.locator("[data-testid=screen-title]")).to_contain_text(TITLE, timeout=10000)
    expect(screen.locator("[data-testid=screen-count]")).to_have_text("0 / 4")

    for n, username in enumerate(("m0", "m1", "m2"), start=1):
        phone = login(browser, base, username, mobile=True)
        phone.goto(f"{base}/work/meetings/{pk}/")
        phone.click("[data-testid=my-votes] >> text=去投票")
        assert phone.url.endswith(ballot_url)
        phone.get_by_label("赞成", exact=True).check()
        if n == 1:
            assert_no_horizontal_overflow(phone)
            shot(phone, "hall03-member-phone-ballot")
        phone.click("main button[type=submit]")
        expect(phone.locator("main")).to_contain_text("投票成功")
        phone.context.close()
        # no reload: the count arrives on the open page
        expect(screen.locator("[data-testid=screen-count]")).to_have_text(f"{n} / 4", timeout=10000)
    expect(chair.locator("[data-testid=console-count]")).to_have_text("已投票3人 / 应投票4人", timeout=10000)
    shot(screen, "hall02-screen-counting")
    shot(chair, "hall01-console-open")
    assert "赞成" not in screen.locator("main").inner_text()  # a secret ballot: counts only while open

    chair.click("text=结束表决")
    expect(chair.locator("[data-testid=console-item] [data-field=state]")).to_have_text("表决已结束")
    expect(screen.locator("[data-testid=screen-state]")).to_have_text("表决已结束", timeout=10000)
    expect(screen.locator("[data-testid=screen-result]")).to_have_text(
        "赞成3票，反对0票，弃权0票；全体组成人员4人，通过。"
    )
    assert_cjk_renders(screen)
    shot(screen, "hall04-screen-result")
    shot(chair, "hall05-console-closed")
    # the result is in the minutes the chair downloads from the sitting page
    chair.goto(f"{base}/work/meetings/{pk}/")
    with chair.expect_download() as download:
        chair.click("text=会议纪要（Word）")
    text = docx_text(Path(download.value.path()).read_bytes())
    assert TITLE in text and "赞成3票，反对0票，弃权0票；全体组成人员4人，通过。" in text
    screen_ctx.close()
    chair.context.close()
