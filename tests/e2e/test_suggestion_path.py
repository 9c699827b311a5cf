"""The whole path of a deputy suggestion, walked by each kind of user in a real browser:
a deputy submits with a co-signer, staff register and assign, the unit signs and
replies, the deputy evaluates dissatisfied, the unit re-handles, the deputy evaluates
satisfied, the case is concluded. A screenshot at each step."""

import re

import pytest

from factories import PASSWORD, build_world

pytestmark = pytest.mark.browser

CONTENT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)


@pytest.fixture
def site(live_server, transactional_db):
    build_world()
    return live_server.url


class Person:
    def __init__(self, browser, site, username, mobile=False):
        self.site = site
        self.context = browser.new_context(
            viewport={"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900},
            is_mobile=mobile,
            locale="zh-CN",
        )
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{site}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click(".login-wrap button[type=submit]")
        self.page.wait_for_url(f"{site}/work/")

    def open(self, path):
        self.page.goto(self.site + path)

    def act(self, label, fields=None, checks=None):
        """Click the case page's button `label`, fill its form, confirm."""
        self.page.click(f"[data-testid=actions] >> text={label}")
        for selector, value in (fields or {}).items():
            if selector.startswith("select:"):
                self.page.select_option(selector[7:], label=value)
            elif selector.startswith("check:"):
                self.page.check(selector[6:])
            else:
                self.page.fill(selector, value)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()

    def state(self):
        return self.page.inner_text("[data-testid=state]")


def test_whole_path(browser, site, shot):
    deputy = Person(browser, site, "deputy", mobile=True)
    deputy.open("/work/suggestions/new/")
    deputy.page.fill("#id_title", "关于加快农村饮水工程改造的建议")
    deputy.page.fill("#id_content", CONTENT)
    deputy.page.select_option("#id_category", label="农牧水利")
    deputy.page.fill("#id_cosigners", "李代表")
    deputy.page.click("button[value=check]")
    shot(deputy.page, "s01-deputy-checks-draft")
    deputy.page.click("button[value=submit]")
    assert deputy.state() == "待附议"
    case_path = re.sub(r"^https?://[^/]+", "", deputy.page.url)
    shot(deputy.page, "s02-deputy-submitted")

    cosigner = Person(browser, site, "other_deputy", mobile=True)
    cosigner.open(case_path)
    cosigner.act("确认附议")
    assert cosigner.state() == "待立案"
    shot(cosigner.page, "s03-cosigner-confirmed")

    staff = Person(browser, site, "staff")
    staff.open("/work/suggestions/?state=submitted")
    staff.page.click("text=关于加快农村饮水工程改造的建议")
    staff.act("立案", {"select:#id_category": "农牧水利"})
    assert staff.state() == "待交办"
    staff.act("交办", {"select:#id_lead_unit": "巴彦淖尔市教育局", "select:#id_period": "三个月"})
    assert staff.state() == "待签收"
    assert "答复期限" in staff.page.inner_text("aside")
    shot(staff.page, "s04-staff-assigned")

    unit = Person(browser, site, "unit")
    unit.open("/work/")
    assert "关于加快农村饮水工程改造的建议" in unit.page.inner_text("main")
    shot(unit.page, "s05-unit-workbench")
    unit.open(case_path)
    unit.act("签收")
    assert unit.state() == "办理中"
    unit.act(
        "答复",
        {
            "select:#id_category": "B类：正在解决或者列入规划、计划逐步解决",
            "#id_text": "已将管网改造纳入明年计划，分两期实施，今年完成一期工程。",
            "#id_signed_by": "张局长",
        },
    )
    assert unit.state() == "已答复待测评"
    shot(unit.page, "s06-unit-replied")

    deputy.open(case_path)
    deputy.act("满意度测评", {"check:#id_satisfaction_2": None, "#id_comment": "措施不具体，请重新办理。"})
    assert deputy.state() == "办理中"
    shot(deputy.page, "s07-deputy-dissatisfied")

    unit.open(case_path)
    assert "第2轮办理" in unit.page.inner_text("main")
    unit.act(
        "答复",
        {
            "select:#id_category": "A类：所提问题已经解决或者基本解决",
            "#id_text": "经与代表当面沟通，已制定实施方案，一期工程已开工，年内完工。",
            "#id_signed_by": "张局长",
        },
    )
    shot(unit.page, "s08-unit-rehandled")

    deputy.open(case_path)
    deputy.act("满意度测评", {"check:#id_satisfaction_0": None})
    assert deputy.state() == "已办结"
    timeline = deputy.page.inner_text("aside")
    for step in ("提交", "确认附议", "立案", "交办", "签收", "答复", "满意度测评"):
        assert step in timeline
    shot(deputy.page, "s09-concluded")

    staff.open("/work/suggestions/board/")
    shot(staff.page, "s10-staff-board")
    for p in (deputy, cosigner, staff, unit):
        assert p.errors == []
        p.context.close()
