"""A work report walked in a real browser from the organ's submission to a failing satisfaction
vote: the unit uploads the draft then the report, staff distribute it, a member reads it on the
reading page, staff mark it deliberated and record two speeches, circulate them (the unit reads
them), send the opinions, the unit responds, staff open the vote, three members vote on the
ballot page (two 不满意), staff close it: the item is 测评不满意待重新报告 and the unit's dues page
shows the re-report with its due date. Then the item page on a phone, without sideways scrolling."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from factories import PASSWORD, add_voting_members, build_world
from renda.core import services as core_services
from renda.core.models import Body
from renda.supervision import services
from renda.workflow.engine import perform
from renda.workflow.models import Deadline

pytestmark = pytest.mark.browser

TITLE = "关于全市生态环境状况的报告"


@pytest.fixture
def site(live_server, transactional_db, tmp_path):
    world = build_world()
    admin, staff = world.admin, world.users["staff"]
    body = core_services.create_body(
        admin, world.city, "巴彦淖尔市人大常委会环境与资源保护工作委员会", "环资工委", Body.Kind.WORKING_COMMITTEE
    )
    sitting = core_services.create_committee_meeting(admin, world.term, 21, timezone.localdate() + timedelta(days=45))
    add_voting_members(world)
    item = services.add_item(
        staff, None, "work_report", congress=world.city, title=TITLE, body=body, organ=world.unit_a,
        satisfaction_vote=True,
    )  # fmt: skip
    perform(item, "schedule", staff, {"sitting": sitting.pk})
    draft = tmp_path / "报告初稿.txt"
    draft.write_text("关于全市生态环境状况的报告（初稿）。", encoding="utf-8")
    final = tmp_path / "正式报告.txt"
    final.write_text("关于全市生态环境状况的报告。全市空气质量优良天数比例持续提高。", encoding="utf-8")
    return {"url": live_server.url, "item": item, "files": (str(draft), str(final))}


class Person:
    def __init__(self, browser, site, username, mobile=False):
        self.site = site["url"]
        self.context = browser.new_context(
            viewport={"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900},
            is_mobile=mobile,
            locale="zh-CN",
        )
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{self.site}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click(".login-wrap button[type=submit]")
        self.page.wait_for_url(f"{self.site}/work/")

    def open(self, path):
        self.page.goto(self.site + path)

    def act(self, label, fields=None, files=None):
        """Click the item page's button `label`, fill its form, confirm."""
        self.page.click(f"[data-testid=actions] >> text={label}")
        for selector, value in (fields or {}).items():
            if selector.startswith("select:"):
                self.page.select_option(selector[7:], label=value)
            else:
                self.page.fill(selector, value)
        if files:
            self.page.set_input_files("#id_files", files)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()

    def state(self):
        return self.page.inner_text("[data-testid=state]")


def test_a_work_report_to_a_failing_vote(browser, site, shot):
    item = site["item"]
    path = f"/work/supervision/reports/{item.pk}/"
    draft, final = site["files"]

    unit = Person(browser, site, "unit")
    unit.open("/work/supervision/dues/")
    assert TITLE in unit.page.inner_text("[data-testid=dues]") and "报送报告初稿" in unit.page.inner_text("main")
    shot(unit.page, "sup01-unit-dues")
    unit.page.click(f"text={TITLE}")
    unit.act("报送报告初稿", files=[draft])
    assert unit.state() == "初稿已报送"
    unit.act("报送正式报告", files=[final])
    assert unit.state() == "正式报告已报送"
    shot(unit.page, "sup02-unit-report-submitted")

    staff = Person(browser, site, "staff")
    staff.open("/work/supervision/?kind=work_report")
    shot(staff.page, "sup03-staff-list")
    staff.page.click(f"main >> text={TITLE}")
    staff.act("印发组成人员")
    assert staff.state() == "已印发待审议"

    member = Person(browser, site, "m0", mobile=True)
    member.open("/work/supervision/reading/")
    reading = member.page.inner_text("[data-testid=reading]")
    assert TITLE in reading and "正式报告.txt" in reading
    shot(member.page, "sup04-member-reading")

    staff.open(path)
    staff.act("会议审议")
    assert staff.state() == "已审议待交办审议意见"
    for speaker, text in (
        ("赵委员", "建议加快乌梁素海综合治理，落实河湖长制。"),
        ("周主任", "建议加强大气污染联防联控。"),
    ):
        staff.page.click("[data-testid=actions] >> text=记录审议发言")
        staff.page.select_option("#id_speaker", label=speaker)
        staff.page.fill("#id_text", text)
        staff.page.click("main button[type=submit]")
        staff.page.wait_for_load_state()
    assert "审议发言（2篇）" in staff.page.inner_text("[data-testid=speeches]")
    staff.act("通报审议发言")
    shot(staff.page, "sup05-staff-speeches-circulated")

    unit.open(path)
    assert "乌梁素海" in unit.page.inner_text("[data-testid=speeches]")
    shot(unit.page, "sup06-unit-reads-speeches")

    staff.open(path)
    staff.act("交办审议意见", {"#id_opinions": "一、加强大气污染联防联控。二、加快乌梁素海综合治理。"})
    assert staff.state() == "待报送研究处理情况"

    unit.open(path)
    unit.act("报送研究处理情况", {"#id_response": "已制定整改方案，逐项落实审议意见。", "#id_signed_by": "张局长"})
    assert unit.state() == "研究处理情况已报送"

    staff.open(path)
    staff.act("开始满意度测评")
    assert staff.state() == "满意度测评中"
    shot(staff.page, "sup07-staff-vote-open")

    voters = [("director", "满意", False), ("m0", "不满意", True), ("m1", "不满意", False)]
    for username, choice, mobile in voters:
        voter = member if username == "m0" else Person(browser, site, username, mobile=mobile)
        voter.open("/work/supervision/reading/")
        voter.page.click("[data-testid=open-votes] a.btn")
        voter.page.get_by_label(choice, exact=True).check()
        if username == "m0":
            shot(voter.page, "sup08-member-ballot")
        voter.page.click("main button[type=submit]")
        voter.page.wait_for_load_state()
        assert "投票成功" in voter.page.inner_text("main")
        assert voter.errors == []
        if voter is not member:
            voter.context.close()
    shot(member.page, "sup09-member-voted")

    staff.open(path)
    staff.act("结束测评并计票")
    assert staff.state() == "测评不满意待重新报告"
    result = staff.page.inner_text("[data-testid=ballots]")
    assert "未通过" in result and "不满意2票" in result
    shot(staff.page, "sup10-staff-vote-failed")

    due = Deadline.objects.for_case(item).get(key="rereport", status="running").due_on
    unit.open("/work/supervision/dues/")
    dues = unit.page.inner_text("[data-testid=dues]")
    assert TITLE in dues and "重新报告" in dues and f"{due.year}年{due.month}月{due.day}日" in dues
    shot(unit.page, "sup11-unit-dues-rereport")

    # the item page on a phone: nothing wider than the screen
    member.open(path)
    width = member.page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the item page scrolls sideways on a phone ({width}px)"
    shot(member.page, "sup12-item-phone")
    assert re.search(r"测评不满意待重新报告", member.state())
    for p in (unit, staff, member):
        assert p.errors == []
        p.context.close()
