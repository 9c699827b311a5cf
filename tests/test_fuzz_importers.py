"""Hypothesis over the Excel importers (deputies, units, committee members) and the
document text extractor (.txt, .docx, .pdf).

Importers: whatever the file (arbitrary bytes, a damaged workbook, a workbook of random
headers and random cells of every type), `run` either imports every row or raises
ImportFailed whose every message is in Chinese and names a row of the file; and when it
raises, nothing at all was written (the whole file is one transaction).

Extractor: whatever the bytes (random, or mutations of a small valid file), extract_text
returns text or raises ExtractError with a Chinese message, within a deadline.

Bounded in `make test`; `make fuzz` sets RENDA_FUZZ_EXAMPLES (tests/fuzzing.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fuzzing import FILE_EXAMPLES, file_settings, report
from renda.assist.extract import ExtractError, extract_text
from renda.core.imports import DeputyImporter, ImportFailed, MemberImporter, UnitImporter
from renda.core.models import AuditEntry, Body, CommitteeMember, Delegation, Deputy, HandlingUnit, Person

pytestmark = pytest.mark.fuzz

CJK = re.compile(r"[\u4e00-\u9fff]")
IMPORTERS = {"deputies": DeputyImporter(), "units": UnitImporter(), "members": MemberImporter()}
WRITTEN = (Person, Deputy, Delegation, HandlingUnit, CommitteeMember, Body, AuditEntry)


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def _context(world, name: str) -> dict:
    return {"congress": world.city} if name == "units" else {"term": world.term}


def _run_import(world, name: str, content: bytes, stats) -> None:
    """The property: imported, or ImportFailed with Chinese messages and nothing written."""
    importer = IMPORTERS[name]
    with transaction.atomic():
        before = _counts()
        try:
            count = importer.run(world.users["staff"], io.BytesIO(content), _context(world, name))
        except ImportFailed as exc:
            stats["refused"] += 1
            assert exc.errors
            for error in exc.errors:
                assert CJK.search(error.message), (error.row, error.column, error.message)
                assert error.row >= 0
            assert _counts() == before, "a refused file wrote something"
        else:
            stats["imported"] += 1
            model = {"deputies": Deputy, "units": HandlingUnit, "members": CommitteeMember}[name]
            assert model.objects.count() == before[model.__name__] + count
        finally:
            transaction.set_rollback(True)  # every example meets the same world


# ---------------------------------------------------------------- random workbooks

SAFE_TEXT = st.text(max_size=30).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
CELL = st.one_of(
    st.none(),
    SAFE_TEXT,
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.times(),
)
# Values an office clerk would type: the good ones (a file of only these imports) and the
# near misses.
GOOD = {
    "姓名": ["钱一", "孙二", "巴特尔"],
    "性别": ["男", "女"],
    "民族": ["汉族", "蒙古族", None],
    "出生日期": ["1975-03-08", "1975/3/8", "1975年3月8日", date(1980, 1, 2), None],
    "手机号码": ["13812345678", 13812345678, None],
    "当选日期": ["2017-01-06", datetime(2017, 1, 6, 9, 30)],
    "任职日期": ["2017-01-09", date(2017, 1, 9)],
    "代表构成": ["农牧民", "工人", None],
    "基层代表": ["是", "否", True, None],
    "单位名称": ["巴彦淖尔市农牧局", "巴彦淖尔市水利局", "巴彦淖尔市林草局"],
    "简称": ["市农牧局", "市水利局"],
    "类别": ["政府工作部门"],
    "上级单位": [None, "巴彦淖尔市人民政府"],
    "职务": ["副主任", "委员", "秘书长"],
    "所在机构": [None, "办公室", "巴彦淖尔市人大常委会办公室"],
}
NEAR_MISSES = {
    "姓名": ["", "x" * 41],
    "性别": ["M", "未知"],
    "出生日期": ["1975-02-30", "明天"],
    "手机号码": ["138", 1.5],
    "当选日期": ["", "2017-13-01"],
    "任职日期": [""],
    "代表构成": ["外星人"],
    "单位名称": ["巴彦淖尔市教育局", "x" * 100],  # 教育局 exists already
    "简称": [""],
    "类别": ["不知道"],
    "上级单位": ["不存在的单位", "巴彦淖尔市农牧局"],  # 农牧局: only if an earlier row made it
    "职务": ["保安"],
    "所在机构": ["不存在的机构"],
}


def _cell(header: str, clean: bool):
    good = st.sampled_from(GOOD.get(header, [None]))
    if clean:
        return good
    return st.one_of(good, st.sampled_from(NEAR_MISSES.get(header, [""])), CELL)


@st.composite
def workbooks(draw, name: str) -> bytes:
    """An .xlsx of the importer's headers and rows. Half are clean (every column, good
    values: they import, unless two rows make the same unit); the others drop, add and
    shuffle headers, and mix good values, near misses and random cells of every type, also
    beyond the header row."""
    columns = list(IMPORTERS[name].columns)
    clean = draw(st.booleans())
    headers = columns
    if not clean:
        headers = draw(st.lists(st.sampled_from(columns), unique=True, max_size=len(columns)))
        headers = draw(st.permutations(headers + draw(st.lists(SAFE_TEXT, max_size=2))))
    rows = []
    for _ in range(draw(st.integers(1 if clean else 0, 4))):
        row = [draw(_cell(header, clean)) for header in headers]
        rows.append(row if clean else row + draw(st.lists(CELL, max_size=2)))
    wb = Workbook()
    ws = wb.active
    if clean or rows or draw(st.booleans()):
        ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", list(IMPORTERS))
def test_import_of_random_workbooks(world, name):
    stats = {"refused": 0, "imported": 0}

    @file_settings()
    @given(content=workbooks(name))
    def check(content):
        _run_import(world, name, content, stats)

    check()
    report(f"import {name}: random workbooks", stats)
    if FILE_EXAMPLES >= 20:  # both paths are exercised (a tiny random budget may miss one)
        assert stats["refused"] and stats["imported"], stats


# ---------------------------------------------------------------- damaged files


def _template(name: str) -> bytes:
    return IMPORTERS[name].template()


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """`original` with a few bytes flipped, a slice cut out or random bytes put in, or
    truncated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        kind = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at:]
    return bytes(data)


