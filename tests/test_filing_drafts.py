"""Filing drafts that can be fixed (issue 10, point 4): 修改草稿 corrects a saved draft's
text, file and fields and re-checks it; the form's 文件类别 defaults to a kind the filer
may file and is checked together with the other fields."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core import services as core
from renda.core.models import HandlingUnit, Role
from renda.filing.models import Filing
from renda.workflow import documents

BAD = "第一条 为加强扬尘污染防治，制定本通知。\n第二条 违反本通知的，处五万元罚款，并吊销营业执照。\n第三条 本通知自发布之日起施行。"
GOOD = "第一条 为加强扬尘污染防治，制定本通知。\n第二条 施工单位应当设置硬质围挡，并采取覆盖、洒水等措施。\n第三条 本通知自发布之日起施行。"


@pytest.fixture
def gov(world):
    unit = HandlingUnit.objects.get(congress=world.city, kind=HandlingUnit.Kind.GOVERNMENT)
    world.users["gov"] = core.create_account(
        world.admin,
        username="gov",
        password="x",
        display_name="市政府法制科",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=unit)],
    )
    return unit


@pytest.fixture
def office(world, gov):
    """市政府办: files 行政规范性文件, never 政府规章."""
    unit = core.create_handling_unit(
        world.admin, world.city, "巴彦淖尔市人民政府办公室", "市政府办", HandlingUnit.Kind.DEPARTMENT, parent=gov
    )
    world.users["office"] = core.create_account(
        world.admin,
        username="office",
        password="x",
        display_name="市政府办文电科",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=unit)],
    )
    return unit


def form(unit, **extra):
    return {
        "filer": f"unit:{unit.pk}",
        "kind": "government",
        "title": "巴彦淖尔市人民政府关于加强扬尘污染防治的通知",
        "document_number": "巴政发〔2020〕31号",
        "adopted_on": "2020-04-16",
        "published_on": "2020-04-20",
        "text": BAD,
        "drafting_explanation": "经征求意见和合法性审查，制定本通知。",
        "legal_basis": "《中华人民共和国大气污染防治法》",
        "action": "save",
    } | extra


def test_a_saved_draft_can_be_corrected_and_is_checked_again(world, gov, client_for):
    client = client_for("gov")
    assert client.post("/work/filing/new/", form(gov)).status_code == 302
    draft = Filing.objects.get()
    page = client.get(f"/work/filing/{draft.pk}/").content.decode()
    assert f'href="/work/filing/{draft.pk}/edit/"' in page and "吊销营业执照" in page
    findings_before = page.count('class="finding')
    edit = client.get(f"/work/filing/{draft.pk}/edit/").content.decode()
    assert "修改草稿" in edit and "巴政发〔2020〕31号" in edit and "吊销营业执照" in edit
    response = client.post(f"/work/filing/{draft.pk}/edit/", form(gov, text=GOOD, title="关于扬尘防治的通知（修改）"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.text == GOOD and draft.title == "关于扬尘防治的通知（修改）"
    assert Filing.objects.count() == 1
    page = client.get(f"/work/filing/{draft.pk}/").content.decode()
    assert "吊销营业执照" not in page and page.count('class="finding') <= findings_before
    # then sent in from the same page
    assert client.post(f"/work/filing/{draft.pk}/edit/", form(gov, text=GOOD, action="submit")).status_code == 302
    draft.refresh_from_db()
    assert draft.state == "submitted" and draft.filed_on


def test_a_corrected_file_is_the_texts_next_version(world, gov, client_for):
    client = client_for("gov")
    first = SimpleUploadedFile("notice.txt", BAD.encode("utf-8"))
    client.post("/work/filing/new/", form(gov, text="", source_file=first))
    draft = Filing.objects.get()
    fixed = SimpleUploadedFile("notice-2.txt", GOOD.encode("utf-8"))
    assert client.post(f"/work/filing/{draft.pk}/edit/", form(gov, text="", source_file=fixed)).status_code == 302
    draft.refresh_from_db()
    current = documents.current(draft, "text")
    assert draft.text.strip() == GOOD and current.name == "notice-2.txt" and current.number == 2
    # no new file and no text: the draft keeps its text
    assert client.post(f"/work/filing/{draft.pk}/edit/", form(gov, text="")).status_code == 302
    draft.refresh_from_db()
    assert draft.text.strip() == GOOD


def test_a_text_corrected_by_hand_becomes_the_files_next_version(world, gov, client_for):
    """The filed file and the reviewed text never disagree: a draft filed from a file and
    corrected in the text box gets the corrected text as its next version."""
    client = client_for("gov")
    client.post("/work/filing/new/", form(gov, text="", source_file=SimpleUploadedFile("notice.txt", BAD.encode())))
    draft = Filing.objects.get()
    assert client.post(f"/work/filing/{draft.pk}/edit/", form(gov, text=GOOD)).status_code == 302
    draft.refresh_from_db()
    current = documents.current(draft, "text")
    assert current.number == 2 and current.text.strip() == GOOD == draft.text.strip()
    assert "吊销营业执照" not in current.file.read().decode("utf-8")


def test_only_the_filer_corrects_and_only_a_draft(world, gov, office, client_for):
    client_for("gov").post("/work/filing/new/", form(gov))
    draft = Filing.objects.get()
    assert client_for("office").get(f"/work/filing/{draft.pk}/edit/").status_code == 404
    assert client_for("deputy").get(f"/work/filing/{draft.pk}/edit/").status_code == 403
    client_for("gov").post(f"/work/filing/{draft.pk}/edit/", form(gov, action="submit"))
    draft.refresh_from_db()
    assert draft.state == "submitted"
    assert client_for("gov").get(f"/work/filing/{draft.pk}/edit/").status_code == 403
    assert (
        f'href="/work/filing/{draft.pk}/edit/"'
        not in client_for("gov").get(f"/work/filing/{draft.pk}/").content.decode()
    )


def test_the_kind_defaults_to_one_the_filer_may_file(world, office, client_for):
    page = client_for("office").get("/work/filing/new/").content.decode()
    assert '<option value="government" selected>' in page and '<option value="rule" selected>' not in page


def test_a_wrong_kind_is_told_with_the_other_errors(world, office, client_for):
    page = (
        client_for("office")
        .post("/work/filing/new/", form(office, kind="rule", adopted_on="2020-05-01", drafting_explanation=""))
        .content.decode()
    )
    assert "报送备案的文件类别应为：行政规范性文件" in page
    assert "通过（签发）日期不能晚于公布日期" in page and "这个字段是必填项" in page
    assert not Filing.objects.exists()
