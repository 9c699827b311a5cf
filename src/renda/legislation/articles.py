"""Chinese legal texts as trees (编/分编/章/节 headings, 条 articles, 款 paragraphs, 项 items, 目 sub-items),
their canonical rendering, and an article-level diff between two versions.

Pure Python, no Django. `parse(text)` is forgiving (blank lines, full-width spaces, markdown `#` marks,
a 目录 block, unnumbered 附则/总则 headings, Arabic article numbers); `render(tree)` writes the canonical
text, so that `parse(render(tree)) == tree`. `diff(old, new)` aligns articles: identical text first
(preferring the same number), then similar text (see similarity()), then classifies
each pair as unchanged / renumbered / moved / changed, with character-level segments for changed text.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

LEVELS = ("编", "分编", "章", "节")  # outermost first
# two articles are "the same article, changed" when similarity() ≥ SIMILARITY and their bigram Jaccard ≥ MIN_JACCARD
SIMILARITY = 0.5
MIN_JACCARD = 0.2

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"[零〇一二两三四五六七八九十百千\d０-９]+"
_SP = r"[ \t\u3000\xa0]"
# "第五条　…"; also the scraped "第五 条…"; not "第五条规定的…" (a paragraph citing an article)
_ARTICLE_RE = re.compile(rf"^第({_NUM})(?:{_SP}+条{_SP}*|条(?:{_SP}+|$))(.*)$")
_HEADING_RE = re.compile(rf"^第({_NUM})(分编|编|章|节)(?:{_SP}*(.*))?$")
_BARE_HEADING_RE = re.compile(rf"^(附{_SP}*则|总{_SP}*则)$")
_TOC_RE = re.compile(rf"^目{_SP}*录$")
_ITEM_RE = re.compile(rf"^([（(]{_NUM}[）)]|[一二三四五六七八九十]+、){_SP}*(.*)$")
_SUBITEM_RE = re.compile(rf"^(\d+[.．]|[（(]\d+[）)]){_SP}*(.*)$")


def _ascii_digits(numeral: str) -> str:
    # NFKC on the digits only: full-width "１２" reads as "12", the Chinese numerals stay as typed
    return "".join(unicodedata.normalize("NFKC", ch) if ch.isdigit() else ch for ch in numeral)


def cn_to_int(numeral: str) -> int:
    """第__条's number: Chinese numerals (十, 百, 千, 零; 十一 = 11, 一百零一 = 101) or digits (also full-width).
    A mix of both ("1十", "二十1") cannot be read: ValueError."""
    numeral = _ascii_digits(numeral)
    if numeral.isascii() and numeral.isdigit():
        return int(numeral)
    total, digit = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            raise ValueError(f"不是中文数字：{numeral}")
    return total + digit


def read_number(numeral: str) -> int | None:
    """cn_to_int, or None for a number that cannot be read (then the line is ordinary text)."""
    try:
        return cn_to_int(numeral)
    except ValueError:
        return None


def int_to_cn(n: int) -> str:
    """The official spelling: 1 → 一, 10 → 十, 21 → 二十一, 101 → 一百零一, 110 → 一百一十."""
    if n <= 0 or n >= 10000:
        return str(n)
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(("" if (d == 1 and unit == 10 and not parts) else digits[d]) + name)
    return "".join(parts)


# ---------------------------------------------------------------------------------------------- tree


@dataclass(frozen=True)
class SubItem:  # 目
    label: str  # "1."
    text: str


@dataclass(frozen=True)
class Item:  # 项
    label: str  # "（一）" or "一、"
    text: str
    subitems: tuple[SubItem, ...] = ()


@dataclass(frozen=True)
class Paragraph:  # 款
    text: str
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Heading:
    level: str  # one of LEVELS
    number: int | None  # None for an unnumbered 附则
    title: str

    @property
    def label(self) -> str:
        head = f"第{int_to_cn(self.number)}{self.level}" if self.number is not None else ""
        return f"{head}\u3000{self.title}" if head and self.title else head or self.title


@dataclass(frozen=True)
class Article:
    number: int
    paragraphs: tuple[Paragraph, ...]
    path: tuple[Heading, ...] = ()  # enclosing headings, outermost first

    @property
    def label(self) -> str:
        return f"第{int_to_cn(self.number)}条"

    @property
    def text(self) -> str:
        """The article's body without its 第X条 label: one line per paragraph, item and sub-item."""
        return "\n".join(_paragraph_lines(self.paragraphs))


