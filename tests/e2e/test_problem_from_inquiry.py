"""A problem from a special inquiry's promise, in a real browser: the promise made at the
inquiry on 大气污染防治 is put on the one problem ledger (its list arises from the inquiry);
the responsible unit signs, reports progress twice, asks for closure without evidence and is
refused (the Chinese message shown, what it typed kept), then with its evidence; the staff of
the body in charge accepts it: 已销号. Screenshots at each step (var/screenshots/pi*.png)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from factories import PASSWORD, build_world
from renda.core import services as core
from renda.core.models import Role
from renda.supervision import services
from renda.workflow.engine import perform
from sup_helpers import body, members, sitting

from .test_suggestion_path import Person

pytestmark = pytest.mark.browser

PROMISE = "年内完成建成区燃煤散烧治理，清洁取暖率达到90%以上；每月向市人大常委会环资工委报告进展。"


@pytest.fixture
def site(live_server, transactional_db):
    """The inquiry held and its promise on the ledger, through the services (the inquiry's own
    pages are another part of issue 12)."""
    world = build_world()
    today = timezone.localdate()
    env = body(world)
    core.create_account(
        world.admin,
        username="huanzi",
        password=PASSWORD,
        display_name="环资工委 刘干事",
        roles=[dict(role=Role.STAFF, congress=world.city, body=env)],
    )
    staff = world.users["staff"]
    inquiry = services.add_item(
        staff,
        None,
        "inquiry",
        congress=world.city,
        title="关于大气污染防治工作情况的专题询问",
        body=env,
        organ=world.unit_b,
        on=today - timedelta(days=60),
    )
    perform(inquiry, "schedule", staff, {"sitting": sitting(world, 19, today - timedelta(days=10)).pk})
    perform(inquiry, "hold", staff, {}, today=today - timedelta(days=10))
    ((member, _),) = members(world, 1)
    question = services.add_question(
        staff,
        inquiry,
        member.person,
        "建成区燃煤散烧治理为何进展缓慢？",
        "市住房和城乡建设局局长",
        answer="受资金和气源影响，部分改造推迟。",
        promises=PROMISE,
        on=today - timedelta(days=10),
    )
    services.open_problem_from_promise(
        staff,
        question,
        unit=world.unit_b,
        due_on=today + timedelta(days=90),
        title="建成区燃煤散烧治理滞后",
        on=today - timedelta(days=5),
    )
    return live_server.url


def test_a_promise_through_progress_a_refused_closure_and_acceptance(browser, site, shot, tmp_path):
    unit = Person(browser, site, "other_unit")  # 市住建局, the unit responsible
    unit.open("/work/problems/")
    assert "建成区燃煤散烧治理滞后" in unit.page.inner_text("main")
    shot(unit.page, "pi01-unit-ledger")
    unit.page.click("text=建成区燃煤散烧治理滞后")
    assert unit.state() == "待整改"
    item_path = re.sub(r"^https?://[^/]+", "", unit.page.url)
    main = unit.page.inner_text("main")
    assert "每月向市人大常委会环资工委报告进展" in main  # the promise is its measures
    assert "关于大气污染防治工作情况的专题询问问题清单" in main  # the list, arising from the inquiry
    shot(unit.page, "pi02-unit-item-from-inquiry")

    unit.act("签收")
    assert unit.state() == "整改中"
    unit.act("报告进展", {"#id_note": "已完成城区3000户清洁取暖改造，占计划的40%。"})
    unit.act("报告进展", {"#id_note": "累计完成6500户改造，占计划的87%，剩余部分11月底前完成。"})
    timeline = unit.page.inner_text("main")
    assert "占计划的40%" in timeline and "占计划的87%" in timeline
    shot(unit.page, "pi03-unit-two-progress-reports")

    # closure without evidence: refused in Chinese, what was typed is kept
    typed = "建成区燃煤散烧治理已全部完成，清洁取暖率达到92%。"
    unit.act("申请销号", {"#id_note": typed})
    assert "申请销号须附整改佐证材料。" in unit.page.inner_text("main")
    assert unit.page.input_value("#id_note") == typed
    shot(unit.page, "pi04-unit-closure-refused-without-evidence")

    evidence = tmp_path / "整改验收报告.txt"
    evidence.write_text("建成区燃煤散烧治理验收报告：清洁取暖率92%。", encoding="utf-8")
    unit.page.set_input_files("input[type=file]", str(evidence))
    unit.page.click("main button[type=submit]")
    unit.page.wait_for_load_state()
    assert unit.state() == "申请销号"
    assert "整改验收报告.txt" in unit.page.inner_text("main")
    # the unit cannot close its own problem: no such button for it
    assert "验收销号" not in unit.page.inner_text("[data-testid=actions]")
    shot(unit.page, "pi05-unit-closure-requested")

    staff = Person(browser, site, "huanzi")
    staff.open(item_path)
    assert staff.state() == "申请销号"
    staff.act("验收销号")
    assert staff.state() == "已销号"
    assert "销号日期" in staff.page.inner_text("main")
    shot(staff.page, "pi06-staff-accepted-closed")
    assert not unit.errors and not staff.errors
