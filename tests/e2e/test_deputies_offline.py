"""A deputy in a pastoral area loses the network (issue 15 item 7): the activity form, opened
online, keeps working offline — two entries go to the visible queue (待发送 2 条) — and when
the network returns the queue drains and each entry is stored exactly once."""

import pytest
from playwright.sync_api import expect

from factories import build_world
from renda.deputies.models import Activity

from .test_workbench import login

pytestmark = pytest.mark.browser

ENTRIES = [
    ("contact", "2020-07-01", "乌拉特后旗巴音宝力格镇", "18"),
    ("visit", "2020-07-02", "潮格温都尔镇牧民家", "6"),
]
# true once the worker controls the page (clients.claim() after its install); false after 30 s
CONTROLLED = """Promise.race([
  navigator.serviceWorker.controller ? true : new Promise(
    done => navigator.serviceWorker.addEventListener("controllerchange", () => done(true))),
  new Promise(done => setTimeout(() => done(false), 30000))])"""


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    return live_server.url, world


def record(page, kind, on, place, people):
    page.select_option("#id_kind", kind)
    page.fill("#id_on", on)
    page.fill("#id_place", place)
    page.fill("#id_people_reached", people)
    page.fill("#id_note", "离线登记")
    page.click("form[data-offline-form] button[type=submit]")


def test_entries_made_offline_are_sent_once_when_the_network_returns(browser, site, shot):
    url, world = site
    page = login(browser, url, "deputy", mobile=True)
    context = page.context
    page.goto(f"{url}/work/deputies/activities/new/")
    # the worker installs and takes the page (its cache: the form and the list, the pages the views mark)
    assert page.evaluate(CONTROLLED) is True
    queue = page.locator("[data-testid=offline-queue]")
    expect(queue).to_be_hidden()

    context.set_offline(True)
    expect(page.locator("[data-testid=offline-notice]")).to_be_visible()
    expect(page.locator("#id_files")).to_be_disabled()  # evidence files: online only
    # the form opened again without network comes from the worker's cache
    assert page.reload().from_service_worker
    expect(page.locator("h1")).to_have_text("登记履职活动")
    keys = set()
    for i, entry in enumerate(ENTRIES, start=1):
        keys.add(page.locator("[name=idempotency_key]").input_value())
        record(page, *entry)
        expect(page.locator("[data-testid=queue-count]")).to_have_text(str(i))
    assert len(keys) == 2  # a fresh key for each entry
    expect(page.locator("[data-testid=queued-entry]")).to_have_count(2)
    expect(queue).to_contain_text("待发送 2 条")
    expect(queue).to_contain_text("潮格温都尔镇牧民家")
    shot(page, "deputies-offline-queue-phone")
    assert not Activity.objects.filter(deputy=world.deputy).exists()

    context.set_offline(False)
    expect(page.locator("[data-testid=queue-status]")).to_contain_text("已发送 2 条")
    expect(page.locator("[data-testid=queue-count]")).to_have_text("0")
    shot(page, "deputies-offline-sent-phone")
    stored = Activity.objects.filter(deputy=world.deputy).order_by("on")
    assert [(a.kind, a.on.isoformat(), a.place, str(a.people_reached)) for a in stored] == ENTRIES
    assert {str(a.idempotency_key) for a in stored} == keys

    # nothing left to send: a reload and the list page store nothing more
    page.reload()
    page.goto(f"{url}/work/deputies/activities/")
    expect(page.locator("[data-testid=my-activities]")).to_contain_text("潮格温都尔镇牧民家")
    expect(queue).to_be_hidden()
    shot(page, "deputies-offline-list-phone")
    assert Activity.objects.filter(deputy=world.deputy).count() == 2
    context.close()


def test_an_answer_lost_on_the_way_back_is_resent_and_stored_once(browser, site, shot):
    """Online, the post reaches the server but its answer is lost (the network drops): the
    entry goes to the queue, is sent again with the same key, and is stored once."""
    url, world = site
    page = login(browser, url, "deputy", mobile=False)
    page.goto(f"{url}/work/deputies/activities/new/")
    lost = []

    def drop_the_answer(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch(max_redirects=0))  # the server stores the entry …
            route.abort("internetdisconnected")  # … the deputy never hears back
        else:
            route.continue_()

    page.route("**/work/deputies/activities/new/", drop_the_answer)
    record(page, "research", "2020-08-03", "乌拉特中旗牧区调研", "9")
    expect(page.locator("[data-testid=queue-count]")).to_have_text("1")
    assert lost and lost[0].status == 302
    assert Activity.objects.filter(deputy=world.deputy).count() == 1
    page.click("[data-queue-send]")
    expect(page.locator("[data-testid=queue-status]")).to_contain_text("已发送 1 条")
    expect(page.locator("[data-testid=queue-count]")).to_have_text("0")
    shot(page, "deputies-offline-resent-desktop")
    assert list(Activity.objects.filter(deputy=world.deputy).values_list("place", flat=True)) == ["乌拉特中旗牧区调研"]
    page.context.close()


def test_an_entry_refused_for_good_is_marked_not_retried(browser, site, shot):
    """A queued entry answered 403 after the queue fetched a fresh token is a refusal for good
    (the mandate ended, say): the entry says so, with its 删除 button, and is not sent again."""
    url, world = site
    page = login(browser, url, "deputy", mobile=True)
    page.goto(f"{url}/work/deputies/activities/new/")
    assert page.evaluate(CONTROLLED) is True
    posts = []

    def refuse(route):
        if route.request.method == "POST":
            posts.append(route.request.url)
            route.fulfill(status=403, body="<h1>403</h1>", content_type="text/html")
        else:
            route.continue_()

    page.route("**/work/deputies/activities/new/", refuse)
    page.context.set_offline(True)
    record(page, "contact", "2020-07-01", "乌拉特后旗巴音宝力格镇", "18")
    expect(page.locator("[data-testid=queue-count]")).to_have_text("1")
    page.context.set_offline(False)
    entry = page.locator("[data-testid=queued-entry]")
    expect(entry).to_contain_text("没有权限保存这条记录")
    expect(entry.locator("button")).to_have_text("删除")
    shot(page, "deputies-offline-refused-phone")
    sent = len(posts)
    page.click("[data-queue-send]")  # a refused entry is not sent again
    page.reload()
    expect(page.locator("[data-testid=queued-entry]")).to_contain_text("没有权限保存这条记录")
    assert len(posts) == sent == 1
    entry = page.locator("[data-testid=queued-entry]")
    entry.locator("button").click()
    expect(page.locator("[data-testid=queue-count]")).to_have_text("0")
    assert not Activity.objects.filter(deputy=world.deputy).exists()
    page.context.close()