@dataclass(frozen=True)
class Text:
    title: str = ""
    preamble: tuple[str, ...] = ()
    body: tuple[Heading | Article, ...] = ()

    @property
    def articles(self) -> list[Article]:
        return [node for node in self.body if isinstance(node, Article)]

    @property
    def headings(self) -> list[Heading]:
        return [node for node in self.body if isinstance(node, Heading)]


# ---------------------------------------------------------------------------------------------- parse


def _clean(line: str) -> str:
    line = line.replace("\u200b", "").replace("\ufeff", "").strip(" \t\u3000\xa0\r")
    # official texts use full-width brackets, colons and semicolons; scraped ones mix them
    line = line.replace("(", "（").replace(")", "）")
    line = re.sub(r"(?<=[\u4e00-\u9fff）])[:;]", lambda m: "：" if m.group() == ":" else "；", line)
    return re.sub(r"^#+\s*", "", line)  # markdown heading marks (pasted from a web page)


def _norm_label(label: str) -> str:
    return label.replace("(", "（").replace(")", "）").replace("．", ".")


def _looks_like_heading_title(rest: str) -> bool:
    return len(rest) <= 40 and not re.search(r"[。；，：]", rest)


def _heading(line: str) -> Heading | None:
    m = _HEADING_RE.match(line)
    number = read_number(m.group(1)) if m else None
    if number is not None and _looks_like_heading_title(m.group(3) or ""):
        # "总　　则" and "总则" are the same title
        return Heading(m.group(2), number, re.sub(rf"{_SP}+", "", m.group(3) or ""))
    if _BARE_HEADING_RE.match(line):
        return Heading("章", None, re.sub(_SP, "", line))
    return None


class _Builder:
    def __init__(self):
        self.nodes: list[Heading | Article] = []
        self.path: list[Heading] = []
        self.number: int | None = None
        self.paragraphs: list[list] = []  # [text, [[label, text, [subitems]], ...]]

    def close(self):
        if self.number is None:
            return
        paragraphs = tuple(
            Paragraph(text, tuple(Item(lab, t, tuple(SubItem(*s) for s in subs)) for lab, t, subs in items))
            for text, items in self.paragraphs
        )
        self.nodes.append(Article(self.number, paragraphs, tuple(self.path)))
        self.number, self.paragraphs = None, []

    def heading(self, heading: Heading):
        self.close()
        rank = LEVELS.index(heading.level)
        self.path = [h for h in self.path if LEVELS.index(h.level) < rank] + [heading]
        self.nodes.append(heading)

    def article(self, number: int, first: str):
        self.close()
        self.number, self.paragraphs = number, [[first, []]]

    def line(self, line: str):
        items = self.paragraphs[-1][1]
        m = _SUBITEM_RE.match(line)
        if m and items:
            items[-1][2].append((_norm_label(m.group(1)), m.group(2)))
            return
        m = _ITEM_RE.match(line)
        if m:
            items.append([_norm_label(m.group(1)), m.group(2), []])
        else:
            self.paragraphs.append([line, []])


def unread_numbers(source: str) -> list[str]:
    """The lines that look like an article (第…条) but whose number cannot be read ("第1十条"):
    `parse` keeps them as text of the article before; a draft being stored is refused instead."""
    out = []
    for raw in source.splitlines():
        line = _clean(raw)
        m = _ARTICLE_RE.match(line)
        if m and read_number(m.group(1)) is None:
            out.append(line[:30])
    return out


def parse(source: str) -> Text:
    """Parse a regulation's plain text into a Text tree (see the module's docstring)."""
    lines = [c for c in (_clean(raw) for raw in source.splitlines()) if c]
    title, preamble = "", []
    builder = _Builder()
    toc: list[str] | None = None  # the 目录's entries while inside it
    for i, line in enumerate(lines):
        if toc is not None:
            # the 目录 lists the headings; it ends where its first entry comes again (or at an article)
            key = re.sub(rf"{_SP}+", "", line)
            if (not toc or key != toc[0]) and not _ARTICLE_RE.match(line):
                toc.append(key)
                continue
            toc = None
        m = _ARTICLE_RE.match(line)
        number = read_number(m.group(1)) if m else None
        if number is not None:  # "第1十条" cannot be read: kept as an ordinary line of text
            builder.article(number, m.group(2) or "")
            continue
        heading = _heading(line)
        if heading is not None:
            builder.heading(heading)
            continue
        if builder.number is not None:
            builder.line(line)
        elif _TOC_RE.match(line) and not builder.nodes:
            toc = []
        elif i == 0 and len(line) <= 80 and not line.endswith(("。", "：", "；")):
            title = line
        elif not builder.nodes:
            preamble.append(line)
        else:  # text between a heading and its first article (rare): keep it as a heading-less remark
            builder.nodes.append(Heading(builder.path[-1].level if builder.path else "章", None, line))
    builder.close()
    return Text(title, tuple(preamble), tuple(builder.nodes))


