"""A sitting arranged in a real browser: staff put a scheduled resolution on the agenda from the
candidates, record the chair present (the quorum line turns to 过半数) and a deputy as 列席; a
member reads the sitting page on a phone without sideways scrolling. Screenshots mtg01–mtg03."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from factories import build_world
from renda.core import services as core_services
from renda.decisions import services as decisions
from renda.workflow.engine import perform

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    staff = world.users["staff"]
    sitting = core_services.create_committee_meeting(world.admin, world.term, 22, timezone.localdate() + timedelta(30))
    item = decisions.create_resolution(
        staff, congress=world.city, title="关于加强生态环境保护的决议", kind="resolution",
        subject="major_matter", proposer="主任会议", matter=None, draft="一、同意……",
    )  # fmt: skip
    perform(item, "schedule", staff, {"sitting": sitting.pk})
    return {"url": live_server.url, "sitting": sitting, "world": world}


def test_staff_arrange_a_sitting_and_a_member_reads_it(browser, site, shot):
    url = f"{site['url']}/work/meetings/{site['sitting'].pk}/"
    staff = login(browser, site["url"], "staff")
    staff.goto(f"{site['url']}/work/meetings/")
    staff.click("text=四届人大常委会第二十二次会议")
    expect(staff.locator("[data-testid=agenda]")).to_contain_text("尚未安排议程")
    staff.click("[data-testid=actions] >> text=列入议程")
    staff.select_option("#id_candidate", index=1)
    staff.click("main button[type=submit]")
    expect(staff.locator("[data-testid=agenda-item]")).to_contain_text("关于加强生态环境保护的决议")
    staff.click("[data-testid=actions] >> text=登记出席情况")
    staff.select_option("#id_person", label="周主任")
    staff.select_option("#id_status", label="出席")
    staff.click("main button[type=submit]")
    expect(staff.locator("[data-testid=quorum]")).to_contain_text("出席人数已过半数")
    staff.click("[data-testid=actions] >> text=登记列席人员")
    staff.get_by_label("王代表").check()
    staff.click("main button[type=submit]")
    expect(staff.locator("[data-testid=observers]")).to_contain_text("王代表")
    assert_cjk_renders(staff)
    shot(staff, "mtg01-staff-sitting")
    member = login(browser, site["url"], "member", mobile=True)
    member.goto(url)
    expect(member.locator("[data-testid=agenda]")).to_contain_text("关于加强生态环境保护的决议")
    assert_cjk_renders(member)
    assert_no_horizontal_overflow(member)
    shot(member, "mtg02-member-sitting-phone")
    member.goto(f"{site['url']}/work/meetings/")
    assert_no_horizontal_overflow(member)
    shot(member, "mtg03-member-list-phone")
