"""Plain text of an uploaded normative document (.txt, .docx, .pdf), for the law checks.

    extract_text(data, "巴政发〔2021〕12号.docx")  # -> str, or raises ExtractError (Chinese message)

.txt is read as UTF-8 (with or without BOM), then GB18030 (files saved by Chinese Windows
editors); .docx with python-docx, paragraphs and then table cells row by row, in document
order; .pdf with pypdf, page by page, joining the lines that the page layout wrapped (a line
that fills the measure and does not end a sentence continues on the next line), so that a
sentence or a cited title is not cut in two.

Extraction runs in the request that uploads the file, so a PDF is capped: at most
RENDA_EXTRACT_MAX_PAGES pages (checked before any page is read), MAX_CHARS characters
(checked page by page) and RENDA_EXTRACT_MAX_SECONDS seconds (checked between pages). One
pathological page is not bounded in time by this (nested form objects took 5.5 s on a 2 KB
file in review): the server's worker timeout (gunicorn --timeout) is the bound for it; moving
extraction to a job with a hard limit is the complete fix (docs/security.md).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import PurePath

from django.conf import settings

from renda.assist.routing import AssistError

SUPPORTED = (".txt", ".docx", ".pdf")
MAX_BYTES = 30 * 1024 * 1024
MAX_UNZIPPED = 60 * 1024 * 1024  # a .docx is a zip: refuse one that inflates beyond this
MAX_CHARS = 300_000  # the longest normative document is far shorter


class ExtractError(AssistError):
    """The file cannot be read as a document (message in Chinese, for the user)."""


def extract_text(data: bytes, filename: str) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUPPORTED:
        if suffix == ".doc":
            raise ExtractError("不支持旧版 Word（.doc）文件，请另存为 .docx 或 PDF 后上传。")
        raise ExtractError(f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 .txt、.docx 或 .pdf 文件。")
    if not data:
        raise ExtractError("文件为空。")
    if len(data) > MAX_BYTES:
        raise ExtractError("文件过大（超过 30 MB）。")
    try:
        if suffix == ".txt":
            text = _txt(data)
        elif suffix == ".docx":
            _check_zip(data)
            text = _docx(data)
        else:
            text = _pdf(data)
    except ExtractError:
        raise
    except Exception:  # a damaged file: python-docx / pypdf raise many kinds of errors
        kind = {".docx": "Word", ".pdf": "PDF"}.get(suffix, "文本")
        raise ExtractError(f"无法读取该{kind}文件，文件可能已损坏或格式不正确。") from None
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    if len(text) > MAX_CHARS:
        _too_many_chars(len(text))
    if not text.strip():
        if suffix == ".pdf":
            raise ExtractError("未能从 PDF 中提取到文字（可能是扫描件），请上传含文字层的 PDF 或 Word 文件。")
        raise ExtractError("文件中没有文字内容。")
    return text


def _too_many_chars(count: int, more: bool = False):
    counted = f"{count:,}字{'以上' if more else ''}"
    raise ExtractError(f"文件文字过多（{counted}，上限{MAX_CHARS:,}字），请确认上传的是规范性文件正文。")


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # python-docx reports the damage
    if total > MAX_UNZIPPED:
        raise ExtractError("Word 文件解压后过大，无法处理，请另存为较小的文件或 PDF 后上传。")


def _txt(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ExtractError("无法识别文本文件的编码（支持 UTF-8 和 GB18030/GBK）。")


def _docx(data: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExtractError("无法读取该Word文件，文件可能已损坏或不是 .docx 格式。")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat: keep one copy
                    value = cell.text.strip()
                    if not cells or cells[-1] != value:
                        cells.append(value)
                lines.append("\t".join(cells))
    return "\n".join(lines)


_SENTENCE_END = re.compile(r"[。：:；;！？!?”」』）)]\s*$")


def _pdf(data: bytes) -> str:
    if not data.lstrip().startswith(b"%PDF"):
        raise ExtractError("无法读取该PDF文件，文件可能已损坏或不是 PDF 格式。")
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception:
            raise ExtractError("PDF 文件已加密，无法读取。") from None
    limit = settings.RENDA_EXTRACT_MAX_PAGES
    if len(reader.pages) > limit:
        raise ExtractError(
            f"PDF 页数过多（{len(reader.pages)}页，上限{limit}页），请确认上传的是规范性文件正文，或拆分后上传。"
        )
    started, seconds = time.monotonic(), settings.RENDA_EXTRACT_MAX_SECONDS
    pages, chars = [], 0
    for number, page in enumerate(reader.pages):
        if number and time.monotonic() - started > seconds:
            raise ExtractError(f"PDF 文字提取耗时过长（超过{seconds:g}秒），请另存为 Word 文件或较小的 PDF 后上传。")
        pages.append(_join_wrapped(page.extract_text() or ""))
        chars += len(pages[-1])
        if chars > MAX_CHARS:
            _too_many_chars(chars, more=number + 1 < len(reader.pages))
    return "\n".join(pages)


def _join_wrapped(page: str) -> str:
    """Join lines broken by the page width: a line at least 80 % as long as the longest line
    of the page that does not end with sentence punctuation continues on the next line."""
    lines = [line.rstrip() for line in page.split("\n")]
    width = max((len(line.strip()) for line in lines), default=0)
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and out:
            out[-1] += line.strip()
        else:
            out.append(line)
        tail = line.strip()
        joining = bool(tail) and len(tail) >= 0.8 * width and not _SENTENCE_END.search(tail)
    return "\n".join(out)
