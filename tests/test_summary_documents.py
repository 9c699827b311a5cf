"""The work summary as Word, PDF and standalone HTML: GB/T 9704 layout, embedded fonts.

The PDF checks use poppler-utils (pdftoppm, pdffonts, pdftotext). They fail, rather than
skip, when poppler-utils is missing: CI installs it.
"""

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from renda.party import services
from renda.party.models import StudySession, Training
from renda.reports import documents, summary

SECTIONS = [
    "一、始终坚持党的领导",
    "二、扎实推动立法工作",
    "三、依法开展监督工作",
    "四、依法行使决定权和任免权",
    "五、充分发挥人大代表作用",
    "六、切实加强自身建设",
]
SUBSET_FAMILIES = ("Noto Serif CJK SC GB2312", "Noto Sans CJK SC GB2312")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} 未安装：PDF 测试需要 poppler-utils（apt-get install poppler-utils）。")
    return path


def pdf_text(path) -> str:
    return subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path) -> list[tuple[str, str]]:
    """(font name without the subset tag, emb column) for each font of the PDF."""
    out = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()  # name type… encoding emb sub uni object-id generation
        fonts.append((re.sub(r"^[A-Z]{6}\+", "", parts[0]).replace("-", " "), parts[-5]))
    return fonts


def assert_subset_fonts_only(path):
    fonts = pdf_fonts(path)
    assert fonts, "the PDF has no fonts"
    for name, embedded in fonts:
        assert embedded == "yes", f"{name} is not embedded"
        assert name.startswith(SUBSET_FAMILIES), f"{name}: not a shipped subset font (a glyph fell back?)"
    names = {name for name, _ in fonts}
    assert {"Noto Serif CJK SC GB2312", "Noto Serif CJK SC GB2312 Bold", "Noto Sans CJK SC GB2312 Bold"} <= names


def eastasia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


@pytest.fixture
def doc_2020(world):
    """The city's 2020 summary with 12 central-group study sessions and one training of two deputies."""
    for month in range(1, 13):
        services.save_register(
            world.admin,
            StudySession(
                congress=world.city,
                kind=StudySession.Kind.CENTRAL_GROUP,
                date=date(2020, month, 10),
                topic=f"第{month}次集体学习",
            ),
        )
    training = Training(
        congress=world.city,
        title="市人大代表履职学习培训班",
        audience=Training.Audience.DEPUTIES,
        start_date=date(2020, 6, 16),
        end_date=date(2020, 6, 18),
        place="巴彦淖尔市委党校",
        organizer="巴彦淖尔市人大常委会",
        hosted=True,
    )
    services.save_training(world.admin, training, [world.deputy.person, world.other_deputy.person])
    return summary.build(world.city, 2020)