# ---------------------------------------------------------------------------------------------- render


def _paragraph_lines(paragraphs) -> list[str]:
    lines = []
    for paragraph in paragraphs:
        lines.append(paragraph.text)
        for item in paragraph.items:
            lines.append(f"{item.label}{item.text}")
            lines.extend(f"{sub.label}{sub.text}" for sub in item.subitems)
    return lines


def render(text: Text) -> str:
    """The canonical plain text: title, preamble, then headings and articles (第X条 and a full-width space)."""
    out = []
    if text.title:
        out += [text.title, ""]
    if text.preamble:
        out += [*text.preamble, ""]
    for node in text.body:
        if isinstance(node, Heading):
            if out and out[-1]:
                out.append("")
            out += [node.label, ""]
        else:
            first, *rest = _paragraph_lines(node.paragraphs)
            out.append(f"{node.label}\u3000{first}".rstrip("\u3000"))
            out += rest
    return "\n".join(out).strip("\n") + "\n"


# ---------------------------------------------------------------------------------------------- diff


@dataclass
class Change:
    kind: str  # unchanged | renumbered | moved | changed | added | removed | heading_changed/_added/_removed
    old_number: int | None = None
    new_number: int | None = None
    old_text: str = ""
    new_text: str = ""
    segments: list[tuple[str, str]] = field(default_factory=list)  # (equal|delete|insert, text)
    old_path: tuple[str, ...] = ()
    new_path: tuple[str, ...] = ()
    causes: list = field(default_factory=list)  # comments/opinions that caused it (filled by the caller)

    @property
    def is_heading(self) -> bool:
        return self.kind.startswith("heading_")


