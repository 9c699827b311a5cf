"""Every deputy entry form works offline (issue 15 item 7, second part): a contact with
constituents and a suggestion draft made without network go to the one visible queue, and
when the network returns each is stored exactly once. On a shared phone, signing out warns
about unsent entries ("还有 N 条未发送，退出后将删除") and leaves neither the kept pages nor
the queue for the next person."""

import pytest
from playwright.sync_api import expect

from factories import build_world
from renda.deputies.models import ContactRecord
from renda.suggestions.models import Suggestion

from .conftest import settle_live_server
from .test_workbench import assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser

# true once the worker controls the page (clients.claim() after its install); false after 30 s
CONTROLLED = """Promise.race([
  navigator.serviceWorker.controller ? true : new Promise(
    done => navigator.serviceWorker.addEventListener("controllerchange", () => done(true))),
  new Promise(done => setTimeout(() => done(false), 30000))])"""
# what the browser keeps for the deputy app: its caches and the queue's entries
KEPT = """async () => {
  const names = (await caches.keys()).filter(n => n.startsWith("renda-deputy-"));
  const entries = await Promise.race([new Promise(done => {
    const open = indexedDB.open("renda-deputy", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("entries", { keyPath: "key" });
    open.onerror = () => done("open failed");
    open.onblocked = () => done("open blocked");
    open.onsuccess = () => {
      const req = open.result.transaction("entries").objectStore("entries").count();
      req.onsuccess = () => { open.result.close(); done(req.result); };
      req.onerror = () => { open.result.close(); done("count failed"); };
    };
  }), new Promise(done => setTimeout(() => done("no answer in 15 s"), 15000))]);
  return { caches: names.length, entries };
}"""
PLACE = "乌拉特后旗巴音宝力格镇巴音查干嘎查"
TITLE = "关于改善牧区移动通信信号覆盖的建议"


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    yield live_server.url, world
    settle_live_server()  # a queued entry still being sent must not outlive the test's data


def record_contact(page):
    page.fill("#id_on", "2020-07-01")
    page.fill("#id_place", PLACE)
    page.check("input[name=way][value=forum]")
    page.fill("#id_people_reached", "14")
    page.fill("#id_matters", "嘎查移动信号弱，牧民联系不上。")
    page.click("form[data-offline-form] button[type=submit]")


def draft_suggestion(page):
    page.fill("#id_title", TITLE)
    page.fill("#id_content", "牧区嘎查移动通信信号弱，代表和牧民无法及时联系，建议增设基站。")
    page.select_option("#id_category", "城乡建设")
    page.click("form[data-offline-form] button[value=save]")


def test_a_contact_and_a_draft_made_offline_are_stored_once(browser, site, shot):
    url, world = site
    page = login(browser, url, "deputy", mobile=True)
    context = page.context
    # the start page registers the worker; it keeps the deputy's forms for offline use
    assert page.evaluate(CONTROLLED) is True
    expect(page.locator("[data-testid=offline-queue]")).to_be_hidden()
    page.goto(f"{url}/work/deputies/contacts/new/")
    assert page.evaluate(CONTROLLED) is True

    context.set_offline(True)
    assert page.reload().from_service_worker  # the form opened without network: the worker's copy
    expect(page.locator("[data-testid=offline-notice]")).to_be_visible()
    record_contact(page)
    expect(page.locator("[data-testid=queue-count]")).to_have_text("1")
    expect(page.locator("[data-testid=queued-entry]")).to_contain_text(PLACE)
    expect(page.locator("[data-testid=queued-entry]")).to_contain_text("座谈")
    assert_no_horizontal_overflow(page)
    shot(page, "deputies-offline-contact-queued-phone")

    # the drafting page, cached when the worker was installed, opens offline too
    assert page.goto(f"{url}/work/suggestions/new/").from_service_worker
    expect(page.locator("[data-testid=offline-notice]")).to_be_visible()
    draft_suggestion(page)
    queue = page.locator("[data-testid=offline-queue]")
    expect(page.locator("[data-testid=queue-count]")).to_have_text("2")  # one queue for every form
    expect(queue).to_contain_text("待发送 2 条")
    expect(queue).to_contain_text(TITLE)
    assert_no_horizontal_overflow(page)
    shot(page, "deputies-offline-draft-queued-phone")
    # the start page, kept for a deputy, opens offline with the same queue
    assert page.goto(f"{url}/work/").from_service_worker
    expect(page.locator("[data-testid=queue-count]")).to_have_text("2")
    assert_no_horizontal_overflow(page)
    shot(page, "deputies-offline-start-page-phone")
    assert not ContactRecord.objects.filter(place=PLACE).exists()
    assert not Suggestion.objects.filter(title=TITLE).exists()

    context.set_offline(False)
    # the draft's post runs the writing help (the routing model's first load): allow for it
    expect(page.locator("[data-testid=queue-status]")).to_contain_text("已发送 2 条", timeout=60000)
    expect(page.locator("[data-testid=queue-count]")).to_have_text("0")
    shot(page, "deputies-offline-forms-sent-phone")
    contact = ContactRecord.objects.get(place=PLACE)
    assert (contact.deputy, contact.way, contact.people_reached) == (world.deputy, "forum", 14)
    draft = Suggestion.objects.get(title=TITLE)
    assert draft.state == "draft" and draft.lead_deputy == world.deputy and draft.category == "城乡建设"
    page.reload()
    expect(queue).to_be_hidden()
    assert ContactRecord.objects.filter(place=PLACE).count() == 1
    assert Suggestion.objects.filter(title=TITLE).count() == 1
    context.close()


def test_signing_out_warns_and_forgets_the_deputys_pages_and_queue(browser, site, shot):
    url, world = site
    page = login(browser, url, "deputy", mobile=True)
    assert page.evaluate(CONTROLLED) is True
    page.goto(f"{url}/work/deputies/contacts/new/")
    assert page.evaluate(CONTROLLED) is True
    context = page.context
    context.set_offline(True)
    record_contact(page)
    expect(page.locator("[data-testid=queue-count]")).to_have_text("1")
    # the network comes back but the entry cannot be sent yet (the server is out of reach;
    # routed on the context: the page's requests go through the worker)
    context.route("**/work/deputies/offline/token/", lambda route: route.abort("internetdisconnected"))
    context.set_offline(False)
    page.click("[data-queue-send]")
    expect(page.locator("[data-testid=queue-status]")).to_contain_text("暂时无法发送")
    kept = page.evaluate(KEPT)
    assert kept["caches"] >= 1 and kept["entries"] == 1

    # 退出 with an unsent entry: asked first; cancelling keeps everything and stays signed in
    asked = []

    def answer(accept):
        def handle(dialog):
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    page.click("[data-testid=signout]")
    for _ in range(50):  # the question comes once the queue has been read (IndexedDB)
        if asked:
            break
        page.wait_for_timeout(100)
    expect(page.locator("[data-testid=queue-count]")).to_have_text("1")
    assert asked == ["还有 1 条未发送，退出后将删除。确定退出吗？"]
    assert page.url.endswith("/work/deputies/contacts/new/")

    page.once("dialog", answer(True))
    page.click("[data-testid=signout]")
    page.wait_for_url(lambda u: "/work/" not in u)
    assert len(asked) == 2
    assert page.evaluate(KEPT) == {"caches": 0, "entries": 0}
    shot(page, "deputies-offline-signed-out-phone")
    assert not ContactRecord.objects.filter(place=PLACE).exists()  # deleted, as the warning said
    context.close()
