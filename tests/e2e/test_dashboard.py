"""数据看板 in a browser: the ECharts canvases draw without script errors, the meeting-room
display (大屏) is legible, and the work summary page renders. Look at the screenshots."""

from datetime import date, timedelta

import pytest

from factories import build_world
from renda.core.models import Deputy
from renda.party import services
from renda.party.models import PartyReport, StudySession, Training, WorkRule

from .conftest import settle_live_server
from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser


def seed(world):
    """A small year of party records in the city and a county, and a few in the year before."""
    admin = world.admin

    def study(congress, kind, day):
        services.save_register(
            admin, StudySession(congress=congress, kind=kind, date=day, topic="学习党的十九届五中全会精神")
        )

    for month in range(1, 13):
        study(world.city, StudySession.Kind.CENTRAL_GROUP, date(2020, month, 20))
        study(world.city, StudySession.Kind.COLLECTIVE, date(2020, month, 8))
        if month % 2:
            study(world.city, StudySession.Kind.COLLECTIVE, date(2020, month, 22))
            study(world.county_a, StudySession.Kind.CENTRAL_GROUP, date(2020, month, 15))
        if month % 3 == 0:
            study(world.city, StudySession.Kind.SEMINAR, date(2020, month, 12))
            study(world.county_b, StudySession.Kind.COLLECTIVE, date(2020, month, 10))
    for month in range(1, 11):
        study(world.city, StudySession.Kind.CENTRAL_GROUP, date(2019, month, 20))
    people = [d.person for d in Deputy.objects.filter(congress=world.city)]
    for n, month in enumerate((6, 7, 9)):
        start = date(2020, month, 16)
        services.save_training(
            admin,
            Training(
                congress=world.city,
                title=f"市人大代表履职学习培训班（第{n + 1}期）",
                audience=Training.Audience.DEPUTIES,
                start_date=start,
                end_date=start + timedelta(days=2),
                organizer="巴彦淖尔市人大常委会",
                hosted=True,
            ),
            people,
        )
    for month in range(1, 13, 2):
        services.save_register(
            admin,
            PartyReport(
                congress=world.city,
                kind=PartyReport.Kind.REPORT,
                date=date(2020, month, 25),
                matter="关于人大工作的报告",
            ),
        )
    for month in (3, 6, 9):
        services.save_register(
            admin,
            WorkRule(
                congress=world.city,
                title=f"工作制度{month}",
                action="made",
                adopted_on=date(2020, month, 15),
                adopted_by="主任会议",
            ),
        )


@pytest.fixture
def site(live_server, transactional_db):
    seed(build_world())
    yield live_server.url
    settle_live_server()


def watch_errors(page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def wait_for_charts(page, selector):
    page.wait_for_selector(f"{selector} canvas", state="attached", timeout=15000)
    page.wait_for_timeout(800)  # ECharts' entry animation


def test_dashboard_draws_its_charts(browser, site, shot):
    page = login(browser, site, "staff")
    errors = watch_errors(page)
    page.goto(f"{site}/work/reports/dashboard/?year=2020&lower=1")
    wait_for_charts(page, "#chart-monthly")
    for chart in ("#chart-monthly", "#chart-compare", "#chart-tree"):
        box = page.locator(f"{chart} canvas").first.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 150, chart
    # the tables fold once the charts are drawn, and open again on a click
    assert page.locator("details.dash-table[open]").count() == 0
    page.click("text=数据表：本年与上年对比")
    assert "党组中心组学习会" in page.inner_text("#table-compare")
    page.select_option("#tree-metric", "party.collective_studies")
    page.wait_for_timeout(1200)  # the redrawn chart's animation
    assert_cjk_renders(page, "h1")
    assert_no_horizontal_overflow(page)
    assert not errors, errors
    shot(page, "dashboard")

    page.click("[data-screen-enter]")  # in place: the dark display, and full screen where allowed
    assert "screen=1" in page.url
    wait_for_charts(page, "#chart-screen")
    assert page.locator(".dash-screen").is_visible() and not page.locator(".dash-normal").is_visible()
    page.click("[data-screen-exit]")
    assert page.locator(".dash-normal").is_visible() and "screen=1" not in page.url
    # on a phone: the charts fit the width
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    wait_for_charts(page, "#chart-compare")
    assert_no_horizontal_overflow(page)
    assert page.locator("#chart-monthly canvas").first.bounding_box()["width"] <= 390
    assert not errors, errors
    shot(page, "dashboard-phone")
    page.context.close()


def test_meeting_room_display(browser, site, shot):
    page = login(browser, site, "staff")
    page.set_viewport_size({"width": 1920, "height": 1080})
    errors = watch_errors(page)
    page.goto(f"{site}/work/reports/dashboard/?year=2020&screen=1")
    wait_for_charts(page, "#chart-screen")
    assert not page.locator(".topbar").is_visible() or page.locator(".dash-screen").bounding_box()["y"] == 0
    figure = page.locator(".tile-figure").first
    assert figure.inner_text() == "12"
    assert float(figure.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 80  # legible across a room
    assert_cjk_renders(page, ".screen-title")
    # nothing spills out of the screen
    assert page.evaluate("""() => { const s = document.querySelector('.dash-screen');
        return s.scrollHeight <= s.clientHeight + 1 && s.scrollWidth <= s.clientWidth + 1; }""")
    assert not errors, errors
    shot(page, "dashboard-screen")
    page.context.close()


def test_summary_page(browser, site, shot):
    page = login(browser, site, "staff")
    errors = watch_errors(page)
    page.goto(f"{site}/work/reports/summary/?year=2020")
    assert "召开党组中心组学习会12次" in page.inner_text("main")
    assert_cjk_renders(page, "article h1")
    assert_no_horizontal_overflow(page)
    assert not errors, errors
    shot(page, "summary-page")
    page.context.close()