@st.composite
def rezipped(draw, original: bytes) -> bytes:
    """A zip (.xlsx, .docx) whose CRCs are right but one member's content is mutated: the
    damage reaches the XML parsers instead of stopping at the zip layer."""
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    names = [n for n, _ in members]
    # half the time the member that holds the content (the first sheet, the document body)
    main = [n for n in names if n in ("xl/worksheets/sheet1.xml", "word/document.xml")]
    target = draw(st.sampled_from(main if main and draw(st.booleans()) else names))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members:
            if member == target:
                content = draw(mutated(content)) if content else content
            if member != target or draw(st.integers(0, 9)):  # now and then the member is gone
                archive.writestr(member, content)
    return buffer.getvalue()


def _damaged(original: bytes):
    return st.one_of(st.binary(max_size=2048), mutated(original), rezipped(original))


@pytest.mark.parametrize("name", list(IMPORTERS))
def test_import_of_damaged_files(world, name):
    stats = {"refused": 0, "imported": 0}

    @file_settings()
    @given(content=_damaged(_template(name)))
    def check(content):
        _run_import(world, name, content, stats)

    check()
    report(f"import {name}: damaged files", stats)


# ---------------------------------------------------------------- the text extractor

TEXT = "巴彦淖尔市城市供热管理办法\n第一条 为了规范城市供热，保障供热质量，制定本办法。\n"


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "条目"
    table.cell(1, 1).text = "内容"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf() -> bytes:
    """A one-page PDF with a text layer, written by hand (no PDF writer needed), xref right."""
    stream = b"BT /F1 12 Tf 72 720 Td (Regulation on heating, Article 1.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _extract(data: bytes, filename: str, stats) -> None:
    try:
        text = extract_text(data, filename)
    except ExtractError as exc:
        stats["refused"] += 1
        assert CJK.search(str(exc)), str(exc)
    else:
        stats["read"] += 1
        assert isinstance(text, str) and text.strip() and "\x00" not in text


def test_extractor_reads_the_valid_samples():
    """The mutations below start from files that are read."""
    assert "第一条" in extract_text(_docx(), "办法.docx")
    assert "Article 1" in extract_text(_pdf(), "办法.pdf")
    assert extract_text(TEXT.encode("gb18030"), "办法.txt") == TEXT


# A damaged file must not keep a request waiting: generous for a loaded CI machine, far
# below a hang.
EXTRACT_DEADLINE_MS = 10_000

SUFFIXES = [".txt", ".docx", ".pdf", ".doc", ""]


def test_extractor_on_random_bytes():
    stats = {"refused": 0, "read": 0}

    @file_settings(deadline=EXTRACT_DEADLINE_MS)
    @given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
    def check(data, suffix):
        _extract(data, "文件" + suffix, stats)

    check()
    report("extract: random bytes", stats)


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".txt"])
def test_extractor_on_damaged_files(suffix):
    original = {".docx": _docx, ".pdf": _pdf, ".txt": lambda: TEXT.encode("utf-8")}[suffix]()
    damaged = st.one_of(mutated(original), rezipped(original)) if suffix == ".docx" else mutated(original)
    stats = {"refused": 0, "read": 0}

    @file_settings(deadline=EXTRACT_DEADLINE_MS)
    @given(data=damaged)
    def check(data):
        _extract(data, "文件" + suffix, stats)

    check()
    report(f"extract {suffix}: damaged files", stats)
