"""Stored files are downloaded through one view that asks the scoping layer; uploads are
checked in one place (size, type, first bytes)."""

from datetime import date
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core.downloads import download_url
from renda.workflow.engine import perform
from renda.workflow.models import EventAttachment
from test_filing import TEXT, data, gov  # noqa: F401  (the municipal government and its account)
from workflow_app.models import Petition

PDF = b"%PDF-1.4\n% a tiny reply\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def answered(world, media):
    """A petition assigned to unit_a and answered with an attachment with a Chinese name."""
    case = Petition.objects.create(congress=world.city, title="道路修缮", author=world.deputy)
    perform(case, "submit", world.users["deputy"], today=date(2020, 9, 1))
    perform(case, "assign", world.users["staff"], {"unit": world.unit_a.pk}, today=date(2020, 9, 1))
    upload = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    perform(case, "answer", world.users["unit"], {"note": "已答复"}, {"files": [upload]}, today=date(2020, 9, 10))
    return case, EventAttachment.objects.get()


def test_an_attachment_is_served_to_who_follows_the_case_and_refused_as_missing_to_others(answered, client_for):
    case, attachment = answered
    url = download_url(attachment)
    assert url == f"/files/workflow.eventattachment.file/{attachment.pk}/"
    for role in ("deputy", "staff", "unit"):
        response = client_for(role).get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == PDF
    for role in ("other_unit", "other_deputy", "county_staff", "public"):
        client = client_for(role)
        response = client.get(url)
        # the same answer as for a file that does not exist: the URL reveals nothing
        missing = client.get(f"/files/workflow.eventattachment.file/{attachment.pk + 100}/")
        assert response.status_code == 404 and response.content == missing.content, role
    assert client_for("staff").get(f"/files/core.user.avatar/{attachment.pk}/").status_code == 404


def test_the_timeline_links_to_the_checked_download_not_to_media(answered, client_for):
    from django.template import Context, Template

    case, attachment = answered
    html = Template("{% load timeline %}{% case_timeline case %}").render(Context({"case": case}))
    assert download_url(attachment) in html and "/media/" not in html


def test_nothing_under_media_root_has_a_url_of_its_own(answered, client_for):
    _, attachment = answered
    assert (answered[1].file.storage.path(attachment.file.name)).endswith(".pdf")
    for role in ("admin", "staff", "public"):
        assert client_for(role).get(f"/media/{attachment.file.name}").status_code == 404
    # the stored name is random: the original (Chinese) name is only on the row
    assert "答复函" not in attachment.file.name and attachment.name == "答复函.pdf"


@pytest.mark.parametrize("mode", ["django", "x-accel", "x-sendfile"])
def test_each_serving_mode_sends_the_file_as_an_attachment_with_its_chinese_name(
    mode, answered, client_for, settings, media
):
    settings.RENDA_FILE_SERVING = mode
    settings.RENDA_X_ACCEL_PREFIX = "/protected-media/"
    _, attachment = answered
    response = client_for("staff").get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('答复函.pdf')}"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    if mode == "django":
        assert b"".join(response.streaming_content) == PDF
        assert "X-Accel-Redirect" not in response and "X-Sendfile" not in response
    elif mode == "x-accel":
        assert response["X-Accel-Redirect"] == f"/protected-media/{attachment.file.name}"
        assert response.content == b""
    else:
        assert response["X-Sendfile"] == str(media / attachment.file.name)
        assert response.content == b""


def test_an_active_type_is_never_sent_as_what_it_is():
    from renda.core.downloads import content_type_for

    assert content_type_for("a.pdf") == "application/pdf"
    for name in ("a.html", "a.htm", "a.svg", "a.xhtml", "a.js", "a", "a.tar.gz"):
        assert content_type_for(name) == "application/octet-stream", name


# ------------------------------------------------------------------ uploads


def _refusal(upload):
    from django.core.exceptions import ValidationError

    from renda.core.uploads import validate_upload

    with pytest.raises(ValidationError) as caught:
        validate_upload(upload)
    return caught.value.messages[0]


