"""Each role of the demo walks its main path — the pages it uses every day — by clicking as a
user would, on a phone (390×844) and on a desktop (1366×900). On every page: no sideways
scrolling of the document, no element wider than the viewport outside a box meant to scroll,
the heading's Chinese drawn with a CJK font, no response of the site ≥ 400, no script error.
A screenshot per page: var/screenshots/role-<role>-<size>-<n>.png (look at them).

One demo load for the whole walk (it takes ~25 s), plus the day's cases in flight that the
demo year (all concluded) lacks: a suggestion 待交办, one 待签收 at 教育局, a filing 待登记."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from renda.core.models import Deputy, HandlingUnit, User
from renda.core.scoping import actor_of
from renda.demo.context import DEMO_PASSWORD
from renda.filing import services as filing_services
from renda.filing.models import Filing
from renda.suggestions import services as suggestion_services
from renda.workflow.engine import perform

from .conftest import settle_live_server
from .test_workbench import assert_cjk_renders

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# boxes meant to scroll sideways (their content may be wider than the screen, not they)
SCROLL_BOXES = ".table-wrap, .diagram-box, pre.diagram, .document-text"
OFFSCREEN = ".hp, .skip"  # the forms' honeypot field and the 跳到正文 link: off screen on purpose

CONTENT = (
    "我市部分农村牧区学校寄宿条件较差，冬季取暖设施老化，学生住宿拥挤，家长反映强烈。"
    "建议市教育局会同有关部门摸清底数，将寄宿制学校改造纳入年度计划，加大资金投入。"
)
FILING_TEXT = (
    "第一条 为加强城区扬尘污染防治，改善大气环境质量，根据《中华人民共和国大气污染防治法》，制定本通知。\n"
    "第二条 本通知自公布之日起施行。"
)


def cases_in_flight():
    """Today's work, through the services users call: the demo year has every case closed."""
    users = {u.username: u for u in User.objects.filter(username__in=["daibiao1", "bangongshi", "jiaoyuju"])}
    deputy, staff = users["daibiao1"], users["bangongshi"]
    lead = Deputy.objects.get(pk=min(actor_of(deputy).deputy_ids))

    def registered(title):
        s = suggestion_services.save_draft(
            deputy, lead=lead, title=title, content=CONTENT, category="教育文体", cosigners=[]
        )
        perform(s, "submit", deputy)
        perform(s, "register", staff, {"category": "教育文体", "published": "on"})
        return s

    registered("关于改善农村牧区寄宿制学校条件的建议")  # 待交办
    assigned = registered("关于加强农村牧区学校冬季取暖保障的建议")
    perform(assigned, "assign", staff, {"lead_unit": min(actor_of(users["jiaoyuju"]).unit_ids), "period": "3"})

    filer = User.objects.get(username="zhengfuban")
    gov = HandlingUnit.objects.get(name="巴彦淖尔市人民政府办公室")
    today = timezone.localdate()
    filing_services.file_document(
        filer,
        {
            "filer": f"unit:{gov.pk}",
            "kind": Filing.Kind.GOVERNMENT,
            "title": "巴彦淖尔市人民政府办公室关于加强城区扬尘污染防治工作的通知",
            "document_number": f"巴政办发〔{today.year}〕9号",
            "adopted_on": today - timedelta(days=6),
            "published_on": today - timedelta(days=4),
            "drafting_explanation": "为落实大气污染防治法，经征求意见和合法性审查，制定本通知。",
            "legal_basis": "《中华人民共和国大气污染防治法》",
            "text": FILING_TEXT,
        },
    )


@pytest.fixture
def site(live_server, transactional_db):
    call_command("load_demo", quiet=True)
    cases_in_flight()
    yield live_server.url
    settle_live_server()


WIDE = """([width, boxes, offscreen]) => {
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.parentElement.closest(boxes) || el.closest(offscreen)) continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;  // not drawn
    if (r.right > width + 1 || r.left < -1) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + [...el.classList].map(c => "." + c).join("");
      wide.push(`${name} [${Math.round(r.left)}–${Math.round(r.right)}] ${el.textContent.trim().slice(0, 30)}`);
    }
  }
  return wide;
}"""


