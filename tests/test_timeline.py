"""The timeline component that every case page includes."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from renda.workflow.engine import perform
from workflow_app.models import Petition

TEMPLATE = Template("{% load timeline %}{% case_timeline case %}")


def render(case):
    with CaptureQueriesContext(connection) as ctx:
        html = TEMPLATE.render(Context({"case": case}))
    return html, len(ctx.captured_queries)


def test_timeline_shows_every_event_with_actor_note_attachments_and_clocks(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = Petition.objects.create(congress=world.city, title="道路修缮", author=world.deputy)
    perform(case, "submit", world.users["deputy"], today=date(2020, 9, 1))
    perform(
        case, "assign", world.users["staff"], {"unit": world.unit_a.pk, "note": "请抓紧办理"}, today=date(2020, 9, 1)
    )
    html_before, queries_before = render(case)
    upload = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 reply", content_type="application/pdf")
    perform(
        case, "answer", world.users["unit"], {"note": "已列入明年计划"}, {"files": [upload]}, today=date(2020, 9, 10)
    )
    html, queries = render(case)
    for text in ("提交", "交办", "答复", "请抓紧办理", "已列入明年计划", "答复函.pdf", "答复期限", "15个工作日"):
        assert text in html, text
    assert "unit（承办单位工作人员 · 市教育局）" in html
    assert html.index("提交") < html.index("交办") < html.index("已列入明年计划")
    assert queries == queries_before == 4  # events, their attachments, the clocks, their extensions
