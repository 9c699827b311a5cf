"""Word, PDF and standalone HTML renderings of the work summary (工作综述).

All three render the document model of `summary.build()`; none of them computes a
figure. The layout follows 党政机关公文格式 GB/T 9704-2012 as far as a work summary
needs it (there is no 版头, 发文字号, 主送机关 or 版记: the summary is an attachment to a
work report, not a 公文 in its own right).

Word (`to_docx`, python-docx)
-----------------------------
* Page: A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so
  the 版心 is 156 × 225 mm.
* Grid: body lines at an exact 28 pt on a 28 pt line grid (`w:docGrid w:type="lines"`):
  22 lines a page. 28 characters a line (the standard's 22 × 28) come from a character
  spacing of −0.25 pt on the 三号 styles and runs (28 × 15.75 pt = 441 pt of the 442.2 pt
  line), not from a character grid: with `linesAndChars` and the usual negative
  `w:charSpace`, LibreOffice puts every 16 pt character into two grid cells (half-empty
  lines). The title and the footer do not snap to the line grid.
* Title: 方正小标宋简体 二号 (22 pt), centred, lines at an exact 36 pt.
* Author line (`doc.subtitle`, the standing committee): 楷体_GB2312 三号, centred,
  followed by one blank line (28 pt).
* 一级标题 "一、……": 黑体 三号 (16 pt), not bold, indented two characters like the body.
* Body: 仿宋_GB2312 三号 (16 pt), first-line indent of two characters
  (`w:firstLineChars="200"`, with 32 pt as the absolute fallback), justified, exact 28 pt,
  no space between paragraphs. Latin letters and Arabic numerals in Times New Roman.
* Lead phrase of a paragraph ("加强思想政治建设。"): **楷体_GB2312**, not bold. The seed
  bolds it; in a 公文 a heading run into its paragraph is set in 楷体 (the face of the
  standard's second-level headings), which is what a drafting office would do by hand.
* Section notes ("（……模块尚未上线……）"): 仿宋_GB2312 四号 (14 pt), grey (#595959),
  not italic (an oblique 仿宋 is a synthetic slant and looks broken in print).
* Page numbers: footer, "— 1 —": 四号 (14 pt) half-width 宋体 Arabic numerals from a
  PAGE field between two 一字线 (em dashes, set with the East Asian hint so Word draws
  them full-width); the dash sits about 7 mm below the 版心 (footer distance 25 mm).
  Centred on every page: the standard puts odd page numbers right and even ones left
  for double-sided 公文; a summary is mostly printed one-sided and the PDF centres too.
* Fonts: every run carries `w:rFonts` with `w:eastAsia` (the Chinese face) and
  `w:ascii`/`w:hAnsi` (Times New Roman, or 宋体 for page numbers); theme font attributes
  are removed so they cannot override them. A machine without the GB2312-era faces gets
  fallbacks declared in the font table (`w:altName`): 方正小标宋简体 → 华文中宋,
  仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 黑体 → SimHei, 宋体 → SimSun. The document
  language is zh-CN (python-docx's template says ja-JP for East Asian text, which would
  give Japanese glyph forms and line breaking).
* Styles: "Summary Title", "Summary Author", "Summary Heading" (outline level 1, so
  Word's navigation pane lists the six sections), "Summary Body", "Summary Note",
  "Summary Page Number"; the runs also carry the formatting directly, so that pasting
  into another document keeps it.

PDF (`to_pdf`, WeasyPrint)
--------------------------
The HTML of `summary.to_html` with the print stylesheet templates/reports/print.css:
same page, margins, hierarchy and 28 pt lines; 28 characters a line by a letter spacing
of −0.21 pt; "— N —" from the page counter at the bottom centre. Fonts are embedded and
do not depend on the machine: subsets of Noto CJK SC shipped in reports/fonts/ (see its
README.md; built by tools/subset_fonts.py) are loaded with @font-face from file:// URLs:

    Noto Serif CJK SC Regular  body, author line, notes, page numbers (for 仿宋/宋体)
    Noto Serif CJK SC Bold     title (for 小标宋) and lead phrases (bold, as in the seed:
                               no free 楷体 is shipped)
    Noto Sans CJK SC Bold      一级标题 (for 黑体)

A character outside the subset (GB 2312 plus punctuation; a rare character in a name)
falls back to the system's fonts: the stacks name the subset family, then the
traditional Windows faces, then "Noto Serif CJK SC"/"Noto Sans CJK SC", then sans-serif.

Standalone HTML (`standalone_html`)
-----------------------------------
A complete page with the same stylesheet inlined (a screen layout on a sheet, the
print layout when printed); figures are plain text, no links, no external resources.
System fonts are used (the subset files are not referenced: the page must work when
mailed or opened offline).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE / "fonts"
PRINT_CSS = HERE / "templates" / "reports" / "print.css"

# ------------------------------------------------------------------ Word

PAGE = dict(width=210, height=297, top=37, bottom=35, left=28, right=26, footer=25)  # mm
LINE = 28  # pt, exact line spacing of the body: 22 lines in the 225 mm 版心
# Character spacing of 三号 text in twentieths of a point: 28 × (16 − 0.25) pt = 441 pt fits
# the 156 mm (442.2 pt) line, 27 × 16 pt would leave a gap of one character.
CONDENSED = -5

TITLE_FONT = "方正小标宋简体"
AUTHOR_FONT = "楷体_GB2312"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LEAD_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# 字号 in points
ERHAO, SANHAO, SIHAO, WUHAO = 22, 16, 14, 10.5

# Font table entries: name → (fallback name, w:family, w:pitch, panose)
FONT_TABLE = {
    "方正小标宋简体": ("华文中宋", "auto", "variable", "02000000000000000000"),
    "仿宋_GB2312": ("仿宋", "modern", "fixed", "02010609030101010101"),
    "楷体_GB2312": ("楷体", "modern", "fixed", "02010609030101010101"),
    "黑体": ("SimHei", "modern", "fixed", "02010609060101010101"),
    "宋体": ("SimSun", "auto", "variable", "02010600030101010101"),
}
NOTE_COLOR = "595959"


def _set_fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """w:rFonts with explicit faces for every script; theme attributes would override them."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _font(
    target, east_asia: str, size: float, *, latin: str = LATIN_FONT, bold: bool | None = None, color: str | None = None
) -> None:
    """Font of a run or a style (both have `.font` and an rPr); `bold=None` inherits."""
    from docx.shared import Pt, RGBColor

    _set_fonts(target._element.get_or_add_rPr(), east_asia, latin)
    target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
        target.font.italic = False
    if color:
        target.font.color.rgb = RGBColor.from_string(color)


