"""Legislation pages for the staff (issue 13 items 2, 3, 4, 7): registering a bill (LEG-1 on the
field, the legal committee's early involvement kept as a note), drafts as text or .docx, a
comment period (≥ 30 days), moderation and handling from the comments page, the consultation
summary public once the period has closed, causes of a draft's changes (adopted comments cited
automatically, opinions cited by hand, shown on the diff page), the Word export, the public
regulations pages and the metrics (the summary names the regulations)."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from factories import DRAFT_V2, add_legislation_samples
from renda.core import services as core_services
from renda.legislation import services
from renda.legislation.models import Bill, Cause, Opinion, PublicComment
from renda.reports import metrics, summary
from renda.reports.metrics import Period, Scope
from renda.workflow import documents

pytestmark = pytest.mark.django_db

DRAFT_V3 = DRAFT_V2.replace(
    "第三条　市人民政府负责历史文化街区保护工作，区人民政府负责本辖区的保护工作。",
    "第三条　市人民政府负责历史文化街区保护工作，区人民政府负责本辖区的保护工作，所需经费列入财政预算。",
)


@pytest.fixture
def samples(world):
    world.samples["sitting"] = core_services.create_committee_meeting(
        world.users["admin"], world.term, 23, date(2020, 10, 9)
    )
    add_legislation_samples(world)
    return world.samples


def docx_bytes(*paragraphs) -> bytes:
    from docx import Document

    document = Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- registering a bill


def test_register_bill_shows_leg1_on_the_field_and_keeps_input(world, client_for):
    c = client_for("staff")
    data = {
        "title": "样例市税收征管条例",
        "area": "other",
        "area_basis": "",
        "drafter": "市财政局",
        "readings_required": "2",
    }
    page = c.post(reverse("legislation:bill_new"), data)
    assert page.status_code == 422
    html = page.content.decode()
    assert "立法法第八十一条" in html and 'value="样例市税收征管条例"' in html and 'value="市财政局"' in html
    assert 'id="id_area_basis_errors"' in html  # the message sits under the basis field
    assert not Bill.objects.filter(title="样例市税收征管条例").exists()

    data.update(area="heritage", early_involvement="法制委员会提前介入起草，参加调研三次。")
    page = c.post(reverse("legislation:bill_new"), data)
    bill = Bill.objects.get(title="样例市税收征管条例")
    assert page.status_code == 302 and page["Location"] == reverse("legislation:bill", args=[bill.pk])
    note = documents.current(bill, "early_involvement")
    assert note and "参加调研三次" in note.text
    assert client_for("director").get(reverse("legislation:bill_new")).status_code == 403


# ---------------------------------------------------------------- drafts


def test_upload_docx_draft_and_a_bad_cause_keeps_the_text(world, samples, client_for):
    bill, c = samples["bill_drafting"], client_for("staff")
    url = reverse("legislation:draft_new", args=[bill.pk])
    upload = SimpleUploadedFile(
        "草案第三稿.docx",
        docx_bytes(
            "样例市历史文化街区保护条例", "第一条　为了保护历史文化街区，制定本条例。", "第二条　本条例适用于本市。"
        ),
    )
    page = c.post(url, {"file": upload, "note": "Word稿"})
    assert page.status_code == 302
    version = documents.current(bill, "draft")
    assert version.number == 3 and [a.number for a in services.articles_of(version).articles] == [1, 2]

    page = c.post(url, {"text": DRAFT_V3, "causes": "第九条：公众意见#1"})
    assert page.status_code == 422
    html = page.content.decode()
    assert "本稿没有第九条" in html and "所需经费列入财政预算" in html
    assert documents.current(bill, "draft").number == 3
    page = c.post(url, {"text": "", "note": "空"})
    assert page.status_code == 422 and "请上传草案文件或粘贴草案文本" in page.content.decode()


@pytest.mark.parametrize("line", ["第1十条　乙。", "第二十１条　乙。", "第二十1条　乙。"])
def test_draft_with_a_mixed_numeral_is_refused_naming_the_line(world, samples, client_for, line):
    """A number that mixes digits and Chinese numerals cannot be read (not a 500): `parse` would
    keep the line as text of the article before, so a draft being stored is refused instead,
    naming the line, and the typed text is kept."""
    bill, c = samples["bill_drafting"], client_for("staff")
    before = documents.current(bill, "draft").number
    page = c.post(reverse("legislation:draft_new", args=[bill.pk]), {"text": f"第一条　甲。\n{line}"})
    assert page.status_code == 422
    html = page.content.decode()
    assert "条号无法识别" in html and line[:4] in html and "第一条　甲。" in html
    assert documents.current(bill, "draft").number == before


def test_cause_with_a_mixed_numeral_is_refused_in_chinese(world, samples, client_for):
    bill, c = samples["bill_drafting"], client_for("staff")
    before = documents.current(bill, "draft").number
    page = c.post(reverse("legislation:draft_new", args=[bill.pk]), {"text": DRAFT_V3, "causes": "第1十条：公众意见#1"})
    assert page.status_code == 422
    html = page.content.decode()
    assert "条号“1十”无法识别" in html and "所需经费列入财政预算" in html
    assert documents.current(bill, "draft").number == before


def test_causes_are_bounded(world, samples, client_for):
    bill, c = samples["bill_drafting"], client_for("staff")
    before = documents.current(bill, "draft").number
    causes = "第三条：公众意见#1\n" * 2000  # 24,000 characters
    page = c.post(reverse("legislation:draft_new", args=[bill.pk]), {"text": DRAFT_V3, "causes": causes})
    assert page.status_code == 422 and "修改依据不能超过20000字" in page.content.decode()
    assert documents.current(bill, "draft").number == before


# ---------------------------------------------------------------- comment periods


def test_period_form_refuses_fewer_than_thirty_days_and_keeps_input(world, samples, client_for):
    bill, c = samples["bill_reading"], client_for("staff")
    url = reverse("legislation:period_new", args=[bill.pk])
    data = {"version": "2", "opens_on": "2020-11-02", "closes_on": "2020-11-20", "published": "on"}
    page = c.post(url, data)
    assert page.status_code == 422
    html = page.content.decode()
    assert "不少于三十日" in html and "2020年12月1日" in html and 'value="2020-11-20"' in html
    data["closes_on"] = "2020-12-01"
    page = c.post(url, data)
    period = bill.periods.get(opens_on=date(2020, 11, 2))
    assert page.status_code == 302 and period.version.number == 2 and period.published


def test_moderate_and_handle_from_the_comments_page(world, samples, client_for):
    comment = PublicComment.objects.get(period=samples["comment_period"], status="pending")
    c = client_for("staff")
    act = reverse("legislation:comment_act", args=[comment.pk])
    page = c.post(act, {"op": "moderate", "decision": "hide", "reason": ""})
    assert page.status_code == 422 and "不予公开的，请写明理由" in page.content.decode()
    assert c.post(act, {"op": "moderate", "decision": "hide", "reason": "与草案无关"}).status_code == 302
    page = c.post(act, {"op": "handle", "handling": "not_adopted", "note": ""})
    assert page.status_code == 422 and "请写明理由" in page.content.decode()
    assert c.post(act, {"op": "handle", "handling": "adopted", "note": ""}).status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.status_reason, comment.handling) == ("hidden", "与草案无关", "adopted")
    assert client_for("director").post(act, {"op": "handle", "handling": "adopted"}).status_code == 403
    page = c.get(reverse("legislation:comments", args=[comment.period_id])).content.decode()
    assert f'id="comment-{comment.pk}"' in page and "保存采纳情况" in page


def test_comments_page_constant_queries(world, samples, client_for, django_assert_max_num_queries):
    period, c = samples["comment_period"], client_for("staff")
    url = reverse("legislation:comments", args=[period.pk])
    c.get(url)
    with django_assert_max_num_queries(30) as few:
        c.get(url)
    for n in range(15):
        services.submit_comment(period, text=f"第{n}条意见：建议再斟酌。", article=n % 4 + 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(url).status_code == 200


def test_consultation_summary_public_once_closed(world, samples, client_for):
    bill, staff = samples["bill_reading"], world.users["staff"]
    today = timezone.localdate()
    period = services.open_period(
        bill,
        staff,
        version=services.drafts(bill).last(),
        opens_on=today - timedelta(days=40),
        closes_on=today - timedelta(days=2),
    )
    open_period = samples["comment_period"]
    page = client_for("staff").post(
        reverse("legislation:summary_new", args=[open_period.pk]), {"text": "共收到意见两条，采纳一条。"}
    )
    assert page.status_code == 422 and "截止后才能发布" in page.content.decode()
    page = client_for("staff").post(
        reverse("legislation:summary_new", args=[period.pk]), {"text": "共收到意见建议两条，采纳一条，已逐条说明。"}
    )
    assert page.status_code == 302
    public = client_for("public").get(reverse("legislation_public:period", args=[period.pk])).content.decode()
    assert "征求意见情况的说明" in public and "已逐条说明" in public


# ---------------------------------------------------------------- causes and the diff page


def test_adopted_comment_is_cited_by_the_next_draft_on_the_diff_page(world, samples, client_for):
    bill, staff = samples["bill_approved"], world.users["staff"]
    comment = samples["public_comment"]  # on article 3 of the second draft
    Cause.objects.filter(pk=samples["bill_cause"].pk).delete()
    services.handle(comment, staff, handling="adopted")
    opinion = services.record_opinion(
        bill, staff, kind=Opinion.Kind.CPPCC, source="市政协", text="建议明确经费保障。", received_on=date(2020, 11, 2)
    )
    c = client_for("staff")
    page = c.post(
        reverse("legislation:draft_new", args=[bill.pk]), {"text": DRAFT_V3, "causes": f"第三条：政协意见#{opinion.pk}"}
    )
    assert page.status_code == 302
    v3 = documents.current(bill, "draft")
    cited = {(x.article, x.comment_id, x.opinion_id, x.suggested) for x in Cause.objects.filter(version=v3)}
    assert cited == {(3, comment.pk, None, True), (3, None, opinion.pk, False)}
    html = c.get(reverse("legislation:diff", args=[bill.pk])).content.decode()
    assert f"公众意见#{comment.pk}（第三条）（系统提示）" in html and f"政协意见#{opinion.pk}" in html
    assert 'data-article="3"' in html and "依据：" in html

    # staff remove the suggested one, and cite it again from the diff page
    suggested = Cause.objects.get(version=v3, comment=comment)
    assert client_for("director").post(reverse("legislation:cause_remove", args=[suggested.pk])).status_code == 403
    assert c.post(reverse("legislation:cause_remove", args=[suggested.pk])).status_code == 302
    assert not Cause.objects.filter(pk=suggested.pk).exists()
    add = reverse("legislation:cause_add", args=[bill.pk, v3.number])
    assert c.post(add, {"article": 3, "source": f"公众意见#{comment.pk}"}).status_code == 302
    assert Cause.objects.filter(version=v3, article=3, comment=comment, suggested=False).exists()
    # a source of another bill is refused with a message, nothing added
    other = services.record_opinion(
        samples["bill_reading"], staff, kind="department", source="市住建局", text="无", received_on=date(2020, 11, 2)
    )
    c.post(add, {"article": 3, "source": f"部门意见#{other.pk}"})
    assert not Cause.objects.filter(opinion=other).exists()


def test_expert_opinion_of_the_think_tank_may_be_cited(world, samples):
    from renda.experts import services as experts
    from renda.experts.models import Expert, ExpertOpinion

    bill, staff, admin = samples["bill_approved"], world.users["staff"], world.users["admin"]
    law = experts.add_field(admin, world.city, "法学")
    expert = Expert(
        congress=world.city,
        title="教授",
        workplace="内蒙古大学法学院",
        mobile="13600000001",
        appointed_on=date(2020, 1, 1),
    )
    expert = experts.save_expert(admin, expert, [law], name="高立明", gender="M")
    (assignment,) = experts.assign(bill, [expert], staff, on=date(2020, 10, 1))
    opinion = ExpertOpinion.objects.create(
        assignment=assignment, submitted_on=date(2020, 10, 20), text="建议明确经费。", recorded_by=staff
    )
    services.add_draft(bill, DRAFT_V3, staff, causes=f"第三条：专家意见#{opinion.pk}")
    cause = Cause.objects.get(expert_opinion=opinion)
    assert cause.label == f"专家意见#{opinion.pk}"


# ---------------------------------------------------------------- Word, public pages, metrics


def test_word_export_in_official_layout(world, samples, client_for):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    bill = samples["bill_reading"]
    response = client_for("member").get(reverse("legislation:word", args=[bill.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    document = Document(io.BytesIO(response.content))
    title = document.paragraphs[0]
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.text == bill.title
    assert title.runs[0].font.name is not None or "方正小标宋简体" in title.runs[0]._element.xml
    article = next(p for p in document.paragraphs if p.text.startswith("第一条"))
    assert article.runs[0].bold and article.runs[0].text.startswith("第一条")
    assert "仿宋_GB2312" in article.runs[1]._element.xml
    assert client_for("deputy").get(reverse("legislation:word", args=[bill.pk])).status_code == 404


def test_public_regulations(world, samples, client_for, django_assert_max_num_queries):
    bill = samples["bill_promulgated"]
    c = client_for("public")
    with django_assert_max_num_queries(6):
        page = c.get(reverse("legislation_public:regulations")).content.decode()
    assert bill.title in page and samples["bill_approved"].title not in page
    page = c.get(reverse("legislation_public:regulation", args=[bill.pk])).content.decode()
    for fact in (
        "样例市人大常委会",
        "2020年10月9日",
        "内蒙古自治区人大常委会",
        "2021年3月1日",
        "第1号",
    ):
        assert fact in page, fact
    assert "第一条" in page and "历史文化街区" in page
    assert c.get(reverse("legislation_public:regulation", args=[samples["bill_reading"].pk])).status_code == 404


def test_metrics_and_the_summary_names_the_regulations(world, samples):
    scope = Scope(world.city, Period.year(2020))
    enacted = metrics.compute("legislation.regulations_enacted", scope)
    assert enacted.value == 1 and list(enacted.records()) == [samples["bill_promulgated"]]
    year = timezone.localdate().year
    now = Scope(world.city, Period.year(year))
    assert metrics.compute("legislation.comment_periods", now).value == 1  # the published one
    assert metrics.compute("legislation.public_comments", now).value == 2
    text = summary.to_markdown(summary.build(world.city, 2020))
    assert f"全年制定出台地方性法规1件，即《{samples['bill_promulgated'].title}》。" in text


def test_promulgated_regulation_is_filed_upward(world, samples):
    from renda.filing.models import Filing
    from renda.workflow.links import links_of

    bill = samples["bill_promulgated"]  # promulgated by the staff
    filing = Filing.objects.get(kind=Filing.Kind.REGULATION, title=bill.title)
    assert filing.state == "forwarded" and filing.filer_congress_id == bill.congress_id
    assert filing.document_number == bill.announcement and "第一条" in filing.text
    (found,) = links_of(bill)
    assert found.other == filing and found.phrase.startswith("引出")