class Walk:
    """One role on one screen size: a browser context whose every page is checked and shot."""

    def __init__(self, browser, site, shot, role, account, size):
        self.site, self.shot, self.role, self.size = site, shot, role, size
        self.phone = size == "phone"
        self.context = browser.new_context(viewport=SIZES[size], is_mobile=self.phone, locale="zh-CN")
        self.context.set_default_timeout(8000)
        self.page = self.context.new_page()
        self.bad, self.errors, self.n, self.walked = [], [], 0, []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # a Content-Security-Policy violation (an inline style or script left in a template) is
        # reported on the console, not thrown
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on(
            "response", lambda r: r.url.startswith(site) and r.status >= 400 and self.bad.append((r.status, r.url))
        )
        if account:
            self.page.goto(f"{site}/accounts/login/")
            self.page.fill("#id_username", account)
            self.page.fill("#id_password", DEMO_PASSWORD)
            self.page.click(".login-wrap button[type=submit]")
            self.page.wait_for_url(f"{site}/work/")
        else:
            self.page.goto(f"{site}/")
        self.check()

    def where(self):
        return f"{self.role}/{self.size} page {self.n} {self.page.url.removeprefix(self.site)}"

    def check(self):
        page = self.page
        page.wait_for_load_state("load")
        self.n += 1
        self.walked.append(page.url.removeprefix(self.site))
        assert not self.bad, (self.where(), self.bad)
        assert not self.errors, (self.where(), self.errors)
        # a phone zooms out a page wider than the screen (innerWidth grows): compare with the screen
        width = SIZES[self.size]["width"]
        m = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate(WIDE, [width, SCROLL_BOXES, OFFSCREEN])
        assert m[0] <= width and m[1] == width, (self.where(), "sideways scrolling", m, wide[:8])
        assert not wide, (self.where(), "wider than the screen", wide[:8])
        heading = next(h for h in ("main h1", "main h2", "h1") if page.locator(h).count())
        assert_cjk_renders(page, heading)
        self.shot(page, f"role-{self.role}-{self.size}-{self.n}")

    def follow(self, locator, ready=None):
        with self.page.expect_navigation():
            locator.first.click()
        if ready:
            self.page.wait_for_selector(ready, state="attached")
            self.page.wait_for_timeout(800)  # ECharts' entry animation
        self.check()

    def link(self, text, within="main"):
        """Click the first link (or button-like link) of `within` that reads `text`."""
        self.follow(self.page.locator(f"{within} a").filter(has_text=text))

    def todo(self, state):
        """A to-do of the 工作台: the case waiting in `state`."""
        self.follow(self.page.locator("main ul.todo li").filter(has_text=state).locator("a"))

    def nav(self, text, ready=None):
        """A menu item: on a phone the menu opens first (☰)."""
        if self.phone and self.page.locator(".menu-toggle").is_visible():
            self.page.click(".menu-toggle")
        self.follow(self.page.locator(".sidenav a, nav.portal-nav a").get_by_text(text, exact=True), ready)

    def first_row(self):
        self.follow(self.page.locator("main table.list tbody tr td.title a"))

    def act(self, label):
        """Open a transition's page from the case page: its form, not yet confirmed."""
        self.link(label, within="[data-testid=actions]")
        assert self.page.locator("main form button[type=submit]").count() >= 1, self.where()

    def dashboard(self):
        """数据看板: checked once its charts are drawn (they fetch their data, then animate)."""
        self.nav("数据看板", ready="#chart-monthly canvas")

    def back(self):
        self.page.go_back()
        self.check()


def staff(w):
    w.todo("待交办")  # a to-do of the 工作台
    w.act("交办")
    assert "主办单位" in w.page.inner_text("main")
    w.back()
    w.nav("代表建议")
    w.first_row()
    w.nav("备案审查")
    w.first_row()
    w.nav("工作综述")
    w.dashboard()
    w.nav("流程图")


def director(w):
    w.todo("待签收")
    w.act("列为重点督办")
    w.back()
    w.nav("代表建议")
    w.dashboard()
    w.nav("工作综述")


def member(w):
    w.nav("代表建议")
    w.first_row()
    w.back()
    w.dashboard()
    w.nav("工作综述")


def deputy(w):
    w.link("提出建议")  # one tap from the 工作台
    w.nav("代表建议")
    w.first_row()
    w.nav("工作台")
    w.link("我的代表信息")


def unit(w):
    w.todo("待签收")  # the to-do: a suggestion to sign for
    w.act("签收")
    w.back()
    w.nav("代表建议")
    w.first_row()


def filer(w):
    w.nav("备案审查")
    w.link("报送备案")
    w.nav("备案审查")
    w.first_row()


def reviewer(w):
    w.todo("待登记")  # the to-do: a filing just received
    w.act("登记")
    w.back()
    w.nav("备案审查")
    w.first_row()
    w.nav("备案审查")
    w.link("审查建议")
    w.nav("备案审查")
    w.link("年度报告")


def county(w):
    w.nav("人大代表")
    w.first_row()
    w.nav("备案审查")
    w.link("报送备案")
    w.nav("代表建议")
    w.nav("工作台")


def public(w):
    w.nav("代表名录")
    w.nav("代表建议")
    w.first_row()
    w.nav("备案审查")
    w.first_row()
    w.back()
    w.link("提出审查建议")


ROLES = [
    ("staff", "bangongshi", staff),  # 机关工作人员
    ("director", "zhuren", director),  # 主任会议成员
    ("member", "weiyuan", member),  # 常委会组成人员
    ("deputy", "daibiao1", deputy),  # 人大代表
    ("unit", "jiaoyuju", unit),  # 承办单位
    ("filer", "zhengfuban", filer),  # 制定机关
    ("reviewer", "fagongwei", reviewer),  # 法工委
    ("county", "linhe", county),  # 县级人大
    ("public", None, public),  # the public, without login
]


def test_every_role_walks_its_main_path(browser, site, shot):
    failures, pages = [], 0
    for role, account, walk in ROLES:
        for size in SIZES:
            w = None
            try:
                w = Walk(browser, site, shot, role, account, size)
                walk(w)
            except AssertionError as e:
                failures.append(f"{role}/{size}: {e}")
            except Exception as e:  # a link that is not there: say where the walk stopped
                failures.append(f"{role}/{size} after {w and w.walked}: {type(e).__name__}: {str(e)[:300]}")
            if w:
                pages += w.n
                w.context.close()
    assert not failures, "\n".join(failures)
    assert pages >= 9 * 2 * 5
