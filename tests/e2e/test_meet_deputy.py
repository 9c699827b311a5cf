"""码上见代表 on a phone (issue 15 item 5, a must-show): a constituent opens a deputy's code URL
(what scanning it does) and leaves a message; the deputy signs in and answers it; the
constituent reads the answer with the receipt code."""

import pytest
from playwright.sync_api import expect

from factories import build_world
from renda.deputies import stations

from .test_workbench import assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TEXT = "村口的桥梁年久失修，雨季经常被水淹没，孩子们上学很危险，希望代表帮助反映，尽快维修。"
ANSWER = "您好，已向市交通运输局反映，桥梁维修已列入本月计划，施工期间请注意绕行。"


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    return live_server.url, world


def test_a_constituent_scans_leaves_a_message_and_reads_the_answer(browser, site, shot):
    url, world = site
    code_url = url + stations.code_for(world.deputy).get_absolute_url()

    # the constituent's phone, no account
    phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN").new_page()
    phone.goto(code_url)
    assert world.deputy.person.name in phone.locator("[data-testid=meet-receiver]").inner_text()
    assert_no_horizontal_overflow(phone)
    phone.fill("#id_text", TEXT)
    phone.fill("#id_name", "李四")
    phone.fill("#id_contact", "13912345678")
    shot(phone, "meet-01-constituent-message")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/deputies/meet/received/")
    receipt = phone.locator("[data-testid=receipt]").inner_text().strip()
    assert len(receipt) == 10
    shot(phone, "meet-02-receipt")

    # the deputy signs in on a phone, finds the message with the caller's phone, answers it
    deputy = login(browser, url, "deputy", mobile=True)
    deputy.goto(f"{url}/work/deputies/messages/")
    deputy.click(f"text={receipt}")
    contact = deputy.locator("[data-testid=message-contact]")
    assert "13912345678" not in contact.inner_text()  # masked until asked for (audited)
    contact.get_by_role("button", name="显示完整号码").click()
    expect(contact).to_contain_text("13912345678")
    assert TEXT in deputy.locator("[data-testid=message-text]").inner_text()
    deputy.check("input[name=action][value=answer]")
    deputy.fill("#id_answer", ANSWER)
    shot(deputy, "meet-03-deputy-answers")
    deputy.click("[data-testid=answer-form] button[type=submit]")
    deputy.wait_for_selector("[data-testid=message-answer]")
    assert ANSWER in deputy.locator("[data-testid=message-answer]").inner_text()
    assert_no_horizontal_overflow(deputy)
    shot(deputy, "meet-04-deputy-answered")
    # the deputy's own printable code (码上见代表)
    deputy.goto(f"{url}/work/deputies/{world.deputy.pk}/code/")
    assert deputy.locator("[data-testid=meet-code] svg").count() == 1
    assert code_url in deputy.locator("[data-testid=meet-url]").inner_text()
    assert_no_horizontal_overflow(deputy)
    shot(deputy, "meet-00-deputy-code")
    deputy.context.close()

    # back on the constituent's phone: the receipt and the last four digits
    phone.goto(f"{url}/deputies/meet/receipt/")
    phone.fill("#id_receipt", receipt)
    phone.fill("#id_contact", "5678")
    phone.click("main button[type=submit]")
    phone.wait_for_selector("[data-testid=message-outcome]")
    outcome = phone.locator("[data-testid=message-outcome]").inner_text()
    assert ANSWER in outcome and "已答复" in outcome
    assert "李四" not in phone.content() and "13912345678" not in phone.content()
    assert_no_horizontal_overflow(phone)
    shot(phone, "meet-05-constituent-reads-answer")
    phone.context.close()
