"""A compact index of Chinese laws and regulations, to check the acts a normative document cites.

The index is built once from a corpus of act texts (`laws.jsonl`, see data/README.md) and
committed as `data/law_index.json.gz`: titles, dates and status only, no texts, so that the
platform runs where the corpus is not available.

    build_index("/work/shared/data/laws/laws.jsonl")   # -> dict (what is committed)
    write_index(index, path)                           # deterministic .json.gz
    load_index()                                       # -> LawIndex (cached, committed file)
    resolve("《中华人民共和国婚姻法》")                    # -> Act | None

One `Act` is a group of versions (the corpus has one record per act-version; versions share
category, region and short title; the eight books of 民法典 are one act). Besides the corpus
acts the index holds acts that are *not* in the corpus but are declared repealed by an act that
is: "本法自2021年1月1日起施行。《中华人民共和国婚姻法》、……同时废止。" (民法典 第一千二百六十条) gives
婚姻法 with repealed_on 2021-01-01 and repealed_by "《中华人民共和国民法典》第一千二百六十条".
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

FORMAT = "renda.assist.law_index"
FORMAT_VERSION = 1
INDEX_PATH = Path(__file__).resolve().parent / "data" / "law_index.json.gz"

NATIONAL_CATEGORIES = ("宪法", "法律", "行政法规", "司法解释", "部门规章")
# which act wins when one title fits several (a national law before a local regulation)
_CATEGORY_RANK = {"宪法": 0, "法律": 1, "行政法规": 2, "部门规章": 3, "司法解释": 4, "地方性法规": 5}

# --------------------------------------------------------------------------- titles and dates

_PRC = "中华人民共和国"
_DROP = re.compile(r"[\s《》〈〉<>“”\"'‘’·]")
# a version suffix after a title: （2019年修正） （2018修正） (2015年修订) （2021年版） （2013）
_VERSION = re.compile(
    r"[(（]\s*(\d{4})\s*年?\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?\s*"
    r"(?:第[一二三四五六七八九十]+次)?(?:修正|修订|修改|版|文本|修正本|修订本|修正文本|修订文本)?\s*[)）]$"
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ZH_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def normalize_title(title: str) -> str:
    """Key of a title: NFKC (full-width brackets to ASCII), no whitespace, no book-title marks,
    no 中华人民共和国 (documents cite 《立法法》 and 《中华人民共和国立法法》 alike)."""
    t = unicodedata.normalize("NFKC", title or "")
    t = _DROP.sub("", t)
    return t.replace(_PRC, "")


def split_version(title: str) -> tuple[str, int | None]:
    """("中华人民共和国立法法（2015年修正）") -> ("中华人民共和国立法法", 2015)."""
    t = (title or "").strip()
    m = _VERSION.search(t)
    if m and m.start() > 0:
        return t[: m.start()].rstrip(), int(m.group(1))
    return t, None


def parse_date(value) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def zh_date(y: str, m: str, d: str) -> date | None:
    """A date from year/month/day strings in Arabic or Chinese numerals (二〇二〇, 十二, 二十五)."""

    def num(s: str) -> int | None:
        s = s.strip()
        if s.isdigit():
            return int(s)
        if all(c in _ZH_DIGITS for c in s):  # 二〇二〇
            return int("".join(str(_ZH_DIGITS[c]) for c in s))
        if "十" in s:  # 十, 十二, 二十, 二十五
            head, _, tail = s.partition("十")
            tens = _ZH_DIGITS.get(head, 1) if head else 1
            ones = _ZH_DIGITS.get(tail, 0) if tail else 0
            return tens * 10 + ones
        return None

    try:
        return date(num(y), num(m), num(d))
    except (TypeError, ValueError):
        return None


def _first_date(text: str) -> date | None:
    m = _DATE.search(text or "")
    return zh_date(*m.groups()) if m else None


# --------------------------------------------------------------------------- the Act record


@dataclass(frozen=True)
class Act:
    title: str  # current full title
    short_title: str | None = None
    former_titles: tuple[tuple[str, date | None], ...] = ()  # (title, date the new title applies)
    category: str | None = None  # 宪法 / 法律 / 行政法规 / 司法解释 / 部门规章 / 地方性法规 / None
    issuing_body: str | None = None
    region: str | None = None
    first_published: date | None = None
    versions: tuple[tuple[date | None, date | None], ...] = ()  # (published, effective), oldest 1st
    status: str | None = None  # 有效 / 已废止 / 尚未生效 (as of the corpus date, or a repeal found)
    repealed_on: date | None = None
    repealed_by: str | None = None  # 《…》第…条
    replaced_by: str | None = None  # current title of the act that replaced it
    in_corpus: bool = True

    @property
    def is_national(self) -> bool:
        return self.category in NATIONAL_CATEGORIES

    @property
    def latest_version_date(self) -> date | None:
        dates = [d for v in self.versions for d in v if d]
        return max(dates) if dates else self.first_published

    @property
    def in_force_from(self) -> date | None:
        """First date the act (any version) was in force, when known."""
        for published, effective in self.versions:
            if effective or published:
                return effective or published
        return self.first_published

    def repealed_at(self, day: date) -> bool | None:
        """True: repealed on or before `day`; False: not (yet) repealed then; None: repealed at
        an unknown date that may be before or after `day`."""
        if self.repealed_on:
            return self.repealed_on <= day
        if self.status == "已废止":
            latest = self.latest_version_date
            if latest and day <= latest:
                return False
            return None
        return False

    def to_json(self) -> dict:
        out = {"title": self.title}
        if self.short_title and self.short_title != self.title:
            out["short_title"] = self.short_title
        if self.former_titles:
            out["former_titles"] = [[t, d.isoformat() if d else None] for t, d in self.former_titles]
        for key in ("category", "issuing_body", "region", "status", "repealed_by", "replaced_by"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.first_published:
            out["first_published"] = self.first_published.isoformat()
        if self.versions:
            out["versions"] = [[p.isoformat() if p else None, e.isoformat() if e else None] for p, e in self.versions]
        if self.repealed_on:
            out["repealed_on"] = self.repealed_on.isoformat()
        if not self.in_corpus:
            out["in_corpus"] = False
        return out

    @classmethod
    def from_json(cls, d: dict) -> Act:
        return cls(
            title=d["title"],
            short_title=d.get("short_title") or d["title"],
            former_titles=tuple((t, parse_date(day)) for t, day in d.get("former_titles", ())),
            category=d.get("category"),
            issuing_body=d.get("issuing_body"),
            region=d.get("region"),
            first_published=parse_date(d.get("first_published")),
            versions=tuple((parse_date(p), parse_date(e)) for p, e in d.get("versions", ())),
            status=d.get("status"),
            repealed_on=parse_date(d.get("repealed_on")),
            repealed_by=d.get("repealed_by"),
            replaced_by=d.get("replaced_by"),
            in_corpus=d.get("in_corpus", True),
        )


@dataclass(frozen=True)
class Resolution:
    act: Act
    matched: str  # "title" / "short_title" / "former_title"
    version_year: int | None  # the year of a version suffix in the citation, if any
    former_since: date | None = None  # for a former title: since when the current title applies


# Customary short names that are not the corpus' short titles (the corpus says
# 各级人民代表大会常务委员会监督法; documents and the acts themselves say 监督法, 代表法 …).
ALIASES = {
    "监督法": "各级人民代表大会常务委员会监督法",
    "代表法": "全国人民代表大会和地方各级人民代表大会代表法",
    "选举法": "全国人民代表大会和地方各级人民代表大会选举法",
    "地方组织法": "地方各级人民代表大会和地方各级人民政府组织法",
    "全国人大组织法": "全国人民代表大会组织法",
    "居委会组织法": "城市居民委员会组织法",
    "村委会组织法": "村民委员会组织法",
}


class LawIndex:
    """Look-ups over the acts of an index dict."""

    def __init__(self, data: dict):
        self.meta = {k: v for k, v in data.items() if k != "acts"}
        self.acts = [Act.from_json(a) for a in data["acts"]]
        self.as_of = parse_date(self.meta.get("source", {}).get("as_of"))
        self._by_key: dict[str, list[tuple[int, Resolution]]] = defaultdict(list)
        for act in self.acts:
            self._add(normalize_title(act.title), 0, Resolution(act, "title", None))
            if act.short_title:
                self._add(normalize_title(act.short_title), 1, Resolution(act, "short_title", None))
            for former, since in act.former_titles:
                self._add(normalize_title(former), 2, Resolution(act, "former_title", None, since))
        for alias, target in ALIASES.items():
            found = self._by_key.get(normalize_title(target))
            if found:
                act = found[0][1].act
                self._add(normalize_title(alias), 1, Resolution(act, "short_title", None))
        for candidates in self._by_key.values():
            candidates.sort(key=lambda c: (c[0], *_act_rank(c[1].act)))
        self.titles = sorted({a.title for a in self.acts if a.in_corpus})

    def _add(self, key: str, priority: int, res: Resolution) -> None:
        if key and all(r.act is not res.act for _, r in self._by_key[key]):
            self._by_key[key].append((priority, res))

    def lookup(self, citation: str) -> Resolution | None:
        """Resolve a cited title (with or without 《》, 中华人民共和国, version suffix)."""
        base, year = split_version(_strip_marks(citation))
        for candidate in (citation, base):
            found = self._by_key.get(normalize_title(candidate))
            if found:
                res = found[0][1]
                return Resolution(res.act, res.matched, year, res.former_since)
        return None

    def resolve(self, citation: str) -> Act | None:
        res = self.lookup(citation)
        return res.act if res else None


def _strip_marks(citation: str) -> str:
    return (citation or "").strip().strip("《》")


def _act_rank(act: Act) -> tuple:
    # corpus acts before acts known only from a repeal clause, national before local,
    # in force before repealed, newer before older
    return (
        not act.in_corpus,
        _CATEGORY_RANK.get(act.category or "", 9),
        act.status == "已废止",
        -(act.latest_version_date or date.min).toordinal(),
    )


@lru_cache(maxsize=4)
def _load(path: str) -> LawIndex:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{path}: 不是本版本的法律索引文件")
    return LawIndex(data)


def load_index(path: str | Path | None = None) -> LawIndex:
    """The committed index (cached; pass a path to load another file)."""
    return _load(str(path or INDEX_PATH))


def resolve(citation_title: str) -> Act | None:
    """The act a citation refers to, by full title, short title, former title, with or without
    中华人民共和国 and version suffixes such as （2019年修正）."""
    return load_index().resolve(citation_title)


# --------------------------------------------------------------------------- building

_ARTICLE_HEAD = re.compile(r"^\s*(第[一二三四五六七八九十百千零〇两]+条)")
_EFFECTIVE_IN = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起?施行")
_FROM_PUBLICATION = re.compile(r"自(?:公布|发布|颁布|印发)之日起施行")
_TITLE_IN_TEXT = re.compile(r"《([^《》]{2,120}?)》")
# what may stand between a repealed title and 废止: "…》同时废止", "…》自本法施行之日起废止",
# "…》（1992年…通过）同时废止"
_BEFORE_REPEAL = re.compile(
    r"^\s*(?:[（(][^）)]{0,80}[）)])?\s*等?\s*"
    r"(?:同时|即行|均|一并|同日|亦|自[^《》。；]{1,20}?起|予以)?\s*(?:同时)?废止"
)
# list separators between repealed titles, possibly with the next title's origin:
# "》和1993年12月13日国务院发布的《"
_LIST_SEP = re.compile(
    r"\s*(?:[（(][^）)]{0,80}[）)])?\s*(?:、|和|及|以及|，|,)\s*"
    r"(?:[^《》。；]{0,60}?(?:发布|公布|颁布|通过|批准|施行|修订|修正)的)?\s*"
)
# "《X》第十条同时废止", "《X》中与本法不一致的规定同时废止": a partial repeal, not the act
_PARTIAL = re.compile(
    r"^\s*(?:[（(][^）)]{0,80}[）)])?\s*(?:第[一二三四五六七八九十百千零〇]+[条款章节]|中|的?部分|有关|关于)"
)
_BODY = re.compile(
    r"(全国人民代表大会常务委员会|全国人民代表大会|国务院|最高人民法院|最高人民检察院|"
    r"中央人民政府政务院|政务院|中央人民政府)"
)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _group_key(rec: dict) -> tuple:
    if rec["category"] == "法律" and rec.get("subcategory") == "民法典" and rec["title"] == _PRC + "民法典":
        return ("法律", None, "民法典")
    return (rec["category"], rec.get("region"), rec["short_title"])


def _paragraphs(text: str):
    """(article label or None, paragraph) for each paragraph of a corpus text."""
    article = None
    for para in (text or "").split("\n"):
        para = para.strip()
        if not para or para.startswith("#"):
            continue
        m = _ARTICLE_HEAD.match(para)
        if m:
            article = m.group(1)
        yield article, para


def _repeal_statements(rec: dict):
    """(repealed title, text before it, article, paragraph) found in one corpus record."""
    decision = bool(re.search(r"关于废止.*的决定", rec["title"]))
    for article, para in _paragraphs(rec["text"]):
        if "废止" not in para:
            continue
        for sent in re.split(r"(?<=[。；])", para):
            if "废止" not in sent:
                continue
            titles = list(_TITLE_IN_TEXT.finditer(sent))
            for i, m in enumerate(titles):
                before = sent[: m.start()]
                # "废止《北京市社会治安综合治理条例》（1992年…通过）" in a decision repealing acts
                if decision and before.endswith("废止"):
                    yield m.group(1), before, article, para
                    continue
                if re.search(r"(依照|依据|根据|按照|适用|参照|实施)$", before):
                    continue
                if _PARTIAL.match(sent[m.end() :]):
                    continue
                # "《A》、《B》和《C》同时废止": each title of a list that ends in 废止
                j = i
                while True:
                    seg_end = titles[j + 1].start() if j + 1 < len(titles) else len(sent)
                    seg = sent[titles[j].end() : seg_end]
                    if _BEFORE_REPEAL.match(seg):
                        yield m.group(1), before, article, para
                        break
                    if j + 1 < len(titles) and _LIST_SEP.fullmatch(seg):
                        j += 1
                        continue
                    break


def _repeal_date(para: str, group_recs: list[dict]) -> date | None:
    """When the repealing clause took effect: the 施行 date in the clause's paragraph; for
    "自公布之日起施行" the earliest date in the act's history; else the act's first known date."""
    m = _EFFECTIVE_IN.search(para)
    if m:
        return zh_date(*m.groups())
    first = sorted(group_recs, key=lambda r: r.get("version_date") or "")
    if _FROM_PUBLICATION.search(para):
        for rec in first:
            for line in rec.get("history") or ():
                d = _first_date(line)
                if d:
                    return d
    for rec in first:
        d = (
            parse_date(rec.get("original_effective_date"))
            or parse_date(rec.get("effective_date"))
            or parse_date(rec.get("publish_date"))
        )
        if d:
            return d
    for rec in first:
        for line in rec.get("history") or ():
            d = _first_date(line)
            if d:
                return d
    return None


def _guess_category(title: str, body: str | None, repealer: dict) -> str | None:
    t = title
    if t.startswith("最高人民法院") or t.startswith("最高人民检察院"):
        return "司法解释"
    if t.startswith("全国人民代表大会常务委员会关于"):
        return "法律"
    if body in ("国务院", "政务院", "中央人民政府政务院"):
        return "行政法规"
    if repealer["category"] == "地方性法规":
        return "地方性法规"
    if t.startswith(_PRC) and re.search(r"法(?:[（(]试行[)）])?$", t) and not t.endswith("办法"):
        return "法律"
    if repealer["category"] == "法律" and t.startswith(_PRC) and not re.search(r"条例|细则|办法|规定|规则", t):
        return "法律"  # 《中华人民共和国民法总则》, repealed by 民法典
    return None


def _rename_statements(rec: dict):
    """("old title", "new title") from 修改决定 texts: "修改《X》" … "将名称修改为：" "“Y”。"."""
    current, previous = None, ""
    for _, para in _paragraphs(rec["text"]):
        m = re.match(r"^[一二三四五六七八九十百]+、修改《(.+)》$", para)
        if m:
            current = m.group(1).replace("〈", "《").replace("〉", "》")
        elif current and re.search(r"名称修改为[：:]?$", previous):
            m = re.match(r"^[“\"](.+?)[”\"][。.]?$", para)
            if m:
                yield current, m.group(1)
        previous = para


def build_index(corpus_path: str | Path) -> dict:
    """The index dict built from `laws.jsonl` (see data/README.md for what is extracted)."""
    corpus_path = Path(corpus_path)
    records = []
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                if rec.get("category") and rec["category"] != "案例":
                    records.append(rec)
    snapshot = next((r.get("snapshot") for r in records if r.get("snapshot")), {}) or {}
    as_of = parse_date(snapshot.get("as_of"))

    groups: dict[tuple, list[dict]] = defaultdict(list)
    for rec in records:
        groups[_group_key(rec)].append(rec)

    acts: dict[tuple, dict] = {}
    for key, recs in groups.items():
        recs.sort(key=lambda r: (r.get("version_date") or "", r.get("version_no") or 0))
        latest = recs[-1]
        if key == ("法律", None, "民法典"):
            title, short = _PRC + "民法典", "民法典"
            versions = [(None, date(2021, 1, 1))]
        else:
            title, short = latest["title"], latest["short_title"]
            versions = []
            for r in recs:
                # effective_date of this version (original_effective_date is the first version's)
                v = (parse_date(r.get("publish_date")), parse_date(r.get("effective_date")))
                if v not in versions:
                    versions.append(v)
        history_dates = [d for r in recs for line in (r.get("history") or ()) if (d := _first_date(line))]
        dates = history_dates + [d for v in versions for d in v if d]
        former = sorted({r["title"] for r in recs} - {title})
        acts[key] = {
            "title": title,
            "short_title": short,
            "former_titles": [(t, None) for t in former],
            "category": latest["category"],
            "issuing_body": next((r["issuing_body"] for r in recs if r.get("issuing_body")), None),
            "region": latest.get("region"),
            "first_published": min(dates) if dates else None,
            "versions": versions,
            "status": latest.get("status"),
            "repealed_on": None,
            "repealed_by": None,
            "replaced_by": None,
            "in_corpus": True,
            "_first": min(dates) if dates else None,
        }

    # title key -> group key, to find the acts a repeal clause or a renaming names
    by_title: dict[str, tuple] = {}
    for key in sorted(acts, key=lambda k: _CATEGORY_RANK.get(k[0], 9)):
        a = acts[key]
        for t in (a["title"], a["short_title"]):
            by_title.setdefault(normalize_title(t), key)

    # renamings declared in 修改决定 (the corpus has no act whose versions differ in title)
    renames = 0
    for rec in records:
        if "修改" not in rec["title"] or "名称修改为" not in rec["text"]:
            continue
        since = parse_date(rec.get("effective_date")) or parse_date(rec.get("publish_date"))
        for old, new in _rename_statements(rec):
            key = by_title.get(normalize_title(new))
            if key and normalize_title(old) != normalize_title(acts[key]["title"]):
                acts[key]["former_titles"].append((old, since))
                renames += 1

    # repeals declared in the texts of the acts
    absent: dict[str, dict] = {}
    statements = 0
    for rec in records:
        if "废止" not in rec["text"]:
            continue
        rkey = _group_key(rec)
        repealer = acts[rkey]
        for target, before, article, para in _repeal_statements(rec):
            target = target.replace("〈", "《").replace("〉", "》")
            tkey = normalize_title(split_version(target)[0])
            if tkey in (normalize_title(repealer["title"]), normalize_title(repealer["short_title"])):
                continue  # an older act of the same title ("1995年…发布的《信访条例》同时废止")
            on = _repeal_date(para, groups[rkey])
            by = f"《{repealer['title']}》" + (article or "")
            decision = bool(re.search(r"关于废止.*的决定", repealer["title"]))
            statements += 1
            key = by_title.get(tkey)
            if key:
                act = acts[key]
                if key == rkey or (on and act["_first"] and act["_first"] > on):
                    continue  # a newer act that took the repealed act's title
                if act["repealed_on"] and on and act["repealed_on"] <= on:
                    continue
                act.update(repealed_on=on, repealed_by=by, replaced_by=None if decision else repealer["title"])
                if on and as_of and on <= as_of:
                    act["status"] = "已废止"
                continue
            prev = absent.get(tkey)
            if prev and prev["repealed_on"] and on and prev["repealed_on"] <= on:
                continue
            body_m = _BODY.findall(before[-40:])
            body = body_m[-1] if body_m else None
            first = None
            pm = list(_DATE.finditer(before[-40:]))
            if pm:
                first = zh_date(*pm[0].groups())
            absent[tkey] = {
                "title": target,
                "short_title": target[len(_PRC) :] if target.startswith(_PRC) else target,
                "former_titles": [],
                "category": _guess_category(target, body, rec),
                "issuing_body": body,
                "region": rec.get("region") if rec["category"] == "地方性法规" else None,
                "first_published": first,
                "versions": [],
                "status": "已废止" if (on and as_of and on <= as_of) else ("有效" if on else "已废止"),
                "repealed_on": on,
                "repealed_by": by,
                "replaced_by": None if decision else repealer["title"],
                "in_corpus": False,
            }

    out_acts = []
    for a in list(acts.values()) + list(absent.values()):
        act = Act(
            title=a["title"],
            short_title=a["short_title"],
            former_titles=tuple(sorted(set(a["former_titles"]), key=lambda x: x[0])),
            category=a["category"],
            issuing_body=a["issuing_body"],
            region=a["region"],
            first_published=a["first_published"],
            versions=tuple(a["versions"]),
            status=a["status"],
            repealed_on=a["repealed_on"],
            repealed_by=a["repealed_by"],
            replaced_by=a["replaced_by"],
            in_corpus=a["in_corpus"],
        )
        out_acts.append(act.to_json())
    out_acts.sort(
        key=lambda d: (
            not d.get("in_corpus", True),
            _CATEGORY_RANK.get(d.get("category", ""), 9),
            d.get("region") or "",
            d["title"],
        )
    )

    counts: dict[str, int] = defaultdict(int)
    for d in out_acts:
        counts["acts"] += 1
        counts["in_corpus" if d.get("in_corpus", True) else "known_only_as_repealed"] += 1
        if d.get("status") == "已废止":
            counts["repealed"] += 1
        if d.get("repealed_on"):
            counts["repealed_with_date"] += 1
        if d.get("replaced_by"):
            counts["replaced"] += 1
        if d.get("former_titles"):
            counts["with_former_titles"] += 1
    counts["repeal_statements"] = statements
    counts["renamings"] = renames
    counts["corpus_records"] = len(records)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "source": {
            "file": corpus_path.name,
            "sha256": _sha256(corpus_path),
            "repo": snapshot.get("repo"),
            "commit": snapshot.get("commit"),
            "as_of": snapshot.get("as_of"),
        },
        "counts": dict(sorted(counts.items())),
        "acts": out_acts,
    }


def write_index(index: dict, path: str | Path = INDEX_PATH) -> Path:
    """Write the index as deterministic gzip (no file name, mtime 0): same input, same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    path.write_bytes(buf.getvalue())
    _load.cache_clear()
    return path