def _condense(rpr, twentieths: int) -> None:
    """w:spacing on a run: character spacing in twentieths of a point (negative: condensed)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = rpr.find(qn("w:spacing"))
    if el is None:
        el = OxmlElement("w:spacing")
        rpr.insert_element_before(el, *_RPR_AFTER_SPACING)
    el.set(qn("w:val"), str(twentieths))


# Successors of w:spacing in CT_RPr's sequence, for inserting it in order.
_RPR_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def _paragraph_format(
    fmt, *, align, indent_chars: int = 0, size: float = SANHAO, line: float = LINE, before: float = 0, after: float = 0
) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.left_indent = Pt(0)
    fmt.right_indent = Pt(0)
    fmt.first_line_indent = Pt(indent_chars * size) if indent_chars else Pt(0)
    fmt.widow_control = True


def _indent_chars(ppr, chars: int) -> None:
    """w:firstLineChars: an indent in hundredths of a character, following the font size."""
    from docx.oxml.ns import qn

    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _no_grid(ppr) -> None:
    """Do not snap this paragraph to the document grid (type larger or smaller than 三号)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if ppr.find(qn("w:snapToGrid")) is None:
        el = OxmlElement("w:snapToGrid")
        el.set(qn("w:val"), "0")
        ppr.insert_element_before(el, *_PPR_AFTER_SNAP)
    else:
        ppr.find(qn("w:snapToGrid")).set(qn("w:val"), "0")


