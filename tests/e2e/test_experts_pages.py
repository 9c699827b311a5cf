"""The think tank's pages in a browser, on a phone and a desktop: the register, an expert's
page with an opinion, the form, and the assign page with the record's experts."""

from datetime import date

import pytest

from factories import add_samples, build_world
from renda.experts import services

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    world = add_samples(build_world())
    staff = world.users["staff"]
    services.record_opinion(
        world.samples["expert_assignment"],
        "该通知关于施工工地围挡的规定与上位法一致；建议对“有效防尘降尘措施”作出可操作的细化规定，"
        "并明确监督检查的责任部门。",
        staff,
        on=date(2020, 5, 20),
    )
    return live_server.url, world


@pytest.mark.parametrize("mobile", [True, False], ids=["phone", "desktop"])
def test_think_tank_pages(browser, site, shot, mobile):
    url, world = site
    size = "phone" if mobile else "desktop"
    page = login(browser, url, "staff", mobile=mobile)
    e, filing = world.samples["expert"], world.samples["filing"]
    pages = [
        ("list", "/work/experts/", "高立明"),
        ("detail", f"/work/experts/{e.pk}/", "有效防尘降尘措施"),
        ("form", "/work/experts/new/", "新增专业领域"),
        ("assign", f"/work/experts/assign/filing.filing/{filing.pk}/", "有效防尘降尘措施"),
    ]
    for name, path, text in pages:
        response = page.goto(f"{url}{path}")
        assert response.status < 400, path
        assert text in page.content(), path
        assert_cjk_renders(page)
        assert_no_horizontal_overflow(page)
        shot(page, f"experts-{name}-{size}")
    page.context.close()
