"""A deputy's performance archive in Word (.docx), in the 公文 layout of `reports.documents`
(its public API: page, styles, font table, runs, page number): the title, the deputy and the
period, the counts by year and kind, then every entry with its source and trace. Generated per
request, never stored."""

from __future__ import annotations

from datetime import UTC, datetime

from renda.reports import documents as layout
from renda.reports.documents import AUTHOR_FONT, BODY_FONT, ERHAO, HEADING_FONT, LEAD_FONT, SANHAO, TITLE_FONT

from .archive import Archive


def period_label(arch: Archive) -> str:
    return f"{arch.year}年度" if arch.year else f"第{arch.deputy.term.number}届任期"


def archive_docx(arch: Archive, site: str = "") -> bytes:
    deputy = arch.deputy
    document, styles, section = layout.new_document()
    title = f"{deputy.person.name}代表履职档案"
    props = document.core_properties
    props.title = title
    props.author = props.last_modified_by = f"{deputy.congress.region}人大常委会"
    props.subject = period_label(arch)
    props.language = "zh-CN"
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)

    def body(text, lead=""):
        p = document.add_paragraph(style=styles["body"])
        if lead:
            layout.run(p, lead, LEAD_FONT, SANHAO, condensed=True)
        layout.run(p, text, BODY_FONT, SANHAO, condensed=True)

    def heading(text):
        p = document.add_paragraph(style=styles["heading"])
        layout.run(p, text, HEADING_FONT, SANHAO, condensed=True)

    p = document.add_paragraph(style=styles["title"])
    layout.run(p, title, TITLE_FONT, ERHAO)
    p = document.add_paragraph(style=styles["author"])
    layout.run(p, f"（{period_label(arch)}）", AUTHOR_FONT, SANHAO)

    heading("一、基本情况")
    facts = [f"{deputy.congress.region}第{deputy.term.number}届人大代表"]
    if deputy.delegation_id:
        facts.append(str(deputy.delegation))
    body("，".join(facts) + f"，{deputy.elected_date:%Y年%m月%d日}当选。")

    heading("二、履职统计")
    if not arch.entries:
        body("本期间尚无履职记录。")
    for year, counts, total in arch.table():
        parts = "、".join(f"{label}{n}次" for (_, label), n in zip(arch.kinds, counts, strict=True) if n)
        body(f"共{total}次：{parts}。", lead=f"{year}年。")

    heading("三、履职记录")
    for i, e in enumerate(arch.entries, 1):
        trace = f"（{e.source}，{site}{e.url}）" if e.url else f"（{e.source}）"
        body(f"{e.title}{trace}", lead=f"{i}. {e.on:%Y年%m月%d日} {e.kind_label}：")
    layout.page_number_footer(section, styles)
    return layout.to_bytes(document)
