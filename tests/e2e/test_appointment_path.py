"""An appointment walked in a real browser: the nominating unit creates a 任免案 and a nomination,
the staff schedule and submit it, the nominee takes the law exam on a phone and passes, the staff
open the vote, two members vote on the ballot page (one on a phone), the staff close it, publish
the 任免名单 and record the oath with its form; the public finds the appointee on the 任免名单."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from factories import PASSWORD, add_voting_members, build_world
from renda.appointments import services
from renda.appointments.models import AppointmentBatch
from renda.core import services as core_services

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

TITLE = "市人民政府市长关于提请任免的议案"
NAME = "王拟任"
BANK = [
    ("宪法", "中华人民共和国的一切权力属于谁？", ["人民", "国家机关"], "人民"),
    ("地方组织法", "常委会会议由谁召集？", ["主任", "秘书长"], "主任"),
    ("监督法", "执法检查结束后执法检查组应当提出什么？", ["执法检查报告", "决议草案"], "执法检查报告"),
]


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    admin, staff = world.admin, world.users["staff"]
    core_services.create_committee_meeting(admin, world.term, 21, timezone.localdate() + timedelta(days=45))
    add_voting_members(world)
    for category, stem, options, right in BANK:
        services.add_question(
            staff, world.city, category=category, stem=stem, options=options, answers=[options.index(right)]
        )
    return live_server.url, world


def act(page, label, select=None):
    """Click the batch page's button `label`, fill its form, confirm."""
    page.click(f"[data-testid=actions] >> text={label}")
    for selector, value in (select or {}).items():
        page.select_option(selector, index=value)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_from_nomination_to_the_public_list(browser, site, shot):
    url, world = site

    # the nominating unit drafts the batch and names the nominee
    unit = login(browser, url, "unit")
    unit.goto(f"{url}/work/appointments/")
    unit.click("text=新建任免案")
    unit.fill("#id_title", TITLE)
    unit.select_option("#id_nominator", label="市长")
    shot(unit, "app01-unit-new-batch")
    unit.click("main button[type=submit]")
    expect(unit.locator("h1")).to_have_text(TITLE)
    unit.click("[data-testid=actions] >> text=增加任免人员")
    unit.fill("#id_person_name", NAME)
    unit.fill("#id_post", "市教育局局长")
    unit.fill("#id_form_text", "王拟任，男，1976年生，大学学历，现任市教育局副局长。")
    unit.fill("#id_statement", "如获任命，我将忠于宪法、依法履职。")
    shot(unit, "app02-unit-nomination")
    unit.click("main button[type=submit]")
    expect(unit.locator("[data-testid=nominations]")).to_contain_text(f"任命{NAME}为市教育局局长")
    assert_cjk_renders(unit)
    shot(unit, "app03-unit-batch")
    batch = AppointmentBatch.objects.get(title=TITLE)
    nominee = batch.nominations.get().person
    # the administrators give the nominee an account for the exam
    core_services.create_account(world.admin, username="wangnr", password=PASSWORD, display_name=NAME, person=nominee)

    # the staff schedule the sitting and submit the batch
    staff = login(browser, url, "staff")
    staff.goto(f"{url}/work/appointments/batches/{batch.pk}/")
    act(staff, "安排审议会议", {"#id_sitting": 1})
    act(staff, "提请任免案")
    expect(staff.locator("[data-testid=state]")).to_have_text("已提请")

    # the nominee takes the exam on a phone
    phone = login(browser, url, "wangnr", mobile=True)
    phone.goto(f"{url}/work/appointments/exams/")
    phone.click("text=开始考试")
    expect(phone.locator('[data-testid="question"]')).to_have_count(3)
    for _, stem, _, right in BANK:
        phone.locator('[data-testid="question"]', has_text=stem).get_by_label(right, exact=True).check()
    assert_no_horizontal_overflow(phone)
    shot(phone, "app04-nominee-exam-phone")
    phone.get_by_role("button", name="交卷").click()
    expect(phone.locator('[data-testid="score"]')).to_contain_text("100")
    shot(phone, "app05-nominee-passed-phone")

    # the staff see the results, confirm and open the vote
    staff.goto(f"{url}/work/appointments/batches/{batch.pk}/results/")
    expect(staff.locator("[data-testid=results]")).to_contain_text("合格")
    shot(staff, "app06-staff-results")
    staff.goto(f"{url}/work/appointments/batches/{batch.pk}/")
    act(staff, "确认考试完成")
    act(staff, "开始逐人表决")
    expect(staff.locator("[data-testid=state]")).to_have_text("表决中")
    ballot = batch.nominations.get().ballot

    # two members vote on the ballot page (one on a phone); a second vote is not counted
    for username, mobile in (("m0", True), ("m1", False)):
        member = login(browser, url, username, mobile=mobile)
        member.goto(f"{url}/work/ballots/{ballot.pk}/")
        member.get_by_label("赞成", exact=True).check()
        if mobile:
            assert_no_horizontal_overflow(member)
            shot(member, "app07-member-ballot-phone")
        member.click("main button[type=submit]")
        expect(member.locator("main")).to_contain_text("投票成功")
        member.goto(f"{url}/work/ballots/{ballot.pk}/")
        expect(member.locator("main button[type=submit]")).to_have_count(0)
        member.context.close()

    # the result, the 任免名单 and the oath
    staff.reload()
    act(staff, "结束表决")
    expect(staff.locator("[data-testid=nominations]")).to_contain_text("通过")
    shot(staff, "app08-staff-decided")
    act(staff, "公布任免名单")
    expect(staff.locator("[data-testid=state]")).to_have_text("任免名单已公布")
    staff.click("[data-testid=actions] >> text=记录宪法宣誓")
    staff.fill("#id_on", timezone.localdate().isoformat())
    staff.get_by_label("单独宣誓").check()
    staff.get_by_label(f"{NAME}（市教育局局长）").check()
    staff.fill("#id_administered_by", "市人大常委会主任")
    shot(staff, "app09-staff-oath-form")
    staff.click("main button[type=submit]")
    expect(staff.locator("[data-testid=oaths]")).to_contain_text(NAME)
    act(staff, "确认宪法宣誓完成")
    expect(staff.locator("[data-testid=state]")).to_have_text("宪法宣誓已完成")
    shot(staff, "app10-staff-sworn")

    # the public 任免名单
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{url}/appointments/")
    expect(public.locator("[data-testid=notices]")).to_contain_text(NAME)
    assert_cjk_renders(public, "h2")
    shot(public, "app11-public-list")