def test_uploads_are_refused_when_too_big_active_or_not_what_their_name_says(settings):
    settings.RENDA_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    assert "“材料.pdf”太大" in _refusal(big) and "1 MB" in _refusal(big)
    assert "网页或脚本" in _refusal(SimpleUploadedFile("页面.html", b"<html></html>"))
    assert "网页或脚本" in _refusal(SimpleUploadedFile("图.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    message = _refusal(SimpleUploadedFile("报告.pdf", b"<!DOCTYPE html><html><script>alert(1)</script>"))
    assert "“报告.pdf”的内容与扩展名（.pdf）不符" in message
    assert "不符" in _refusal(SimpleUploadedFile("说明.txt", b"<html><body>hi</body></html>"))
    assert "不符" in _refusal(SimpleUploadedFile("表.xlsx", b"%PDF-1.4"))
    assert "不能上传" in _refusal(SimpleUploadedFile("程序.exe", b"MZ\x90\x00"))
    from renda.core.uploads import validate_upload

    for ok in (
        SimpleUploadedFile("答复函.pdf", PDF),
        SimpleUploadedFile("说明.txt", "关于道路修缮的答复".encode("gb18030")),
        SimpleUploadedFile("照片.JPG", b"\xff\xd8\xff\xe0rest"),
        SimpleUploadedFile("表.xlsx", b"PK\x03\x04rest"),
    ):
        validate_upload(ok)  # no error


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("大文件.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024), "“大文件.pdf”太大"),
        ("页面.html", b"<html><script>alert(1)</script></html>", "“页面.html”是网页或脚本类文件"),
        ("图标.svg", b"<svg onload='alert(1)'/>", "“图标.svg”是网页或脚本类文件"),
        ("答复函.pdf", b"<!doctype html><html><script>alert(1)</script>", "“答复函.pdf”的内容与扩展名（.pdf）不符"),
    ],
)
def test_the_transition_form_refuses_a_bad_file_keeps_what_was_typed_and_stores_nothing(
    name, content, message, world, client_for, media, settings
):
    settings.RENDA_UPLOAD_MAX_MB = 1
    case = Petition.objects.create(congress=world.city, title="道路修缮", author=world.deputy)
    perform(case, "submit", world.users["deputy"])
    perform(case, "assign", world.users["staff"], {"unit": world.unit_a.pk})
    url = f"/work/workflow/case/petition/{case.pk}/answer/"
    response = client_for("unit").post(
        url, {"note": "已列入明年计划，详见答复函。", "files": [SimpleUploadedFile(name, content)]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "已列入明年计划，详见答复函。" in page  # what the user typed is still there
    case.refresh_from_db()
    assert case.state == "assigned" and not EventAttachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))  # nothing written


# ------------------------------------------------------------------ the filed text


@pytest.mark.usefixtures("gov")
def test_the_filed_text_is_downloaded_by_who_sees_the_filing_and_resubmitting_adds_a_version(world, client_for, media):
    from renda.filing import services
    from renda.workflow import documents

    filing = services.file_document(
        world.users["gov"], data(world.gov), SimpleUploadedFile("扬尘通知.txt", TEXT.encode()), today=date(2020, 5, 6)
    )
    first = documents.current(filing, "text")
    assert first.number == 1 and filing.text == first.text
    url = first.download_url
    for role, status in {"gov": 200, "staff": 200, "director": 200, "other_unit": 404, "public": 404}.items():
        assert client_for(role).get(url).status_code == status, role
    page = client_for("gov").get(f"/work/filing/{filing.pk}/").content.decode()
    assert url in page and "扬尘通知.txt" in page and "/media/" not in page

    # 补充报送 with a corrected text: version 2, which is the text reviewed from now on
    perform(filing, "request_material", world.users["staff"], {"note": "请补充修改后的正文"}, today=date(2020, 5, 7))
    corrected = TEXT.replace("硬质围挡", "不低于2.5米的硬质围挡")
    response = client_for("gov").post(
        f"/work/workflow/case/filing/{filing.pk}/resubmit/",
        {"note": "已修改正文", "source_file": SimpleUploadedFile("扬尘通知（修改）.txt", corrected.encode())},
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    second = documents.current(filing, "text")
    assert (filing.state, second.number, second.note) == ("submitted", 2, "已修改正文")
    assert "不低于2.5米" in filing.text and "不低于2.5米" not in first.text
    assert [v.number for v in documents.versions(filing)] == [1, 2]

    # once registered and published, the public may download it too (as before, who sees it)
    perform(filing, "register", world.users["staff"], {"committee": world.office.pk, "published": "on"})
    assert client_for("public").get(second.download_url).status_code == 200
    assert client_for("deputy").get(second.download_url).status_code == 200
    # the filing's rule keeps another unit's staff to their own unit's filings: so does the download
    assert client_for("other_unit").get(second.download_url).status_code == 404
