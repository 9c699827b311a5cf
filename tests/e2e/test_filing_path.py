"""Filing and review walked in a real browser: the government files a document (a
Word file), staff register it, the automatic checks show their findings in the text,
the reviewer records the checklist and sends a written opinion, the government
reports its correction, the case closes; a citizen's review proposal gets its
feedback. A screenshot at each step (var/screenshots/f*.png)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from factories import PASSWORD, build_world
from renda.core import services as core
from renda.core.models import HandlingUnit, Role

from .test_suggestion_path import Person

pytestmark = pytest.mark.browser

TITLE = "巴彦淖尔市人民政府关于规范城区建筑垃圾运输管理的通知"
PARAGRAPHS = [
    TITLE,
    "各区人民政府，市直各有关部门：",
    "为加强城区建筑垃圾运输管理，防治扬尘污染，根据《中华人民共和国固体废物污染环境防治法》《中华人民共和国大气污染防治法》，现就有关事项通知如下。",
    "一、运输建筑垃圾的车辆应当采取密闭措施，按照规定的时间和路线行驶。",
    "二、从事建筑垃圾运输的企业，应当向市城市管理部门缴纳每车五千元的运输保证金。",
    "三、违反本通知第一条规定的，由城市管理部门依照《中华人民共和国大气污染防治法》第一百一十六条的规定予以处罚。",
    "四、本通知自印发之日起施行。",
]


@pytest.fixture
def site(live_server, transactional_db):
    world = build_world()
    unit = HandlingUnit.objects.get(congress=world.city, kind=HandlingUnit.Kind.GOVERNMENT)
    core.create_account(
        world.admin,
        username="gov",
        password=PASSWORD,
        display_name="市政府法制科",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=unit)],
    )
    return live_server.url


def test_filing_review_correction_and_proposal(browser, site, shot, tmp_path):
    today = timezone.localdate()
    doc = Document()
    for p in PARAGRAPHS:
        doc.add_paragraph(p)
    path = tmp_path / "notice.docx"
    doc.save(path)

    gov = Person(browser, site, "gov")
    gov.open("/work/filing/new/")
    gov.page.select_option("#id_kind", label="行政规范性文件")
    gov.page.fill("#id_title", TITLE)
    gov.page.fill("#id_document_number", "巴政发〔2020〕21号")
    gov.page.fill("#id_adopted_on", (today - timedelta(days=12)).isoformat())
    gov.page.fill("#id_published_on", (today - timedelta(days=10)).isoformat())
    gov.page.set_input_files("#id_source_file", str(path))
    gov.page.fill(
        "#id_drafting_explanation", "为规范建筑垃圾运输，经公开征求意见、合法性审查和市政府常务会议审议，制定本通知。"
    )
    gov.page.fill("#id_legal_basis", "《中华人民共和国固体废物污染环境防治法》《中华人民共和国大气污染防治法》")
    shot(gov.page, "f01-government-files")
    gov.page.click("button[value=submit]")
    assert gov.state() == "待登记"
    case_path = re.sub(r"^https?://[^/]+", "", gov.page.url)
    assert "运输保证金" in gov.page.inner_text("[data-testid=document-text]")

    staff = Person(browser, site, "staff")
    staff.open("/work/filing/?state=submitted")
    staff.page.click(f"text={TITLE}")
    staff.act("登记", {"select:#id_committee": "办公室"})
    assert staff.state() == "审查中"
    assert "备〔" in staff.page.inner_text("header.case-header")
    checks = staff.page.inner_text("[data-testid=checks]")
    assert "收费" in checks or "保证金" in checks
    mark = staff.page.locator("[data-testid=document-text] mark").first
    assert "保证金" in mark.inner_text()
    assert "《中华人民共和国大气污染防治法》" in checks  # the citations and their status
    shot(staff.page, "f02-staff-registered-with-findings")

    staff.act(
        "填写审查要点",
        {
            "check:#id_constitutionality_0": None,
            "check:#id_political_0": None,
            "check:#id_legality_2": None,
            "#id_legality_note": "设定运输保证金没有法律、法规依据。",
            "check:#id_appropriateness_0": None,
        },
    )
    staff.act(
        "发出书面审查意见",
        {
            "#id_opinion": "经审查，该通知第二条要求运输企业缴纳保证金，没有法律、法规依据，"
            "请在收到本意见之日起三十日内研究处理，并书面回复市人大常委会。",
            "select:#id_reply_period": "三十日",
        },
    )
    assert staff.state() == "已发书面审查意见"
    assert "书面审查意见回复期限" in staff.page.inner_text("aside")
    shot(staff.page, "f03-staff-sent-opinion")

    gov.open(case_path)
    assert "经审查，该通知第二条" in gov.page.inner_text("[data-testid=review]")
    gov.act(
        "报告纠正情况",
        {
            "#id_correction": "市人民政府印发修改决定，删除第二条关于缴纳运输保证金的规定。",
            "#id_corrected_on": today.isoformat(),
            "#id_correcting_document": "巴政发〔2020〕25号",
        },
    )
    assert gov.state() == "纠正情况待核实"
    shot(gov.page, "f04-government-reports-correction")

    staff.open(case_path)
    staff.act("确认已纠正")
    assert staff.state() == "已纠正"
    timeline = staff.page.inner_text("aside")
    for step in ("报送备案", "登记", "填写审查要点", "发出书面审查意见", "报告纠正情况", "确认已纠正"):
        assert step in timeline
    shot(staff.page, "f05-corrected")

    citizen = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN").new_page()
    citizen.goto(f"{site}/filing/")
    assert TITLE in citizen.inner_text("main")
    citizen.click("text=提出审查建议")
    citizen.fill("#id_proposer", "刘建华")
    citizen.fill("#id_contact", "13904785678")
    citizen.fill("#id_document_title", TITLE)
    citizen.fill("#id_document_number", "巴政发〔2020〕21号")
    citizen.fill("#id_issue", "通知要求运输企业缴纳保证金")
    citizen.fill("#id_reasons", "保证金没有法律依据，增加了运输企业的负担，请人大常委会审查。")
    shot(citizen, "f06-citizen-proposal")
    citizen.click("main button[type=submit]")
    receipt = citizen.inner_text("[data-testid=receipt]").strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", receipt)

    staff.open("/work/filing/proposals/")
    staff.page.click("text=刘建华")
    staff.act("受理审查")
    staff.act(
        "反馈审查结果",
        {
            "#id_feedback": "您提出的审查建议已收到。经审查，该通知设定保证金没有法律依据，"
            "市人民政府已删除该规定。感谢您对备案审查工作的关心和支持。"
        },
    )
    assert staff.state() == "已反馈"
    shot(staff.page, "f07-staff-answers-proposal")

    citizen.goto(f"{site}/filing/proposals/status/")
    citizen.fill("#id_receipt", receipt)
    citizen.fill("#id_contact", "5678")
    citizen.click("main button[type=submit]")
    assert "市人民政府已删除该规定" in citizen.inner_text("[data-testid=proposal-status]")
    shot(citizen, "f08-citizen-sees-feedback")
    for p in (gov, staff):
        assert p.errors == []
        p.context.close()
