"""Report-back (述职) on a phone: the staff open the evaluation after the report-back, an
attendee scans its code (opens its URL on a phone, no account) and fills the satisfaction
form; the staff's page counts the answer."""

from datetime import date

import pytest

from factories import build_world
from renda.deputies import reportback

from .test_workbench import assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
COMMENT = "报告内容实在，希望继续关注灌区节水改造和农村道路维修。"


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    return live_server.url, world


def test_an_attendee_evaluates_a_report_back_on_a_phone(browser, site, shot):
    url, world = site
    staff = world.users["staff"]
    rb = reportback.schedule(
        staff, world.deputy, scheduled_on=date(2020, 6, 10), unit_name="临河区人大常委会", place="临河区人大会议室"
    )
    reportback.record_held(staff, rb, held_on=date(2020, 6, 10), report="一年来，本人认真履行代表职责。", attendees=30)

    # the staff open the evaluation; the page shows the code to scan
    keeper = login(browser, url, "staff", mobile=True)
    keeper.goto(f"{url}{rb.get_absolute_url()}")
    keeper.click("[data-testid=open-evaluation]")
    code = keeper.locator("[data-testid=rb-code]")
    assert code.locator("svg").count() == 1
    code_url = keeper.locator("[data-testid=rb-code-url]").inner_text().strip()
    assert code_url.endswith(rb.get_evaluation_url())
    assert_no_horizontal_overflow(keeper)
    shot(keeper, "reportback-01-staff-code")

    # an attendee's phone, no account
    phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN").new_page()
    phone.goto(code_url)
    assert world.deputy.person.name in phone.locator("[data-testid=rb-about]").inner_text()
    phone.get_by_label("基本满意").check()
    phone.fill("#id_comment", COMMENT)
    assert_no_horizontal_overflow(phone)
    shot(phone, "reportback-02-attendee-form")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/deputies/reportback/thanks/")
    assert "感谢您的评价" in phone.locator("[data-testid=rb-thanks]").inner_text()
    shot(phone, "reportback-03-attendee-thanks")
    # the same phone again: one answer per device
    phone.goto(code_url)
    phone.get_by_label("满意", exact=True).check()
    phone.click("main button[type=submit]")
    assert "您已经评价过本次述职" in phone.locator("form").inner_text()
    phone.context.close()

    # the staff's page counts it
    keeper.goto(f"{url}{rb.get_absolute_url()}")
    tally = keeper.locator("[data-testid=rb-tally]").inner_text()
    assert "参评人数" in tally and "1（参加人数 30）" in tally and "100.0%" in tally
    assert COMMENT in tally
    shot(keeper, "reportback-04-staff-tally")
    keeper.context.close()
