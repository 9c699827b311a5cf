"""Control characters and the Word exports: python-docx (lxml) refuses C0 controls, so the
one run helper of reports/documents.py strips them (\\x0b/\\x0c become line breaks) and a
draft taken in stores \\x0b/\\x0c as line breaks."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from factories import add_legislation_samples
from renda.core import services as core_services
from renda.legislation import services
from renda.legislation.models import Bill
from renda.reports import documents, summary
from renda.workflow import documents as versions

PASTED = "第一条　甲\x0b乙\x01。\n第二条　乙。"


@pytest.fixture
def samples(world):
    world.samples["sitting"] = core_services.create_committee_meeting(
        world.users["admin"], world.term, 23, date(2020, 10, 9)
    )
    add_legislation_samples(world)
    return world.samples


def _all_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_docx_text_strips_c0_controls_and_breaks_lines():
    assert documents.docx_text("甲\x0b乙\x0c丙\x01\x00丁\t戊\r\n") == "甲\n乙\n丙丁\t戊\r\n"


def test_pasted_draft_is_stored_with_line_breaks_and_exports_to_word(world, samples, client_for):
    bill = samples["bill_reading"]
    version = services.add_draft(bill, PASTED, world.users["staff"])
    assert "甲\n乙。" in version.text and "\x01" not in version.text  # \x0b a line break
    response = client_for("member").get(reverse("legislation:word", args=[bill.pk]))
    assert response.status_code == 200
    text = _all_text(Document(io.BytesIO(response.content)))
    assert "甲" in text and "乙。" in text and "第二条" in text


def test_a_stored_text_with_controls_still_exports(world, samples):
    """Text stored before the intake cleaned it (versions are append-only, so rendered
    directly): the run helper is the last line of defence."""
    from renda.legislation import articles
    from renda.legislation.word import draft_docx

    bill = samples["bill_reading"]
    data = draft_docx(bill, articles.parse(PASTED), versions.current(bill, "draft"))
    text = _all_text(Document(io.BytesIO(data)))
    assert "甲\n乙。" in text and "\x01" not in text


def test_summary_word_export_with_a_control_character_in_a_bill_title(world, samples):
    bill = samples["bill_promulgated"]
    Bill.objects.filter(pk=bill.pk).update(title="样例市\x0b历史文化\x01街区保护条例")
    doc = summary.build(world.city, 2020)
    document = Document(io.BytesIO(documents.to_docx(doc)))
    assert "《样例市\n历史文化街区保护条例》" in _all_text(document)
