"""A draft walked in a real browser from publication for comment to the next version citing the
comment: staff open a comment period on the bill's page; a citizen on a phone comments on 第三条;
staff publish the comment and mark it 采纳 on the comments page; staff paste the next version
changing 第三条; the diff page shows 第三条 changed and cites 公众意见#N（第三条）."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from factories import build_world
from renda.core import services as core_services
from renda.legislation import services
from renda.legislation.models import Bill, PublicComment
from renda.workflow.engine import perform

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

V1 = (
    "第一条　为了保护和管理乌梁素海湿地，制定本条例。\n"
    "第二条　本市行政区域内乌梁素海湿地的保护和管理，适用本条例。\n"
    "第三条　市人民政府负责湿地保护工作。\n"
    "第四条　任何单位和个人都有保护湿地的义务。\n"
)
V2 = V1.replace(
    "第三条　市人民政府负责湿地保护工作。",
    "第三条　市人民政府负责湿地保护工作，所需经费列入本级财政预算，并建立生态补偿机制。",
)


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    staff = world.users["staff"]
    sitting = core_services.create_committee_meeting(world.admin, world.term, 21, date(2020, 6, 29))
    bill = services.create_bill(
        staff, congress=world.city, title="巴彦淖尔市乌梁素海湿地保护条例", area=Bill.Area.ECOLOGY, drafter="市林草局"
    )
    services.add_draft(bill, V1, staff, note="送审稿")
    perform(bill, "submit", staff, {})
    perform(bill, "read", staff, {"sitting": sitting.pk})
    return {"url": live_server.url, "bill": bill}


def test_a_comment_adopted_and_cited_by_the_next_draft(browser, site, shot):
    url, bill = site["url"], site["bill"]
    today = timezone.localdate()

    staff = login(browser, url, "staff")
    staff.goto(f"{url}/work/legislation/{bill.pk}/")
    staff.click("[data-testid=actions] >> text=公开征求意见")
    staff.fill("#id_opens_on", today.isoformat())
    staff.fill("#id_closes_on", (today + timedelta(days=10)).isoformat())
    staff.click("main button[type=submit]")
    expect(staff.locator("#id_closes_on_errors")).to_contain_text("不少于三十日")  # kept, refused in Chinese
    staff.fill("#id_closes_on", (today + timedelta(days=30)).isoformat())
    staff.click("main button[type=submit]")
    expect(staff.locator("h1")).to_contain_text("意见汇总")
    period = bill.periods.get()
    shot(staff, "leg01-staff-period-opened")

    # a citizen on a phone, without an account
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    citizen = phone.new_page()
    citizen.goto(f"{url}/legislation/comments/{period.pk}/")
    assert_cjk_renders(citizen, "h1")
    citizen.fill("#text-3", "建议写明湿地保护经费的来源，并建立生态补偿机制。")
    citizen.fill("#contact-3", "13900001111")
    citizen.click("#article-3 button[type=submit]")
    expect(citizen.locator(".notice")).to_contain_text("您的意见已收到")
    assert_no_horizontal_overflow(citizen)
    shot(citizen, "leg02-citizen-phone-commented")
    comment = PublicComment.objects.get(period=period)
    assert comment.article == 3

    staff.goto(f"{url}/work/legislation/comments/{period.pk}/")
    box = staff.locator(f"[data-testid=comment-{comment.pk}]")
    box.locator("button", has_text="保存审核").click()
    expect(staff.locator(f"[data-testid=comment-{comment.pk}]")).to_contain_text("已公开")
    staff.select_option(f"#handling-{comment.pk}", label="采纳")
    staff.locator(f"[data-testid=comment-{comment.pk}] button", has_text="保存采纳情况").click()
    expect(staff.locator(f"[data-testid=comment-{comment.pk}] [data-testid=handling]")).to_have_text("采纳")
    shot(staff, "leg03-staff-comment-adopted")

    staff.goto(f"{url}/work/legislation/{bill.pk}/")
    staff.click("[data-testid=actions] >> text=上传草案")
    staff.fill("#id_text", V2)
    staff.fill("#id_note", "一审后修改稿")
    staff.click("main button[type=submit]")
    row = staff.locator("[data-testid=diff] tr[data-article='3']")
    expect(row).to_contain_text("修改")
    expect(row.locator("[data-testid=causes]")).to_contain_text(f"依据：公众意见#{comment.pk}（第三条）")
    expect(row.locator("ins")).to_contain_text("生态补偿机制")
    assert_cjk_renders(staff, "h1")
    shot(staff, "leg04-staff-diff-cites-comment")

    # the diff page on a phone: nothing wider than the screen
    member = login(browser, url, "member", mobile=True)
    member.goto(f"{url}/work/legislation/{bill.pk}/diff/")
    expect(member.locator("[data-testid=causes]")).to_contain_text(f"公众意见#{comment.pk}")
    assert_no_horizontal_overflow(member)
    shot(member, "leg05-member-diff-phone")
    for page in (staff, citizen, member):
        page.context.close()


@pytest.fixture
def regulation_site(live_server, transactional_db):
    from factories import add_legislation_samples

    world = build_world()
    world.samples["sitting"] = core_services.create_committee_meeting(world.admin, world.term, 23, date(2020, 10, 9))
    add_legislation_samples(world)
    return {"url": live_server.url, "bill": world.samples["bill_promulgated"]}


def test_a_promulgated_regulation_on_a_phone(browser, regulation_site, shot):
    url, bill = regulation_site["url"], regulation_site["bill"]
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = phone.new_page()
    page.goto(f"{url}/legislation/regulations/")
    page.click(f"text={bill.title}")
    expect(page.locator("[data-testid=announcement]")).to_contain_text("内蒙古自治区人大常委会")
    expect(page.locator("[data-testid=text]")).to_contain_text("第一条")
    assert_cjk_renders(page, "h2")
    assert_no_horizontal_overflow(page)
    shot(page, "leg06-public-regulation-phone")
    phone.close()