def segments(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level changes as runs: joining equal+delete gives `old`, equal+insert gives `new`."""
    out: list[list[str]] = []

    def push(op, s):
        if s:
            if out and out[-1][0] == op:
                out[-1][1] += s
            else:
                out.append([op, s])

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops = matcher.get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            # a lone equal character between two changes reads as noise: fold it into them
            inner = 0 < k < len(ops) - 1
            if inner and i2 - i1 == 1:
                push("delete", old[i1:i2])
                push("insert", new[j1:j2])
            else:
                push("equal", old[i1:i2])
        else:
            push("delete", old[i1:i2])
            push("insert", new[j1:j2])
    # merge delete/insert runs split by a folded character: keep deletes before inserts in each changed run
    merged: list[tuple[str, str]] = []
    run: dict[str, str] = {}
    for op, s in out:
        if op == "equal":
            merged += [(o, run[o]) for o in ("delete", "insert") if run.get(o)]
            run = {}
            merged.append(("equal", s))
        else:
            run[op] = run.get(op, "") + s
    merged += [(o, run[o]) for o in ("delete", "insert") if run.get(o)]
    return merged


def _bigrams(text: str) -> frozenset[str]:
    text = re.sub(r"\s+", "", text)
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset([text])


def _score(x: frozenset, y: frozenset) -> tuple[float, float]:
    common = len(x & y)
    return (common / len(x | y) + common / min(len(x), len(y))) / 2, common / len(x | y)


def similarity(a: str, b: str) -> float:
    """Mean of the character-bigram Jaccard and overlap coefficients (0…1): the overlap term keeps an article
    that lost or gained a whole paragraph recognisable (Jaccard alone falls under 0.5 there)."""
    return _score(_bigrams(a), _bigrams(b))[0]


def _lis(seq: list[int]) -> set[int]:
    """Positions in `seq` forming a longest increasing subsequence."""
    tails, tails_pos, prev = [], [], [-1] * len(seq)
    for pos, value in enumerate(seq):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tails_pos.append(pos)
        else:
            tails[k], tails_pos[k] = value, pos
        prev[pos] = tails_pos[k - 1] if k else -1
    keep, pos = set(), tails_pos[-1] if tails_pos else -1
    while pos >= 0:
        keep.add(pos)
        pos = prev[pos]
    return keep


def _align_headings(old: Text, new: Text) -> tuple[dict[Heading, Heading], list[Change]]:
    """Headings matched by level and title in order; replaced runs pair up as heading_changed."""
    a, b = old.headings, new.headings
    matcher = difflib.SequenceMatcher(None, [(h.level, h.title) for h in a], [(h.level, h.title) for h in b])
    mapping, changes = {}, []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                mapping[a[i1 + k]] = b[j1 + k]
                if a[i1 + k].number != b[j1 + k].number:
                    changes.append(Change("heading_renumbered", old_text=a[i1 + k].label, new_text=b[j1 + k].label))
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            ha, hb = a[i1 + k], b[j1 + k]
            mapping[ha] = hb
            changes.append(
                Change("heading_changed", old_text=ha.label, new_text=hb.label, segments=segments(ha.label, hb.label))
            )
        changes += [Change("heading_removed", old_text=h.label) for h in a[i1 + pairs : i2]]
        changes += [Change("heading_added", new_text=h.label) for h in b[j1 + pairs : j2]]
    return mapping, changes


def align(old: Text, new: Text) -> list[Change]:
    """Every article of both versions, paired where they are the same article, in the new text's order
    (removed articles after their old predecessor's partner); heading changes after the articles."""
    a, b = old.articles, new.articles
    ta, tb = [x.text for x in a], [y.text for y in b]
    pair: dict[int, int] = {}
    taken: set[int] = set()

    # 1. identical text, preferring the same number, then the nearest position
    by_text: dict[str, list[int]] = {}
    for j, t in enumerate(tb):
        by_text.setdefault(t, []).append(j)
    for i, t in enumerate(ta):
        free = [j for j in by_text.get(t, ()) if j not in taken]
        if free:
            j = min(free, key=lambda j: (b[j].number != a[i].number, abs(j - i)))
            pair[i] = j
            taken.add(j)

    # 2. similar text among the rest: greedy on similarity, same number and nearness breaking ties
    rest_a = [i for i in range(len(a)) if i not in pair]
    rest_b = [j for j in range(len(b)) if j not in taken]
    if rest_a and rest_b:
        grams_b = {j: _bigrams(tb[j]) for j in rest_b}
        candidates = []
        for i in rest_a:
            ga = _bigrams(ta[i])
            for j in rest_b:
                gb = grams_b[j]
                score, jaccard = _score(ga, gb)
                if score >= SIMILARITY and jaccard >= MIN_JACCARD:
                    candidates.append((-score, a[i].number != b[j].number, abs(i - j), i, j))
        candidates.sort()
        for _, _, _, i, j in candidates:
            if i not in pair and j not in taken:
                pair[i] = j
                taken.add(j)

    # 3. classify: out of relative order, or under another chapter/section → moved
    heading_map, heading_changes = _align_headings(old, new)
    olds = sorted(pair)
    in_order = {olds[p] for p in _lis([pair[i] for i in olds])}
    rows: list[tuple[float, int, Change]] = []
    for i, j in pair.items():
        x, y = a[i], b[j]
        parent_x = heading_map.get(x.path[-1]) if x.path else None
        parent_y = y.path[-1] if y.path else None
        moved = i not in in_order or (x.path and parent_x is not None and parent_x != parent_y)
        if moved:
            kind = "moved"
        elif ta[i] != tb[j]:
            kind = "changed"
        else:
            kind = "renumbered" if x.number != y.number else "unchanged"
        rows.append((j, i, _change(kind, x, y)))
    anchor = -1.0
    for i in range(len(a)):
        if i in pair:
            anchor = pair[i]
        else:
            rows.append((anchor + 0.5, i, _change("removed", a[i], None)))
    rows += [(j, -1, _change("added", None, b[j])) for j in range(len(b)) if j not in taken]
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows] + heading_changes


def _change(kind: str, x: Article | None, y: Article | None) -> Change:
    old_text, new_text = (x.text if x else ""), (y.text if y else "")
    return Change(
        kind,
        old_number=x.number if x else None,
        new_number=y.number if y else None,
        old_text=old_text,
        new_text=new_text,
        segments=segments(old_text, new_text) if x and y and old_text != new_text else [],
        old_path=tuple(h.label for h in x.path) if x else (),
        new_path=tuple(h.label for h in y.path) if y else (),
    )


def diff(old: Text, new: Text) -> list[Change]:
    """The changes only (align() without the unchanged articles): diff(t, t) == []."""
    return [c for c in align(old, new) if c.kind != "unchanged"]
