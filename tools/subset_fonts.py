#!/usr/bin/env python3
"""Build the subset CJK fonts that Renda embeds in its PDF documents.

The PDF of the work summary (src/renda/reports/documents.py) must render on a machine
that has no CJK fonts installed, so Renda ships its own: subsets of Debian's Noto CJK
(package fonts-noto-cjk, SIL Open Font License 1.1) cut down to the characters a
Chinese official document needs:

* ASCII (U+0020–U+007E), Latin-1 punctuation and signs (U+00A0–U+00FF) and general
  punctuation (U+2010–U+203B: — – … ‰ ※ and the curly quotes);
* CJK symbols and punctuation (U+3000–U+303F) and the full-width forms
  (U+FF01–U+FF5E, U+FFE0–U+FFE6);
* every character of GB 2312: symbol rows 0xA1–0xA9 and the 6,763 hanzi of rows
  0xB0–0xF7, i.e. every two-byte code 0xA1–0xA9/0xB0–0xF7 × 0xA1–0xFE that Python's
  `gb2312` codec decodes;
* the punctuation of 公文 spelled out once more: 〔〕—…·、。，：；！？“”‘’（）《》【】.

Faces (the file name is the output, the family is the name written into the subset's
name table, so that a PDF's font list shows which file was used):

    NotoSerifCJKscGB2312-Regular.otf  ← Noto Serif CJK SC Regular  (body: 仿宋/宋体)
    NotoSerifCJKscGB2312-Bold.otf     ← Noto Serif CJK SC Bold     (title: 小标宋)
    NotoSansCJKscGB2312-Bold.otf      ← Noto Sans CJK SC Bold      (headings: 黑体)

Usage (from the repository root; needs fontTools and the fonts-noto-cjk package):

    .venv/bin/python tools/subset_fonts.py [--source-dir /usr/share/fonts/opentype/noto]
                                           [--output-dir src/renda/reports/fonts]

The output is deterministic for a given source font and fontTools version.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "src" / "renda" / "reports" / "fonts"
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto")

# (output stem, source collection, full name of the face in the collection, family, style)
FACES = [
    (
        "NotoSerifCJKscGB2312-Regular",
        "NotoSerifCJK-Regular.ttc",
        "NotoSerifCJKsc-Regular",
        "Noto Serif CJK SC GB2312",
        "Regular",
    ),
    ("NotoSerifCJKscGB2312-Bold", "NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold", "Noto Serif CJK SC GB2312", "Bold"),
    ("NotoSansCJKscGB2312-Bold", "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold", "Noto Sans CJK SC GB2312", "Bold"),
]

EXTRA = "〔〕—…·、。，：；！？“”‘’（）《》【】"


def gb2312_characters() -> list[str]:
    """Every character GB 2312 encodes in its symbol rows (0xA1–0xA9) and hanzi rows (0xB0–0xF7)."""
    chars = []
    for row in [*range(0xA1, 0xAA), *range(0xB0, 0xF8)]:
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def hanzi_count(chars) -> int:
    return sum(1 for c in chars if 0x4E00 <= ord(c) <= 0x9FFF)


def codepoints() -> list[int]:
    points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2010, 0x203C))
    points |= set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F)) | set(range(0xFFE0, 0xFFE7))
    points |= {ord(c) for c in gb2312_characters()}
    points |= {ord(c) for c in EXTRA}
    return sorted(points)


def open_face(collection: Path, postscript_name: str) -> TTFont:
    """The face of a .ttc whose PostScript name (name ID 6) is `postscript_name`."""
    for font in TTCollection(collection).fonts:
        if font["name"].getDebugName(6) == postscript_name:
            return font
    raise SystemExit(f"{collection}: no face named {postscript_name}")


def rename(font: TTFont, family: str, style: str) -> None:
    """Give the subset its own names, so that it is never mistaken for the full font."""
    postscript = f"{family.replace(' ', '')}-{style}".replace("CJKSC", "CJKsc")
    full = f"{family} {style}" if style != "Regular" else family
    version = font["name"].getDebugName(5)
    names = {
        1: family,
        2: style,
        3: f"{version.split(';')[0]};{postscript};subset",
        4: full,
        6: postscript,
        16: family,
        17: style,
    }
    table = font["name"]
    # Keep copyright (0), trademark (7), designers (8–12), licence (13, 14) and version (5);
    # drop the localized and Mac names of the original family.
    table.names = [n for n in table.names if n.nameID not in names and n.nameID not in (18, 19, 21, 22)]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName = full
        top.FamilyName = family


def build(source_dir: Path, output_dir: Path) -> list[Path]:
    unicodes = codepoints()
    options = subset.Options()
    # Horizontal Simplified Chinese only: the SC face's default glyphs are the SC forms, so
    # 'locl' (JP/KR/TC forms), 'aalt', 'vert', 'hwid'… would only pull in unused glyphs.
    options.layout_features = ["ccmp", "liga", "kern", "halt", "palt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    options.drop_tables += ["VORG", "vhea", "vmtx"]  # horizontal text only: no vertical metrics
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, collection, postscript, family, style in FACES:
        font = open_face(source_dir / collection, postscript)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        rename(font, family, style)
        font.recalcTimestamp = False  # keep the source's head.modified: reproducible output
        path = output_dir / f"{stem}.otf"
        font.save(path, reorderTables=True)
        written.append(path)
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"{path.stat().st_size / 1_048_576:.2f} MB, {len(font.getBestCmap())} characters, "
            f"from {collection} ({font['name'].getDebugName(5)})"
        )
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"directory of the Noto CJK .ttc collections (default {DEFAULT_SOURCE})",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="where to write the .otf subsets (default src/renda/reports/fonts)",
    )
    args = parser.parse_args(argv)
    chars = gb2312_characters()
    print(f"GB 2312: {len(chars)} characters, {hanzi_count(chars)} hanzi; subset: {len(codepoints())} code points")
    paths = build(args.source_dir, args.output_dir)
    print(f"total {sum(p.stat().st_size for p in paths) / 1_048_576:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
