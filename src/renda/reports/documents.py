"""Word, PDF and standalone HTML renderings of the work summary."""


def standalone_html(doc) -> str:
    from .summary import to_html

    return f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{doc.title}</title><body>{to_html(doc)}</body></html>"


def to_docx(doc) -> bytes:
    raise NotImplementedError("Word 输出尚未实现。")


def to_pdf(doc) -> bytes:
    raise NotImplementedError("PDF 输出尚未实现。")
