"""The one check of every uploaded file (transition attachments, filed documents,
document versions): size, extension and the first bytes.

    validate_upload(upload)   # raises ValidationError with a Chinese message naming the file

Office documents, PDF/OFD, plain text and CSV, JPEG/PNG images and ZIP archives are
accepted. Nothing a browser would render or run is: no .html/.htm/.xhtml/.svg/.js (nor
any other extension not listed). The first bytes must match the extension, so an HTML
page renamed .pdf is refused too. Files are always served as attachments with a type
from their name (core.downloads), so this is the second line, not the only one.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

ZIP = (b"PK\x03\x04", b"PK\x05\x06")
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc, .xls, .ppt, WPS files
TEXT = ()  # no signature: checked as text

# extension → accepted leading signatures (TEXT: any text that is not markup)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".ofd": ZIP,  # 版式文档 (GB/T 33190), a zip package
    ".doc": OLE,
    ".docx": ZIP,
    ".wps": OLE + ZIP,
    ".rtf": (b"{\\rtf",),
    ".odt": ZIP,
    ".xls": OLE,
    ".xlsx": ZIP,
    ".et": OLE + ZIP,
    ".ods": ZIP,
    ".ppt": OLE,
    ".pptx": ZIP,
    ".dps": OLE + ZIP,
    ".txt": TEXT,
    ".csv": TEXT,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".zip": ZIP,
}
ALLOWED_TEXT = "Word、WPS、PDF、OFD、Excel、PowerPoint、文本（.txt、.csv）、图片（.jpg、.png）或 .zip 压缩包"
# What a browser would render or run: named in the refusal, so that the user knows why.
ACTIVE = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".js", ".mjs", ".xml", ".swf"}
MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe", b"<meta", b"<!--")
HEAD = 1024


def max_bytes() -> int:
    return int(getattr(settings, "RENDA_UPLOAD_MAX_MB", 50)) * 1024 * 1024


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    return head


def _looks_like_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    return start.startswith(MARKUP) or b"<script" in head.lower() or b"<html" in head.lower()


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the 1 KB window
                return True
    return False


def validate_upload(upload) -> None:
    """Refuse a file that is too big, of a type not accepted, or whose content does not
    match its extension. The message names the file."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"“{name}”太大（{upload.size / 1024 / 1024:.1f} MB），单个文件不能超过 {limit // (1024 * 1024)} MB。",
            code="too_big",
        )
    if suffix in ACTIVE:
        raise ValidationError(
            f"“{name}”是网页或脚本类文件（{suffix}），出于安全原因不能上传；请上传{ALLOWED_TEXT}。", code="active"
        )
    if suffix not in SIGNATURES:
        raise ValidationError(
            f"“{name}”的文件类型（{suffix or '无扩展名'}）不能上传；请上传{ALLOWED_TEXT}。", code="type"
        )
    head = _head(upload)
    expected = SIGNATURES[suffix]
    if not expected:
        ok = _is_text(head) and not _looks_like_markup(head)
    else:
        ok = head.lstrip(b" \t\r\n").startswith(expected)
    if not ok:
        raise ValidationError(
            f"“{name}”的内容与扩展名（{suffix}）不符（可能是改了扩展名的网页或其他文件），请上传原始文件。",
            code="mismatch",
        )


def stored_name(filename: str) -> str:
    """The name a file is stored under: random and ASCII (the original name, kept on the
    row, is what the download is called). A path says nothing and cannot be guessed."""
    suffix = PurePath(filename or "").suffix.lower()
    return uuid.uuid4().hex + (suffix if suffix.isascii() and len(suffix) <= 10 else "")
