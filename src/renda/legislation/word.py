"""The draft in Word (.docx), in the 公文 layout of the work summary: the title in 方正小标宋简体
二号 centred, chapter headings in 黑体 centred, articles in 仿宋_GB2312 三号 with the 第X条 lead in
bold (the public layout API of `reports.documents`: page, styles, font table, runs, page number). Generated
per request from the stored text, never stored; served by `core.downloads.generated_response`."""

from __future__ import annotations

from datetime import UTC, datetime

from renda.reports import documents as layout
from renda.reports.documents import (
    BODY_FONT,
    ERHAO,
    HEADING_FONT,
    SANHAO,
    TITLE_FONT,
)

from . import articles


def draft_docx(bill, text: articles.Text, version) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document, styles, section = layout.new_document()

    title = text.title or bill.title.strip("《》")
    props = document.core_properties
    props.title = title
    props.author = bill.drafter
    props.subject = f"{title}（草案）第{version.number}稿"
    props.language = "zh-CN"
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)

    p = document.add_paragraph(style=styles["title"])
    layout.run(p, title, TITLE_FONT, ERHAO)
    p = document.add_paragraph(style=styles["author"])
    layout.run(p, f"（草案第{version.number}稿）", layout.AUTHOR_FONT, SANHAO)
    for line in text.preamble:
        p = document.add_paragraph(style=styles["body"])
        layout.run(p, line, BODY_FONT, SANHAO, condensed=True)
    for node in text.body:
        if isinstance(node, articles.Heading):
            p = document.add_paragraph(style=styles["heading"])
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = 0
            layout.run(p, node.label, HEADING_FONT, SANHAO)
            continue
        first, *rest = articles._paragraph_lines(node.paragraphs)
        p = document.add_paragraph(style=styles["body"])
        lead = layout.run(p, f"{node.label}\u3000", BODY_FONT, SANHAO, condensed=True)
        lead.bold = True  # 第X条 in bold, as printed regulations set it
        layout.run(p, first, BODY_FONT, SANHAO, condensed=True)
        for line in rest:
            p = document.add_paragraph(style=styles["body"])
            layout.run(p, line, BODY_FONT, SANHAO, condensed=True)

    layout.page_number_footer(section, styles)
    return layout.to_bytes(document)