def test_word_document_follows_gbt_9704(doc_2020):
    document = Document(io.BytesIO(documents.to_docx(doc_2020)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [37, 35, 28, 26]

    paragraphs = document.paragraphs
    title, author = paragraphs[0], paragraphs[1]
    assert title.text == "2020年巴彦淖尔市人大常委会工作综述"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert eastasia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    assert author.text == "巴彦淖尔市人民代表大会常务委员会"
    assert eastasia(author.runs[0]) == "楷体_GB2312" and author.runs[0].font.size == Pt(16)

    headings = [p for p in paragraphs if p.style.name == "Summary Heading"]
    assert [p.text for p in headings] == SECTIONS
    assert all(eastasia(r) == "黑体" and r.font.size == Pt(16) for p in headings for r in p.runs)

    body = [p for p in paragraphs if p.style.name == "Summary Body"]
    assert body and body[0].text.startswith("加强思想政治建设。")
    fmt = body[0].style.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and fmt.line_spacing == Pt(28)
    assert fmt.first_line_indent == Pt(32)
    assert body[0].style.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    for p in body:
        lead, *rest = p.runs
        assert eastasia(lead) == "楷体_GB2312"
        assert rest and all(eastasia(r) == "仿宋_GB2312" and r.font.size == Pt(16) for r in rest)
    text = "\n".join(p.text for p in paragraphs)
    assert "全年共召开党组中心组学习会12次" in text
    assert "代表培训1期" in text and "培训人数2人次" in text
    # a section whose module is missing says so in a note; legislation is live, so none names it
    notes = [p.text for p in paragraphs if p.style.name == "Summary Note"]
    assert notes and all(n.startswith("（") and "模块尚未上线" in n for n in notes)
    assert not any(n.startswith("（立法") for n in notes)

    footer = section.footer
    assert footer.paragraphs[0].text == "— 1 —"
    assert [t.text.strip() for t in footer._element.iter(qn("w:instrText"))] == ["PAGE"]
    assert [f.get(qn("w:fldCharType")) for f in footer._element.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert document.core_properties.title == doc_2020.title


def test_pdf_embeds_the_subset_fonts(doc_2020, tmp_path):
    data = documents.to_pdf(doc_2020)
    assert data.startswith(b"%PDF")
    path = tmp_path / "summary.pdf"
    path.write_bytes(data)
    subprocess.run([tool("pdftoppm"), "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) >= 1
    assert_subset_fonts_only(path)
    text = pdf_text(path)
    assert "始终坚持党的领导" in text and "切实加强自身建设" in text
    assert "党组中心组学习会12次" in text.replace("\n", "")
    assert re.search(r"—\s?1\s?—", text) and re.search(r"—\s?2\s?—", text)  # page numbers "— N —"


def test_pdf_needs_no_cjk_font_on_the_machine(doc_2020, tmp_path):
    """Rendered where Fontconfig knows only DejaVu (a fresh server), every glyph comes from the shipped fonts."""
    html = tmp_path / "summary.html"
    html.write_text(documents.print_html(doc_2020), encoding="utf-8")
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir>"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    if shutil.which("fc-list"):
        cjk = subprocess.run(["fc-list", ":lang=zh-cn"], env=env, capture_output=True, text=True).stdout
        assert cjk.strip() == "", "the restricted Fontconfig still sees CJK fonts"
    pdf = tmp_path / "summary.pdf"
    script = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
    subprocess.run([sys.executable, "-c", script, str(html), str(pdf)], env=env, check=True, timeout=120)
    assert_subset_fonts_only(pdf)
    assert "始终坚持党的领导" in pdf_text(pdf)


def test_the_subset_fonts_cover_every_character_the_summary_writes():
    from fontTools.ttLib import TTFont

    from renda.reports import metrics

    text = "".join(
        f"{number}、{title}{module}{lead}{sentence}"
        for number, title, module, sentences in summary.TEMPLATE
        for lead, sentence in sentences
    )
    text = re.sub(r"\{[^}]*\}", "", text)
    text += "（模块尚未上线，“”等内容的数字暂缺，未予填写。）暂无。— 0123456789 余.%万亿元"
    text += "市委旗县区委党委市政府旗县区政府人民代表大会常务委员会人大常委会工作综述年"
    text += "".join(m.unit + m.label for m in metrics.all_metrics())
    chars = {c for c in text if not c.isspace()}
    for _, _, name in documents.PDF_FONTS:
        cmap = TTFont(documents.FONTS_DIR / name, lazy=True).getBestCmap()
        assert not {c for c in chars if ord(c) not in cmap}, name
    assert (documents.FONTS_DIR / "OFL.txt").exists() and (documents.FONTS_DIR / "README.md").exists()
    assert sum((documents.FONTS_DIR / n).stat().st_size for _, _, n in documents.PDF_FONTS) < 12 * 1024 * 1024


def test_an_empty_year_renders_in_every_format(world, tmp_path):
    doc = summary.build(world.city, 1999)
    md = summary.to_markdown(doc)
    assert "召开党组中心组学习会0次" in md and "尚未上线" in md

    html = documents.standalone_html(doc)
    assert html.startswith("<!doctype html>") and "</html>" in html
    assert '<span class="figure">0次</span>' in html and "尚未上线" in html
    assert "<a " not in html and "href" not in html
    assert "url(" not in html and "file:" not in html  # nothing to fetch: works mailed or offline

    text = "\n".join(p.text for p in Document(io.BytesIO(documents.to_docx(doc))).paragraphs)
    assert "1999年巴彦淖尔市人大常委会工作综述" in text and "召开党组中心组学习会0次" in text and "尚未上线" in text

    path = tmp_path / "empty.pdf"
    path.write_bytes(documents.to_pdf(doc))
    text = pdf_text(path).replace("\n", "")
    assert "召开党组中心组学习会0次" in text and "尚未上线" in text


def test_command_writes_word_and_wants_a_file_for_pdf(world, tmp_path):
    path = tmp_path / "summary.docx"
    call_command("report", "summary", "--year", "2020", "--format", "docx", "--output", str(path))
    assert Document(str(path)).paragraphs[0].text == "2020年巴彦淖尔市人大常委会工作综述"
    with pytest.raises(CommandError):
        call_command("report", "summary", "--year", "2020", "--format", "pdf")


def test_summary_page_downloads_word_and_pdf(world, client_for):
    client = client_for("staff")
    docx = client.get("/work/reports/summary/", {"year": 2020, "format": "docx"})
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Document(io.BytesIO(docx.content)).paragraphs[0].text == "2020年巴彦淖尔市人大常委会工作综述"
    pdf = client.get("/work/reports/summary/", {"year": 2020, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
