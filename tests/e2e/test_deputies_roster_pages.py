"""The roster's pages in a browser, on a phone and a desktop: the roster with its counts and
a mandate's changes, the change form, the by-election form."""

from datetime import date

import pytest

from factories import build_world, person
from renda.deputies import roster

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    staff = world.users["staff"]
    p = person(world.admin, "乌兰", ethnicity="蒙古族", gender="F")
    roster.elect(staff, person=p, term=world.term, date=date(2019, 3, 1), reference="市四届人大三次会议补选")
    roster.record_event(staff, world.other_deputy, "resignation", date(2020, 6, 1), "常委会第二十次会议接受辞职")
    return live_server.url, world


@pytest.mark.parametrize("mobile", [True, False], ids=["phone", "desktop"])
def test_roster_pages(browser, site, shot, mobile):
    url, world = site
    size = "phone" if mobile else "desktop"
    page = login(browser, url, "staff", mobile=mobile)
    pages = [
        ("roster", f"/work/deputies/roster/?congress={world.city.pk}&on=2020-05-31", "补选 2019年3月1日"),
        ("event", f"/work/deputies/roster/{world.deputy.pk}/event/", "已登记的变动"),
        ("elect", "/work/deputies/roster/elect/", "决定或依据"),
    ]
    for name, path, text in pages:
        response = page.goto(f"{url}{path}")
        assert response.status < 400, path
        assert text in page.content(), path
        assert_cjk_renders(page)
        assert_no_horizontal_overflow(page)
        shot(page, f"deputies-{name}-{size}")
    page.context.close()
