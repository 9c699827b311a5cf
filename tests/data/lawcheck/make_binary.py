"""Build the .docx and .pdf documents of the lawcheck test set from their sources.

    .venv/bin/python tests/data/lawcheck/make_binary.py

sources/44_zhatu_yunshu.txt  -> 44_zhatu_yunshu.docx  (python-docx; lines "|a|b|c|" form a table)
sources/45_chuzufangwu.txt   -> 45_chuzufangwu.pdf    (WeasyPrint with the CJK subset font that
                                                        Renda ships in src/renda/reports/fonts)

The outputs are committed; the tests read them and do not need this script. The sources live
in sources/ so that `renda assist check-eval` does not read the same document twice.
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FONT = ROOT / "src" / "renda" / "reports" / "fonts" / "NotoSerifCJKscGB2312-Regular.otf"


def make_docx(source: Path, out: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.author = "lawcheck test set"
    lines = source.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c for c in lines[i].strip("|").split("|")])
                i += 1
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            continue
        document.add_paragraph(line)
        i += 1
    document.save(out)


def make_pdf(source: Path, out: Path) -> None:
    from weasyprint import HTML

    paras = "".join(
        f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in source.read_text(encoding="utf-8").splitlines()
    )
    page = f"""<html><head><meta charset="utf-8"><style>
      @font-face {{ font-family: "LawcheckSerif"; src: url("{FONT.as_uri()}"); }}
      @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
      body {{ font-family: "LawcheckSerif"; font-size: 16pt; line-height: 1.6; }}
      p {{ margin: 0; text-indent: 2em; }}
    </style></head><body>{paras}</body></html>"""
    HTML(string=page).write_pdf(out, metadata={"title": source.stem})


def main() -> None:
    make_docx(HERE / "sources" / "44_zhatu_yunshu.txt", HERE / "44_zhatu_yunshu.docx")
    make_pdf(HERE / "sources" / "45_chuzufangwu.txt", HERE / "45_chuzufangwu.pdf")
    print("written: 44_zhatu_yunshu.docx, 45_chuzufangwu.pdf")


if __name__ == "__main__":
    main()
