"""A problem on the ledger walked in a real browser: staff put a problem found by a deputy's
suggestion on its list (the service every module calls); the unit finds it in its ledger,
signs, reports progress, asks for closure without evidence and is refused in Chinese with
what it typed kept, then asks with a file; staff return it once, the unit asks again, staff
accept (销号). The unit never gets the acceptance buttons. Screenshots var/screenshots/p*.png."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from factories import SUGGESTION_TEXT, build_world
from renda.problems import services
from renda.workflow.engine import perform

from .test_suggestion_path import Person

pytestmark = pytest.mark.browser

TITLE = "农村饮水管网老化、夏季频繁停水"


@pytest.fixture
def site(live_server, transactional_db):
    from renda.suggestions import services as suggestion_services

    world = build_world()
    s = suggestion_services.save_draft(
        world.users["deputy"],
        lead=world.deputy,
        title="关于加快农村饮水工程改造的建议",
        content=SUGGESTION_TEXT,
        category="农牧水利",
        cosigners=[],
    )
    perform(s, "submit", world.users["deputy"])
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"})
    services.open_problem(
        s,
        world.users["staff"],
        title=TITLE,
        unit=world.unit_a,
        due_on=timezone.localdate() + timedelta(days=60),
        measures="更换老化管网，建立长效管护机制。",
    )
    services.open_problem(
        s,
        world.users["staff"],
        title="水质检测不及时",
        unit=world.unit_b,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    return live_server.url


def test_problem_from_listing_to_closure_with_evidence(browser, site, shot, tmp_path):
    report = tmp_path / "整改报告.txt"
    report.write_text("已更换老化管网12公里，水质检测合格。", encoding="utf-8")

    unit = Person(browser, site, "unit", mobile=True)
    unit.open("/work/problems/")
    assert "本单位整改事项" in unit.page.inner_text("main")
    assert "水质检测不及时" not in unit.page.inner_text("main")  # another unit's problem
    shot(unit.page, "p01-unit-ledger")
    unit.page.click(f"text={TITLE}")
    assert unit.state() == "待整改"
    case_path = re.sub(r"^https?://[^/]+", "", unit.page.url)
    unit.act("签收")
    assert unit.state() == "整改中"
    unit.act("报告进展", {"#id_note": "已完成城区段管网更换，农村段正在施工。"})
    assert "已完成城区段管网更换" in unit.page.inner_text("main")
    shot(unit.page, "p02-unit-progress")

    # 申请销号 without evidence: refused, the text kept
    typed = "管网已全部更换，群众反映停水问题已解决。"
    unit.page.click("[data-testid=actions] >> text=申请销号")
    unit.page.fill("#id_note", typed)
    unit.page.click("main button[type=submit]")
    unit.page.wait_for_load_state()
    assert "申请销号须附整改佐证材料。" in unit.page.inner_text("main")
    assert unit.page.input_value("#id_note") == typed
    shot(unit.page, "p03-unit-refused-without-evidence")
    unit.page.set_input_files("#id_files", str(report))
    unit.page.click("main button[type=submit]")
    unit.page.wait_for_load_state()
    assert unit.state() == "申请销号"
    assert "整改报告.txt" in unit.page.inner_text("main")
    # the unit cannot accept its own closure
    assert "验收销号" not in unit.page.inner_text("[data-testid=actions]")

    staff = Person(browser, site, "staff")
    staff.open("/work/problems/?state=closure_requested")
    shot(staff.page, "p04-staff-ledger")
    staff.page.click(f"text={TITLE}")
    staff.act("退回", {"#id_note": "请补充第三方水质检测报告。"})
    assert staff.state() == "整改中"

    unit.open(case_path)
    unit.page.click("[data-testid=actions] >> text=申请销号")
    unit.page.fill("#id_note", "已补充第三方水质检测报告。")
    unit.page.set_input_files("#id_files", str(report))
    unit.page.click("main button[type=submit]")
    unit.page.wait_for_load_state()
    assert unit.state() == "申请销号"

    staff.open(case_path)
    staff.act("验收销号")
    assert staff.state() == "已销号"
    shot(staff.page, "p05-staff-closed")
    staff.page.click("header.case-header >> text=关于加快农村饮水工程改造的建议问题清单")
    assert "共 2 个问题，已销号 1 个" in staff.page.inner_text("main")
    shot(staff.page, "p06-problem-list")
    assert not unit.errors and not staff.errors