# Successors of w:snapToGrid in CT_PPrBase's sequence, for inserting it in order.
_PPR_AFTER_SNAP = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _styles(document) -> dict:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles
    # Document defaults: explicit faces instead of theme fonts, zh-CN, no spacing.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(SANHAO * 2))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(SANHAO * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = styles["Normal"]
    _font(normal, BODY_FONT, SANHAO, bold=False)
    _paragraph_format(normal.paragraph_format, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    def paragraph_style(
        name,
        east_asia,
        size,
        *,
        align,
        indent=0,
        line=LINE,
        before=0,
        after=0,
        color=None,
        latin=LATIN_FONT,
        grid=True,
        outline=None,
        condensed=False,
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _font(style, east_asia, size, latin=latin, color=color, bold=False)
        _paragraph_format(
            style.paragraph_format, align=align, indent_chars=indent, size=size, line=line, before=before, after=after
        )
        if condensed:
            _condense(style.element.get_or_add_rPr(), CONDENSED)
        ppr = style.element.get_or_add_pPr()
        if indent:
            _indent_chars(ppr, indent)
        if not grid:
            _no_grid(ppr)
        if outline is not None:
            el = OxmlElement("w:outlineLvl")
            el.set(qn("w:val"), str(outline))
            ppr.insert_element_before(el, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
        return style

    body = paragraph_style(
        "Summary Body", BODY_FONT, SANHAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=2, condensed=True
    )
    title = paragraph_style("Summary Title", TITLE_FONT, ERHAO, align=WD_ALIGN_PARAGRAPH.CENTER, line=36, grid=False)
    author = paragraph_style("Summary Author", AUTHOR_FONT, SANHAO, align=WD_ALIGN_PARAGRAPH.CENTER, after=LINE)
    heading = paragraph_style(
        "Summary Heading", HEADING_FONT, SANHAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=2, outline=0, condensed=True
    )
    heading.paragraph_format.keep_with_next = True
    note = paragraph_style(
        "Summary Note", BODY_FONT, SIHAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=2, color=NOTE_COLOR
    )
    footer = paragraph_style(
        "Summary Page Number",
        PAGE_NUMBER_FONT,
        SIHAO,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        latin=PAGE_NUMBER_FONT,
        line=SIHAO * 1.5,
        grid=False,
    )
    for style in (title, author, heading, note):
        style.next_paragraph_style = body
    return dict(body=body, title=title, author=author, heading=heading, note=note, footer=footer)


# ------------------------------------------------------------------ public layout API
# The pieces other Word renderings in the 公文 layout use (legislation/word.py: a draft
# regulation); everything else in this module stays private.
#
#   document, styles, section = new_document()   A4 page, line grid, font table, zh-CN,
#                                                 the styles "title", "author", "heading",
#                                                 "body", "note", "footer"
#   run(paragraph, text, east_asia, size, ...)    a run with explicit faces; the ONLY way
#                                                 text enters a document (see docx_text)
#   page_number_footer(section, styles)           "— N —" centred in the footer
#   to_bytes(document)                            the .docx file

# C0 control characters other than \t \n \r: XML 1.0 cannot carry them, so lxml (and with
# it python-docx) refuses the run and the export would fail. A vertical tab or form feed
# (pasted from Word, where they are a manual line or page break) becomes a line break.
_C0_DROP = {c: None for c in range(0x20) if chr(c) not in "\t\n\r\x0b\x0c"}
_C0_DROP.update({0x0B: "\n", 0x0C: "\n", 0x7F: None, 0xFFFE: None, 0xFFFF: None})


def docx_text(text: str) -> str:
    """`text` as a Word run can hold it (newlines become w:br, tabs w:tab)."""
    return str(text).translate(_C0_DROP)


def new_document():
    """A python-docx Document in the 公文 layout of this module: (document, styles, section)."""
    from docx import Document

    document = Document()
    styles = _styles(document)
    _font_table(document)
    _settings(document)
    section = document.sections[0]
    _page(section)
    return document, styles, section


def run(paragraph, text, east_asia, size, *, latin=LATIN_FONT, color=None, hint=None, condensed=False, bold=None):
    """Append `text` to `paragraph` in the given East Asian face and size (pt); `condensed`
    sets the −0.25 pt spacing of the 三号 body (28 characters a line), `hint="eastAsia"`
    draws ambiguous characters (dashes) full-width."""
    added = paragraph.add_run(docx_text(text))
    _font(added, east_asia, size, latin=latin, color=color, bold=bold)
    if condensed:
        _condense(added._element.rPr, CONDENSED)
    if hint:
        from docx.oxml.ns import qn

        added._element.rPr.rFonts.set(qn("w:hint"), hint)
    return added


def page_number_footer(section, styles) -> None:
    """The page number "— N —" (四号 宋体, a PAGE field between two 一字线) in the footer."""
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.style = styles["footer"]
    run(p, "— ", PAGE_NUMBER_FONT, SIHAO, latin=PAGE_NUMBER_FONT, hint="eastAsia")
    _field(p, "PAGE", "1", PAGE_NUMBER_FONT, SIHAO, PAGE_NUMBER_FONT)
    run(p, " —", PAGE_NUMBER_FONT, SIHAO, latin=PAGE_NUMBER_FONT, hint="eastAsia")


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _field(paragraph, instruction: str, cached: str, east_asia: str, size: float, latin: str):
    """A complex field (w:fldChar begin/separate/end) such as PAGE, with a cached result."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run(paragraph, "", east_asia, size, latin=latin)._element.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run(paragraph, "", east_asia, size, latin=latin)._element.append(instr)
    char("separate")
    run(paragraph, cached, east_asia, size, latin=latin)
    char("end")


def _font_table(document) -> None:
    """Declare the Chinese faces with charset GB2312 and a fallback name (w:altName)."""
    from lxml import etree

    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for el in root.findall(f"{{{w}}}font"):
        if el.get(f"{{{w}}}name") in FONT_TABLE or el.get(f"{{{w}}}name", "").startswith("ＭＳ"):
            root.remove(el)
    for name, (alt, family, pitch, panose) in FONT_TABLE.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}panose1", {f"{{{w}}}val": panose})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": family})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": pitch})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(document) -> None:
    from docx.oxml.ns import qn

    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _page(section) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    section.footer_distance = Mm(PAGE["footer"])
    section.header_distance = Mm(15)
    section.gutter = Mm(0)
    # A line grid of 28 pt (22 lines). The 28 characters a line come from the condensed
    # character spacing of the styles, not from a character grid: LibreOffice puts each
    # 16 pt character of a grid narrower than 16 pt into two cells.
    grid = section._sectPr.find(qn("w:docGrid"))
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE * 20))


def to_docx(doc) -> bytes:
    from .summary import Figure

    document, styles, section = new_document()

    props = document.core_properties
    props.title = doc.title
    props.author = doc.subtitle
    props.last_modified_by = doc.subtitle
    props.subject = doc.subject
    props.language = "zh-CN"
    props.keywords = f"{doc.period.start.year}年 {doc.subject}"
    props.comments = "由平台记录统计生成，每个数字可追溯到被统计的记录。"
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    props.revision = 1

    p = document.add_paragraph(style=styles["title"])
    run(p, doc.title, TITLE_FONT, ERHAO)
    p = document.add_paragraph(style=styles["author"])
    run(p, doc.subtitle, AUTHOR_FONT, SANHAO)
    for s in doc.sections:
        p = document.add_paragraph(style=styles["heading"])
        run(p, f"{s.number}、{s.title}", HEADING_FONT, SANHAO, condensed=True)
        for para in s.paragraphs:
            p = document.add_paragraph(style=styles["body"])
            run(p, para.lead, LEAD_FONT, SANHAO, condensed=True)
            text = "".join(x.text if isinstance(x, Figure) else x for x in para.parts)
            run(p, text, BODY_FONT, SANHAO, condensed=True)
        for note in s.notes:
            p = document.add_paragraph(style=styles["note"])
            run(p, note, BODY_FONT, SIHAO, color=NOTE_COLOR)
        if not s.paragraphs and not s.notes:
            p = document.add_paragraph(style=styles["body"])
            run(p, "暂无。", BODY_FONT, SANHAO, condensed=True)

    if doc.annex:
        _annex(document, styles, *doc.annex)

    page_number_footer(section, styles)
    return to_bytes(document)


def _annex(document, styles, title: str, head: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """附件: a heading and a table in 仿宋 五号, the header bold and repeated on each page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    p = document.add_paragraph(style=styles["heading"])
    p.paragraph_format.page_break_before = True  # an annex starts on a page of its own
    run(p, title, HEADING_FONT, SANHAO, condensed=True)
    table = document.add_table(rows=1 + len(rows), cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)  # the grid (LibreOffice, WPS) as well as each cell (Word)
    for r, values in enumerate([head] + rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths[c])
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = 0
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.line_spacing = Pt(15)
            _no_grid(paragraph._p.get_or_add_pPr())
            run(paragraph, value, BODY_FONT, WUHAO, bold=r == 0)
    for row in table.rows:  # a row is not cut across two pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# ------------------------------------------------------------------ HTML and PDF

# (family, weight, file) of the subset fonts in reports/fonts/, built by tools/subset_fonts.py.
PDF_FONTS = [
    ("Noto Serif CJK SC GB2312", 400, "NotoSerifCJKscGB2312-Regular.otf"),
    ("Noto Serif CJK SC GB2312", 700, "NotoSerifCJKscGB2312-Bold.otf"),
    ("Noto Sans CJK SC GB2312", 700, "NotoSansCJKscGB2312-Bold.otf"),
]


@lru_cache(maxsize=1)
def print_css() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def font_face_css() -> str:
    """@font-face rules for the shipped subset fonts, as file:// URLs."""
    rules = []
    for family, weight, name in PDF_FONTS:
        path = FONTS_DIR / name
        if not path.exists():
            raise FileNotFoundError(f"{path} 缺失：请运行 tools/subset_fonts.py 生成 PDF 所用字体。")
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
            f'src: url("{path.as_uri()}") format("opentype"); }}'
        )
    return "\n".join(rules)


def _page_html(doc, css: str) -> str:
    from django.utils.html import escape

    from .summary import to_html

    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title)}</title>\n"
        f'<meta name="author" content="{escape(doc.subtitle)}">\n'
        f'<meta name="description" content="{escape(doc.title)}">\n'
        f"<style>\n{css}\n</style>\n</head>\n"
        f'<body>\n<article class="summary-document">\n{to_html(doc)}\n</article>\n</body>\n</html>\n'
    )


def standalone_html(doc) -> str:
    """A complete, self-contained page: the print stylesheet inlined, no links, system fonts."""
    return _page_html(doc, print_css())


def print_html(doc) -> str:
    """The HTML WeasyPrint renders: the print stylesheet plus the embedded subset fonts."""
    return _page_html(doc, font_face_css() + "\n" + print_css())


def warm_up() -> None:
    """WeasyPrint, fontconfig and the CJK subset fonts, loaded by rendering a line."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    page = f"<style>{font_face_css()}\n{print_css()}</style><p>人大常委会工作综述</p>"
    HTML(string=page, base_url=FONTS_DIR.as_uri() + "/").write_pdf(font_config=FontConfiguration())


def to_pdf(doc) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return HTML(string=print_html(doc), base_url=FONTS_DIR.as_uri() + "/").write_pdf(font_config=fonts)
