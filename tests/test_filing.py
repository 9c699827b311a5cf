"""Filing and review of normative documents: the case from filing to closure, the
formal check, review proposals, who sees what, the metrics, the annual report and the
summary sentence."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.core import services as core
from renda.core.downloads import download_url
from renda.core.models import Body, HandlingUnit, Role
from renda.core.scoping import visible
from renda.filing import report, services
from renda.filing.models import Filing, ReviewProposal
from renda.reports import summary
from renda.reports.metrics import Period, Scope, compute
from renda.workflow import documents
from renda.workflow.engine import WorkflowError, perform

TEXT = """巴彦淖尔市人民政府关于加强城区扬尘污染防治工作的通知

各旗县区人民政府，市直各有关部门：
为改善城区环境空气质量，根据《中华人民共和国大气污染防治法》《内蒙古自治区大气污染防治条例》，现就加强城区扬尘污染防治工作通知如下。
一、施工单位应当在施工工地设置硬质围挡，并采取覆盖、分段作业、择时施工、洒水抑尘等有效防尘降尘措施。
二、违反本通知规定的，由住房和城乡建设主管部门依照《中华人民共和国大气污染防治法》第一百一十五条的规定予以处罚。
三、本通知自2020年5月1日起施行。

巴彦淖尔市人民政府
2020年4月20日
"""
BAD = TEXT.replace("三、本通知", "三、渣土运输车辆应当向市城市管理部门缴纳每车五千元的保证金。\n四、本通知")


@pytest.fixture
def gov(world):
    """The municipal government (a filing body) and its account."""
    unit = HandlingUnit.objects.get(congress=world.city, kind=HandlingUnit.Kind.GOVERNMENT)
    world.users["gov"] = core.create_account(
        world.admin,
        username="gov",
        password="x",
        display_name="市政府法制科",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=unit)],
    )
    world.gov = unit
    return unit


def data(gov, **extra):
    return {
        "filer": f"unit:{gov.pk}",
        "kind": "government",
        "title": "巴彦淖尔市人民政府关于加强城区扬尘污染防治工作的通知",
        "document_number": "巴政发〔2020〕12号",
        "adopted_on": date(2020, 4, 16),
        "published_on": date(2020, 4, 20),
        "drafting_explanation": "为落实大气污染防治法，经征求意见、合法性审查和市政府常务会议审议，制定本通知。",
        "legal_basis": "《中华人民共和国大气污染防治法》",
        "text": TEXT,
    } | extra


def file(world, gov, day=date(2020, 5, 6), **extra):
    return services.file_document(world.users["gov"], data(gov, **extra), today=day)


def register(world, filing, day=date(2020, 5, 8)):
    perform(filing, "register", world.users["staff"], {"committee": world.office.pk, "published": "on"}, today=day)


CHECKED = {"constitutionality": "ok", "political": "ok", "legality": "ok", "appropriateness": "ok"}


def test_filing_is_registered_with_a_number_and_a_review_clock(world, gov):
    filing = file(world, gov)
    assert filing.state == "submitted" and filing.filed_on == date(2020, 5, 6) and filing.on_time is True
    register(world, filing)
    assert filing.state == "reviewing" and filing.number == "备〔2020〕1号"
    second = file(world, gov, document_number="巴政发〔2020〕13号")
    register(world, second)
    assert second.number == "备〔2020〕2号"
    clock = filing.deadlines().get(key="review")
    assert clock.due_on == date(2020, 8, 8) and "三个月" in clock.citation


def test_a_document_filed_after_thirty_days_is_late(world, gov):
    filing = file(world, gov, day=date(2020, 6, 1))
    assert filing.on_time is False
    assert any(f["kind"] == "late_filing" for f in filing.findings)
    assert compute("filing.on_time", Scope(world.city, Period.year(2020))).value == 0


def test_the_automatic_checks_flag_a_fee_and_pass_a_penalty_applied_by_law(world, gov):
    clean = file(world, gov)
    assert [f for f in clean.findings if f["kind"] != "late_filing"] == []
    bad = file(world, gov, text=BAD, document_number="巴政发〔2020〕14号")
    kinds = {f["kind"] for f in bad.findings}
    assert "unauthorized_fee" in kinds
    fee = next(f for f in bad.findings if f["kind"] == "unauthorized_fee")
    assert BAD[fee["start"] : fee["end"]] == fee["excerpt"] and "保证金" in fee["excerpt"]


def test_from_written_opinion_to_correction(world, gov):
    filing = file(world, gov, text=BAD)
    register(world, filing)
    staff = world.users["staff"]
    with pytest.raises(ValidationError):  # no checklist yet
        perform(filing, "conclude", staff, today=date(2020, 5, 20))
    perform(
        filing,
        "record_review",
        staff,
        CHECKED | {"legality": "problem", "legality_note": "设定保证金无依据"},
        today=date(2020, 5, 20),
    )
    with pytest.raises(ValidationError):  # a standard marked as a problem: not "no problem"
        perform(filing, "conclude", staff, today=date(2020, 5, 20))
    perform(
        filing,
        "send_opinion",
        staff,
        {
            "problem_summary": "设定保证金没有法律依据",
            "reply_period": "30",
            "opinion": "经审查，该通知第三条设定保证金没有法律、法规依据，请在三十日内研究处理并书面回复。",
        },
        today=date(2020, 5, 21),
    )
    assert filing.state == "opinion_sent" and filing.problem_found
    reply = filing.deadlines().get(key="opinion_reply")
    assert reply.due_on == date(2020, 6, 20) and reply.handling_unit_id == gov.pk
    with pytest.raises(PermissionDenied):  # only the issuing body reports its correction
        perform(
            filing,
            "report_correction",
            world.users["other_unit"],
            {"correction": "删除第三条关于保证金的规定", "corrected_on": date(2020, 6, 10)},
            today=date(2020, 6, 10),
        )
    perform(
        filing,
        "report_correction",
        world.users["gov"],
        {
            "correction": "市政府印发修改决定，删除第三条关于缴纳保证金的规定",
            "corrected_on": date(2020, 6, 10),
            "correcting_document": "巴政发〔2020〕20号",
        },
        today=date(2020, 6, 10),
    )
    perform(filing, "confirm_correction", staff, today=date(2020, 6, 12))
    assert filing.state == "corrected" and filing.outcome == "corrected"
    assert [e.transition for e in filing.events()] == [
        "submit",
        "register",
        "record_review",
        "send_opinion",
        "report_correction",
        "confirm_correction",
    ]
    scope = Scope(world.city, Period.year(2020))
    assert compute("filing.problems_found", scope).value == 1
    assert compute("filing.corrected", scope).value == 1
    assert filing.deadlines().filter(status="running").count() == 0


def test_formal_check_asks_for_missing_material_then_registers(world, gov):
    filing = file(world, gov)
    perform(filing, "request_material", world.users["staff"], {"note": "缺少备案报告"}, today=date(2020, 5, 7))
    assert filing.state == "incomplete"
    assert filing.deadlines().get(key="resubmit").due_on == date(2020, 5, 17)
    perform(filing, "resubmit", world.users["gov"], {"note": "已补充备案报告"}, today=date(2020, 5, 9))
    assert filing.state == "submitted"
    perform(
        filing, "return", world.users["staff"], {"note": "不属于规范性文件（内部工作安排）"}, today=date(2020, 5, 10)
    )
    assert filing.state == "returned" and filing.outcome == "returned"


def test_submission_refuses_incomplete_material_and_bad_filers(world, gov):
    with pytest.raises(ValidationError) as err:
        file(world, gov, drafting_explanation="", legal_basis=" ")
    assert "起草说明" in str(err.value)
    assert not Filing.objects.exists()  # atomic: nothing kept
    with pytest.raises(PermissionDenied):  # a department files with the government, not here
        services.file_document(world.users["unit"], data(gov, filer=f"unit:{world.unit_a.pk}"))
    with pytest.raises(ValidationError):
        file(world, gov, kind="judicial")


def test_who_sees_a_filing(world, gov, client_for):
    draft = services.file_document(world.users["gov"], data(gov), submit=False)
    submitted = file(world, gov, document_number="巴政发〔2020〕15号")
    registered = file(world, gov, document_number="巴政发〔2020〕16号")
    register(world, registered)

    def seen(role):
        return set(visible(world.users[role] if role != "public" else None, Filing).values_list("pk", flat=True))

    assert seen("gov") == {draft.pk, submitted.pk, registered.pk}
    assert seen("staff") == seen("director") == seen("member") == {submitted.pk, registered.pk}
    assert seen("public") == seen("deputy") == {registered.pk}
    assert seen("other_unit") == set() and seen("unit") == set()
    assert seen("county_staff") == set()
    assert client_for("other_unit").get(f"/work/filing/{submitted.pk}/").status_code == 404
    assert client_for("public").get(f"/filing/{submitted.pk}/").status_code == 404
    assert client_for("public").get(f"/filing/{registered.pk}/").status_code == 200
    Filing.objects.filter(pk=registered.pk).update(published=False)
    assert client_for("public").get(f"/filing/{registered.pk}/").status_code == 404


def test_a_lower_congress_files_its_resolution_with_the_city(world):
    filing = services.file_document(
        world.users["county_staff"],
        {
            "filer": f"congress:{world.county_a.pk}",
            "kind": "resolution",
            "title": "临河区人大常委会关于加强生态环境保护的决议",
            "document_number": "临人常发〔2020〕3号",
            "adopted_on": date(2020, 6, 28),
            "published_on": date(2020, 6, 30),
            "drafting_explanation": "根据区人大常委会会议审议意见起草。",
            "legal_basis": "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》",
            "text": TEXT,
        },
        today=date(2020, 7, 10),
    )
    assert filing.congress == world.city and filing.filer_name == "临河区人大常委会"
    assert filing.pk in visible(world.users["staff"], Filing).values_list("pk", flat=True)


def test_review_proposal_from_the_public_form_gets_its_feedback(world, gov, client_for):
    filing = file(world, gov)
    register(world, filing)
    public = client_for("public")
    form = {
        "proposer": "刘建华",
        "proposer_kind": "citizen",
        "contact": "13904781234",
        "document_title": filing.title,
        "document_number": filing.document_number,
        "issue": "第二条规定的处罚",
        "reasons": "短",
    }
    response = public.post("/filing/proposals/new/", form)
    assert response.status_code == 200 and "请具体说明理由" in response.content.decode()
    assert "刘建华" in response.content.decode()  # what was typed is kept
    form["reasons"] = "该通知要求施工单位采取的措施超出了大气污染防治法的规定，增加了企业的义务，请予审查。"
    response = public.post("/filing/proposals/new/", form)
    assert response.status_code == 302
    proposal = ReviewProposal.objects.get()
    assert proposal.state == "received" and proposal.filing == filing  # matched by document number
    page = public.get("/filing/proposals/received/").content.decode()
    assert proposal.receipt in page
    staff = world.users["staff"]
    perform(proposal, "accept", staff, {"filing": filing.pk}, today=date(2020, 5, 12))
    with pytest.raises(ValidationError):  # the review is not over yet
        perform(proposal, "answer", staff, {"feedback": "经审查，未发现问题。感谢您的关心。"}, today=date(2020, 5, 13))
    perform(filing, "record_review", staff, CHECKED, today=date(2020, 5, 20))
    perform(filing, "conclude", staff, today=date(2020, 5, 20))
    perform(
        proposal,
        "answer",
        staff,
        {
            "feedback": "经审查，未发现该通知存在违反法律法规的问题，所规定措施依据大气污染防治法第六十九条。",
            "publish_feedback": "on",
        },
        today=date(2020, 5, 22),
    )
    status = public.get("/filing/proposals/status/", {"receipt": proposal.receipt, "contact": "1234"}).content.decode()
    assert "大气污染防治法第六十九条" in status and "已反馈" in status
    wrong = public.get("/filing/proposals/status/", {"receipt": proposal.receipt, "contact": "9999"}).content.decode()
    assert "查询码或联系方式不符" in wrong and "第六十九条" not in wrong
    answers = public.get("/filing/proposals/").content.decode()
    assert "第六十九条" in answers and "13904781234" not in answers and "刘建华" not in answers
    scope = Scope(world.city, Period.year(proposal.submitted_on.year))  # sent today through the form
    assert compute("filing.proposals_received", scope).value == 1
    assert compute("filing.proposals_answered", scope).value == 1
    assert client_for("unit").get(f"/work/filing/proposals/{proposal.pk}/").status_code in (403, 404)
    assert client_for("staff").get(f"/work/filing/proposals/{proposal.pk}/").status_code == 200


def test_robots_filling_the_hidden_field_leave_nothing(world, client_for):
    client_for("public").post(
        "/filing/proposals/new/",
        {
            "proposer": "x",
            "proposer_kind": "citizen",
            "contact": "13900000000",
            "document_title": "某文件",
            "issue": "问题",
            "reasons": "理由理由理由理由理由理由理由理由理由理由理由",
            "website": "http://spam",
        },
    )
    assert not ReviewProposal.objects.exists()


def _reviewed(world, gov, n, problems=()):
    for i in range(n):
        filing = file(world, gov, document_number=f"巴政发〔2020〕{30 + i}号", text=BAD if i in problems else TEXT)
        register(world, filing)
        perform(filing, "record_review", world.users["staff"], CHECKED, today=date(2020, 6, 1))
        perform(filing, "conclude", world.users["staff"], today=date(2020, 6, 1))


def test_summary_says_all_reviewed_in_time_only_when_counted(world, gov):
    _reviewed(world, gov, 3)
    text = summary.to_markdown(summary.build(world.city, 2020))
    assert "市政府报送的3件规范性文件全部及时进行了备案审查" in text
    file(world, gov, document_number="巴政发〔2020〕99号")  # filed, not yet reviewed
    text = summary.to_markdown(summary.build(world.city, 2020))
    assert "市政府报送的4件规范性文件进行了备案审查，其中按期报备并按期审结3件" in text


def test_annual_report_counts_the_records(world, gov, client_for):
    _reviewed(world, gov, 2)
    late = file(world, gov, day=date(2020, 7, 1), document_number="巴政发〔2020〕50号")
    doc = report.build(world.city, 2020)
    text = report.to_markdown(doc)
    assert "共收到报送备案的规范性文件3件" in text and "迟报1件" in text and late.title in text
    assert len(doc.catalogue) == 3
    page = client_for("staff").get("/work/filing/report/", {"year": 2020})
    assert page.status_code == 200 and "备案审查工作情况报告" in page.content.decode()
    assert client_for("gov").get("/work/filing/report/").status_code == 403

    import io

    from docx import Document

    word = client_for("staff").get("/work/filing/report/", {"year": 2020, "format": "docx"})
    assert word.status_code == 200 and word["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(word.content))
    assert document.core_properties.subject == "备案审查工作情况报告"
    texts = [p.text for p in document.paragraphs]
    assert doc.title in texts and "一、备案工作基本情况" in texts and "附件：备案文件目录" in texts
    table = document.tables[0]
    assert len(table.rows) == 4 and table.cell(0, 1).text == "文件名称" and table.cell(3, 1).text == late.title


def _grow(world, gov, n):
    for i in range(Filing.objects.count(), Filing.objects.count() + n):
        register(world, file(world, gov, document_number=f"巴政发〔2020〕{100 + i}号"))
        services.receive_proposal(
            world.city,
            {
                "proposer": f"建议人{i}",
                "proposer_kind": "citizen",
                "contact": "13900000000",
                "document_title": "某文件",
                "issue": "问题",
                "reasons": "理由" * 10,
            },
            today=date(2020, 6, 1),
        )


@pytest.mark.parametrize(
    "role,url",
    [
        ("staff", "/work/filing/"),
        ("staff", "/work/filing/?problems=1&q=扬尘"),
        ("staff", "/work/filing/?sort=-next_due"),
        ("staff", "/work/filing/proposals/"),
        ("public", "/filing/"),
        ("gov", "/work/filing/"),
        ("staff", "/work/filing/lower/"),
    ],
)
def test_filing_lists_issue_constant_queries(world, gov, client_for, role, url):
    client = client_for(role)
    _grow(world, gov, 1)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    _grow(world, gov, 12)
    assert count() == small


def test_detail_page_highlights_the_findings(world, gov, client_for):
    filing = file(world, gov, text=BAD)
    register(world, filing)
    page = client_for("staff").get(f"/work/filing/{filing.pk}/").content.decode()
    assert '<mark id="finding-0"' in page and "保证金" in page
    assert "《中华人民共和国大气污染防治法》" in page
    assert "填写审查要点" in page and "发出书面审查意见" in page
    assert "填写审查要点" not in client_for("gov").get(f"/work/filing/{filing.pk}/").content.decode()


def test_filing_form_keeps_input_and_extracts_uploaded_text(world, gov, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("gov")
    form = {
        "filer": f"unit:{gov.pk}",
        "kind": "government",
        "title": "测试通知",
        "document_number": "巴政发〔2020〕77号",
        "adopted_on": "2020-05-01",
        "published_on": "2020-04-20",
        "drafting_explanation": "",
        "legal_basis": "依据",
    }
    page = client.post("/work/filing/new/", form).content.decode()
    assert (
        "通过（签发）日期不能晚于公布日期" in page
        and "巴政发〔2020〕77号" in page
        and "请上传正式文本或粘贴正文" in page
    )
    form |= {
        "adopted_on": "2020-04-18",
        "drafting_explanation": "起草说明内容",
        "source_file": SimpleUploadedFile("notice.txt", TEXT.encode("gb18030")),
    }
    response = client.post("/work/filing/new/", form)
    assert response.status_code == 302
    filing = Filing.objects.get()
    assert "硬质围挡" in filing.text and documents.current(filing, "text").name == "notice.txt"
    broken = {
        **form,
        "document_number": "巴政发〔2020〕78号",
        "source_file": SimpleUploadedFile("notice.pdf", b"%PDF-1.4 not really"),
    }
    page = client.post("/work/filing/new/", broken).content.decode()
    assert "巴政发〔2020〕78号" in page and Filing.objects.count() == 1


def test_the_committee_reviews_only_what_it_was_given(world, gov):
    other = core.create_body(
        world.admin, world.city, "巴彦淖尔市人大常委会法制工作委员会", "法工委", Body.Kind.WORKING_COMMITTEE
    )
    reviewer = core.create_account(
        world.admin, username="fgw", password="x", roles=[dict(role=Role.STAFF, congress=world.city, body=other)]
    )
    filing = file(world, gov)
    register(world, filing)  # given to the office, not to 法工委
    with pytest.raises(PermissionDenied):
        perform(filing, "record_review", reviewer, CHECKED, today=date(2020, 5, 20))
    with pytest.raises(WorkflowError):
        perform(filing, "register", world.users["staff"], {"committee": other.pk}, today=date(2020, 5, 20))


def test_the_checks_find_the_demo_years_planted_problems_and_nothing_else():
    """The 17 documents of the demo year were written apart from the checker (a
    held-out set): the three planted problems are found, the fourteen clean ones pass."""
    from renda.assist.lawcheck import check_document
    from renda.filing.demo import DATA, rows

    for row in rows("documents.csv"):
        text = (DATA / row["file"]).read_text(encoding="utf-8")
        findings = check_document(
            text, published=date.fromisoformat(row["published_on"]), filed=date.fromisoformat(row["filed_on"])
        )
        kinds = {f.kind for f in findings}
        expected = {row["problem_kind"]} if row["problem_kind"] else set()
        assert kinds == expected, (row["file"], [(f.kind, f.excerpt) for f in findings])
        if expected:
            at = text.index(row["problem_excerpt"])
            assert any(f.start < at + len(row["problem_excerpt"]) and at < f.end for f in findings), row["file"]


def test_filing_api(world, gov, client_for):
    import json

    submitted = file(world, gov, document_number="巴政发〔2020〕61号")
    registered = file(world, gov, document_number="巴政发〔2020〕62号", text=BAD)
    register(world, registered)
    public = client_for("public").get("/api/filing/filings").json()
    assert [f["id"] for f in public["items"]] == [registered.pk]
    assert client_for("public").get(f"/api/filing/filings/{submitted.pk}").status_code == 404
    detail = client_for("staff").get(f"/api/filing/filings/{registered.pk}").json()
    assert detail["number"] == "备〔2020〕1号" and "unauthorized_fee" in {f["kind"] for f in detail["findings"]}

    payload = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data(gov).items()}
    payload["document_number"] = "巴政发〔2020〕63号"
    created = client_for("gov").post("/api/filing/filings", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "submitted"
    again = client_for("gov").post("/api/filing/filings", json.dumps(payload), content_type="application/json")
    assert again.status_code == 422 and "不要重复报送" in json.dumps(again.json(), ensure_ascii=False)
    payload["document_number"] = "巴政发〔2020〕64号"
    bad = client_for("gov").post(
        "/api/filing/filings", json.dumps(payload | {"drafting_explanation": ""}), content_type="application/json"
    )
    assert bad.status_code == 422 and "起草说明" in json.dumps(bad.json(), ensure_ascii=False)
    denied = client_for("unit").post("/api/filing/filings", json.dumps(payload), content_type="application/json")
    assert denied.status_code == 403 and "制定机关" in denied.json()["detail"]

    check = client_for("gov").post(
        "/api/filing/check", json.dumps({"text": BAD, "published": "2020-04-20"}), content_type="application/json"
    )
    assert check.status_code == 200 and [f["kind"] for f in check.json()] == ["unauthorized_fee"]
    assert (
        client_for("public")
        .post("/api/filing/check", json.dumps({"text": BAD}), content_type="application/json")
        .status_code
        == 403
    )


def test_a_congress_records_its_own_regulation_and_sends_it_up(world):
    from renda.federation.models import OutboundMessage, Peer

    Peer.objects.create(
        code="150000000000", name="内蒙古自治区人大常委会", direction=Peer.Direction.UP, base_url="http://127.0.0.1:9/"
    )
    text = TEXT.replace("通知", "条例") + "\n第十条 违反本条例第五条规定的，由城市管理部门处五百元以上二千元以下罚款。"
    filing = services.file_document(
        world.users["staff"],
        {
            "filer": f"own:{world.city.pk}",
            "kind": "regulation",
            "title": "巴彦淖尔市农药污染防治条例",
            "document_number": "巴彦淖尔市人民代表大会常务委员会公告第12号",
            "adopted_on": date(2020, 6, 24),
            "published_on": date(2020, 8, 5),
            "drafting_explanation": "经自治区人大常委会批准。",
            "legal_basis": "《中华人民共和国立法法》",
            "text": text,
        },
        today=date(2020, 8, 10),
    )
    assert filing.state == "forwarded" and filing.congress == world.city
    assert not any(f["kind"] == "unauthorized_penalty" for f in filing.findings)  # a regulation may set fines
    message = OutboundMessage.objects.get()
    assert message.body["state"] == "forwarded" and message.body["title"] == "巴彦淖尔市农药污染防治条例"
    scope = Scope(world.city, Period.year(2020))
    assert compute("filing.documents_filed", scope).value == 0  # not filed *with* the city
    assert "向上级人大常委会报送备案1件" in report.to_markdown(report.build(world.city, 2020))


def test_reminders_reach_whoever_must_act(world, gov):
    from renda.core.models import Notification
    from renda.workflow.tasks import escalate_overdue, send_reminders

    filing = file(world, gov, text=BAD)
    register(world, filing)
    perform(filing, "record_review", world.users["staff"], CHECKED | {"legality": "problem"}, today=date(2020, 5, 20))
    perform(
        filing,
        "send_opinion",
        world.users["staff"],
        {
            "problem_summary": "保证金无依据",
            "reply_period": "30",
            "opinion": "经审查，第三条设定保证金没有法律依据，请三十日内研究处理并书面回复。",
        },
        today=date(2020, 5, 21),
    )
    Notification.objects.all().delete()
    assert send_reminders(today=date(2020, 6, 17)) == 1  # the opinion's reply falls due on 6月20日
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["gov"]
    Notification.objects.all().delete()
    assert escalate_overdue(today=date(2020, 6, 25)) == 2  # notifications sent
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"gov", "staff"}  # the filer, and the congress's staff who supervise


def test_the_public_form_is_throttled_per_address(world, client_for):
    from django.core.cache import cache

    from renda.filing.public import PROPOSALS_PER_HOUR

    cache.clear()
    public = client_for("public")
    form = {
        "proposer": "张三",
        "proposer_kind": "citizen",
        "contact": "13900000000",
        "document_title": "某文件",
        "issue": "问题",
        "reasons": "该文件增加了企业的义务，没有法律依据，请予审查。",
    }
    for _ in range(PROPOSALS_PER_HOUR):
        assert public.post("/filing/proposals/new/", form).status_code == 302
    refused = public.post("/filing/proposals/new/", form)
    assert (
        refused.status_code == 429 and "提交过于频繁" in refused.content.decode() and "张三" in refused.content.decode()
    )
    assert ReviewProposal.objects.count() == PROPOSALS_PER_HOUR
    cache.clear()


def test_the_committee_and_the_document_belong_to_the_receiving_congress(world, gov):
    county_body = core.create_body(
        world.admin, world.county_a, "临河区人大常委会法制工作委员会", "法工委", Body.Kind.WORKING_COMMITTEE
    )
    filing = file(world, gov)
    with pytest.raises(ValidationError):  # not one of the city's bodies
        perform(filing, "register", world.users["staff"], {"committee": county_body.pk}, today=date(2020, 5, 8))
    register(world, filing)
    other = Filing.objects.create(
        congress=world.county_a,
        filer_unit=world.county_unit,
        kind="government",
        title="临河区人民政府关于某事的通知",
        document_number="临政发〔2020〕1号",
        adopted_on=date(2020, 5, 1),
        published_on=date(2020, 5, 2),
        text=TEXT,
    )
    proposal = services.receive_proposal(
        world.city,
        {
            "proposer": "王某",
            "proposer_kind": "citizen",
            "contact": "13900000000",
            "document_title": "某文件",
            "issue": "问题",
            "reasons": "理由" * 10,
        },
        today=date(2020, 6, 1),
    )
    with pytest.raises(ValidationError):  # another congress's filing
        perform(proposal, "accept", world.users["staff"], {"filing": other.pk}, today=date(2020, 6, 2))


def test_an_upper_level_sees_a_lower_levels_filings_but_does_not_act_on_them(world):
    county_gov = core.create_account(
        world.admin,
        username="county_gov",
        password="x",
        roles=[dict(role=Role.UNIT, congress=world.county_a, handling_unit=world.county_unit)],
    )
    filing = services.file_document(
        county_gov,
        {
            "filer": f"unit:{world.county_unit.pk}",
            "kind": "government",
            "title": "临河区人民政府关于某事的通知",
            "document_number": "临政发〔2020〕2号",
            "adopted_on": date(2020, 5, 1),
            "published_on": date(2020, 5, 2),
            "drafting_explanation": "说明",
            "legal_basis": "依据",
            "text": TEXT,
        },
        today=date(2020, 5, 6),
    )
    assert filing.congress == world.county_a
    assert filing.pk in visible(world.users["staff"], Filing).values_list("pk", flat=True)
    with pytest.raises(PermissionDenied):
        perform(filing, "return", world.users["staff"], {"note": "市人大常委会不应代为退回"}, today=date(2020, 5, 7))
    perform(
        filing, "register", world.users["county_staff"], {"committee": world.county_office.pk}, today=date(2020, 5, 7)
    )
    assert filing.state == "reviewing"


def test_the_public_api_says_only_what_the_public_page_says(world, gov, client_for):
    filing = file(world, gov, text=BAD)
    register(world, filing)
    perform(filing, "record_review", world.users["staff"], CHECKED | {"legality": "problem"}, today=date(2020, 5, 20))
    perform(
        filing,
        "send_opinion",
        world.users["staff"],
        {
            "problem_summary": "保证金",
            "reply_period": "30",
            "opinion": "经审查，第三条设定保证金没有法律依据，请研究处理并书面回复。",
        },
        today=date(2020, 5, 21),
    )
    public = client_for("public").get(f"/api/filing/filings/{filing.pk}").json()
    assert public["state"] == "reviewing" and public["state_label"] == "审查中" and public["findings"] == []
    assert client_for("public").get("/api/filing/filings", {"state": "opinion_sent"}).json()["count"] == 0
    assert client_for("public").get("/api/filing/filings", {"state": "reviewing"}).json()["count"] == 1
    inside = client_for("gov").get(f"/api/filing/filings/{filing.pk}").json()
    assert inside["state"] == "opinion_sent" and inside["findings"]
    nul = client_for("gov").post("/api/filing/check", '{"text": "a\\u0000b"}', content_type="application/json")
    assert nul.status_code == 422


def test_feedback_is_published_only_when_staff_choose_it(world, gov, client_for):
    proposal = services.receive_proposal(
        world.city,
        {
            "proposer": "王某",
            "proposer_kind": "citizen",
            "contact": "13900000000",
            "document_title": "加微信领红包",
            "issue": "问题",
            "reasons": "理由" * 10,
        },
        today=date(2020, 6, 1),
    )
    perform(
        proposal,
        "decline",
        world.users["staff"],
        {"feedback": "理由不明确，不予审查。请写明具体问题。"},
        today=date(2020, 6, 2),
    )
    assert "加微信领红包" not in client_for("public").get("/filing/proposals/").content.decode()
    page = client_for("member").get(f"/work/filing/proposals/{proposal.pk}/").content.decode()
    # the contact: for the staff who answer, masked on the page (test_personal_data)
    assert "139****0000" not in page
    assert "139****0000" in client_for("staff").get(f"/work/filing/proposals/{proposal.pk}/").content.decode()


def test_every_path_of_the_review_ends(world, gov):
    staff = world.users["staff"]
    opinion = {
        "problem_summary": "保证金",
        "reply_period": "30",
        "opinion": "经审查，第三条设定保证金没有法律依据，请研究处理并书面回复。",
    }
    # communicated, agreed to correct, then did not: a written opinion follows
    a = file(world, gov, text=BAD)
    register(world, a)
    perform(a, "communicate", staff, {"problem_summary": "保证金", "note": "电话沟通"}, today=date(2020, 5, 20))
    perform(a, "agree", world.users["gov"], {"note": "同意修改"}, today=date(2020, 5, 22))
    perform(a, "send_opinion", staff, opinion, today=date(2020, 7, 1))
    assert a.state == "opinion_sent" and not a.deadlines().filter(key="correct", status="running").exists()
    # the filer explains; the reviewer accepts the explanation
    perform(a, "explain", world.users["gov"], {"note": "该保证金依据自治区条例设立"}, today=date(2020, 7, 10))
    assert a.state == "reviewing" and a.deadlines().get(key="review").status == "running"
    perform(a, "record_review", staff, CHECKED, today=date(2020, 7, 15))
    perform(a, "conclude", staff, today=date(2020, 7, 15))
    assert a.state == "closed" and not a.problem_found
    # proposed for annulment; the standing committee keeps it
    b = file(world, gov, text=BAD, document_number="巴政发〔2020〕88号")
    register(world, b)
    perform(b, "send_opinion", staff, opinion, today=date(2020, 5, 21))
    perform(b, "propose_annulment", world.users["director"], {"note": "制定机关拒不纠正"}, today=date(2020, 7, 1))
    perform(b, "keep", staff, {"note": "常委会第二十次会议审议，决定不予撤销"}, today=date(2020, 8, 1))
    assert b.state == "closed" and b.outcome == "kept"
    assert b.deadlines().filter(status__in=("running", "paused")).count() == 0
    # a draft that cannot be completed is discarded
    c = services.file_document(
        world.users["gov"], data(gov, document_number="巴政发〔2020〕89号", text="短"), submit=False
    )
    with pytest.raises(ValidationError):
        perform(c, "submit", world.users["gov"], today=date(2020, 5, 6))
    perform(c, "discard", world.users["gov"], today=date(2020, 5, 6))
    assert c.state == "discarded"


def test_the_feedback_clock_starts_when_the_documents_review_ends(world, gov):
    filing = file(world, gov)
    register(world, filing)
    proposal = services.receive_proposal(
        world.city,
        {
            "proposer": "王某",
            "proposer_kind": "citizen",
            "contact": "13900000000",
            "document_title": filing.title,
            "document_number": filing.document_number,
            "issue": "问题",
            "reasons": "理由" * 10,
        },
        today=date(2020, 5, 10),
    )
    perform(proposal, "accept", world.users["staff"], {"filing": filing.pk}, today=date(2020, 5, 12))
    assert not proposal.deadlines().filter(status="running").exists()
    perform(filing, "record_review", world.users["staff"], CHECKED, today=date(2020, 6, 1))
    perform(filing, "conclude", world.users["staff"], today=date(2020, 6, 1))
    clock = proposal.deadlines().get(key="feedback")
    assert clock.status == "running" and clock.started_on == date(2020, 6, 1) and clock.due_on == date(2020, 6, 22)
    late = services.receive_proposal(
        world.city,
        {
            "proposer": "李某",
            "proposer_kind": "citizen",
            "contact": "13900000001",
            "document_title": filing.title,
            "issue": "问题",
            "reasons": "理由" * 10,
        },
        today=date(2020, 7, 1),
    )
    perform(late, "accept", world.users["staff"], {"filing": filing.pk}, today=date(2020, 7, 2))
    assert late.deadlines().get(key="feedback").started_on == date(2020, 7, 2)  # already reviewed: due at once
    assert [e.transition for e in late.events()] == ["receive", "accept", "review_done"]


def test_only_a_city_or_province_records_its_own_regulations(world):
    assert any(k.startswith("own:") for k, _, _ in services.filer_choices(world.users["staff"]))
    assert not any(k.startswith("own:") for k, _, _ in services.filer_choices(world.users["county_staff"]))


def test_the_source_file_is_served_only_to_who_may_see_the_filing(world, gov, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    filing = services.file_document(
        world.users["gov"], data(gov), SimpleUploadedFile("n.txt", TEXT.encode()), today=date(2020, 5, 6)
    )
    url = download_url(documents.current(filing, "text"))
    assert client_for("gov").get(url).status_code == 200
    assert client_for("staff").get(url).status_code == 200
    assert client_for("other_unit").get(url).status_code == 404
    assert client_for("staff").get("/work/filing/report/", {"year": "0"}).status_code == 200


def test_a_docx_that_inflates_too_much_is_refused():
    import io
    import zipfile

    from renda.assist.extract import ExtractError, extract_text

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:t>" + "法" * 40_000_000 + "</w:t>")
    with pytest.raises(ExtractError, match="解压后过大"):
        extract_text(buffer.getvalue(), "bomb.docx")


def test_a_draft_shows_its_findings_before_it_is_filed(world, gov, client_for):
    draft = services.file_document(world.users["gov"], data(gov, text=BAD), submit=False)
    page = client_for("gov").get(f"/work/filing/{draft.pk}/").content.decode()
    assert '<mark id="finding-0"' in page and "报送备案" in page


def test_the_filed_texts_versions_are_listed_wherever_the_filing_is_seen(world, gov, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    filing = services.file_document(
        world.users["gov"], data(gov), SimpleUploadedFile("扬尘通知.txt", TEXT.encode()), today=date(2020, 5, 6)
    )
    register(world, filing)
    second = documents.add_version(
        filing, "text", SimpleUploadedFile("扬尘通知（修改）.txt", BAD.encode()), world.users["gov"], note="内部说明"
    )
    first = documents.current(filing, "text").document.versions.get(number=1)
    assert first.uploaded_at.date() == date(2020, 5, 6)  # received the day it was filed
    pages = {
        "outsider": client_for("deputy").get(f"/work/filing/{filing.pk}/"),
        "public": client_for("public").get(f"/filing/{filing.pk}/"),
        "deputy on the portal": client_for("deputy").get(f"/filing/{filing.pk}/"),
    }
    for where, r in pages.items():
        html = r.content.decode()
        assert r.status_code == 200 and 'data-testid="documents"' in html, where
        for v in (first, second):
            assert download_url(v) in html and v.name in html, where
        assert "2020年5月6日" in html and "第2版" in html, where
        # seen from outside: not who uploaded it nor the notes of the process
        assert "内部说明" not in html and "市政府法制科" not in html, where
    assert client_for("public").get(download_url(first)).status_code == 200
    inside = client_for("staff").get(f"/work/filing/{filing.pk}/").content.decode()
    assert "内部说明" in inside and "市政府法制科" in inside
