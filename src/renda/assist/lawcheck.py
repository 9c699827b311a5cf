"""Automatic checks of a normative document (规范性文件) against the law, for 备案审查.

    check_document(text, published=date(2021, 3, 10), filed=None) -> list[Finding]
    citations(text, published=None) -> list[Citation]     # every cited act and its status

The checks are rules over the text and the committed law index (lawindex.py), not a model:
each finding names the sentence or clause it is about (`text[start:end] == excerpt`) and
the provision it may infringe, and the reviewer decides. The rules aim at precision: a
finding the reviewer must dismiss costs trust, so patterns are narrow, and a provision that
applies a measure set by an act it cites (in force at publication) is not reported.

Kinds (`KINDS`):
  law_not_found          a cited act that claims to be a national law / administrative
                         regulation (…法, …条例, 中华人民共和国…) is not in the index
  law_repealed           the cited act was repealed (or replaced) on or before publication
  law_title_outdated     cited under a former title, or by a version suffix (（2015年修正）)
                         of a version superseded before publication
  unauthorized_licensing           sets an administrative licence (行政许可法 第十七条)
  unauthorized_penalty             sets an administrative penalty (行政处罚法 第十六条)
  unauthorized_compulsory_measure  sets a compulsory measure (行政强制法 第十条第四款, 第四十三条)
  unauthorized_fee                 charges a fee without a legal basis or approved catalogue
  rights_restricted                restricts rights or adds obligations without legal basis
  late_filing            filed more than 30 days after publication
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from renda.assist import lawindex
from renda.assist.lawindex import Act, normalize_title, split_version, zh_date

KINDS = (
    "law_not_found",
    "law_repealed",
    "law_title_outdated",
    "unauthorized_licensing",
    "unauthorized_penalty",
    "unauthorized_compulsory_measure",
    "unauthorized_fee",
    "rights_restricted",
    "late_filing",
)
CITATION_KINDS = KINDS[:3]
KIND_LABELS = {
    "law_not_found": "引用的法律法规不存在",
    "law_repealed": "引用已废止的法律法规",
    "law_title_outdated": "引用的名称或版本已过时",
    "unauthorized_licensing": "违法设定行政许可",
    "unauthorized_penalty": "违法设定行政处罚",
    "unauthorized_compulsory_measure": "违法设定行政强制",
    "unauthorized_fee": "没有依据的收费",
    "rights_restricted": "减损权利或者增加义务",
    "late_filing": "逾期报送备案",
}
FILING_DAYS = 30

# document levels: what a document of that level may itself set (立法法, 行政处罚法 第十至十四条,
# 行政许可法 第十四至十七条, 行政强制法 第十条). Unknown levels are checked as 行政规范性文件.
_LEVEL_ALLOWS = {
    "行政规范性文件": set(),
    "规范性文件": set(),
    "地方政府规章": {"fine"},  # 规章 may set warnings, 通报批评 and fines (行政处罚法 第十四条)
    "政府规章": {"fine"},
    "规章": {"fine"},
    "地方性法规": {"fine", "penalty", "licensing", "compulsory", "fee", "rights"},
}

# --------------------------------------------------------------------------- data classes


@dataclass
class Finding:
    kind: str
    start: int
    end: int
    excerpt: str
    message: str
    law: str | None = None  # the act the finding is about: the cited act, or the act of the rule

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "excerpt": self.excerpt,
            "start": self.start,
            "end": self.end,
            "law": self.law,
            "message": self.message,
        }


@dataclass
class Citation:
    """One 《…》 citation of an act and what the index says about it at the publication date."""

    title: str  # as cited, without 《》 and without a version suffix
    start: int  # span of 《…》 (and of a version suffix right after it)
    end: int
    excerpt: str
    status: str  # see STATUSES
    kind: str  # title shape: law / regulation / local / rule / policy / party
    act: str | None = None  # current title of the resolved act
    category: str | None = None
    version_year: int | None = None
    historical: bool = False  # mentioned as repealed ("原《…》废止后")
    note: str = ""
    _act: Act | None = field(default=None, repr=False, compare=False)

    @property
    def status_label(self) -> str:
        """The status in Chinese, for the reviewer ("已废止", "无法核对（…）" …)."""
        label = STATUSES[self.status]
        return label + "（历史表述）" if self.historical else label

    @property
    def status_class(self) -> str:
        """CSS badge class of the platform: ok / soon (to verify) / bad (a finding)."""
        if self.status == "in_force" or self.historical:
            return "ok"
        if self.status in ("repealed", "not_found", "outdated_title", "outdated_version"):
            return "bad"
        return "soon"

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("_act", None)
        d["status_label"] = self.status_label
        return d


STATUSES = {
    "in_force": "有效",
    "repealed": "已废止",
    "repealed_date_unknown": "已废止（废止日期不详）",
    "not_yet_in_force": "尚未施行",
    "outdated_title": "名称已变更",
    "outdated_version": "所引版本已被修改",
    "not_found": "未找到",
    "unverifiable": "无法核对（索引未收录此类文件）",
}

# --------------------------------------------------------------------------- citations

# 《…》 with at most one nested 《…》 (a title like 《北京市实施《中华人民共和国种子法》办法》)
_CITE = re.compile(r"《((?:[^《》\n]|《[^《》\n]{1,60}》){2,150})》")
# a version suffix written after the closing mark: 《中华人民共和国行政处罚法》（2017年修正）
_SUFFIX_AFTER = re.compile(r"[（(]\s*(\d{4})\s*年?\s*(?:修正|修订|修改|版|修正本|修订本)?\s*[）)]")
_TRIAL = re.compile(r"[（(](?:试行|暂行|草案)[）)]$")

# titles that look like acts (what `citations` lists); other 《…》 are forms, certificates, books
_ACT_END = re.compile(
    r"(?:法|法典|条例|规定|办法|细则|决定|规则|解释|意见|通知|规划|方案|纲要|目录|清单|"
    r"标准|指引|指南|批复|公告|通告|决议|命令|计划|章程|制度|措施|准则|修正案)$"
)
_NOT_LAW_FA = re.compile(r"(?:办法|方法|做法|工作法|看法|想法|说法|疗法|算法|手法|语法|书法|兵法)$")
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|内蒙古|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    "湖南|广东|广西|海南|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门"
)
# a local act or document: province name first, or "<place>市/盟/旗/县…" (not 城市…, 市场…),
# or "<place>区/镇/苏木 人民政府…"
_LOCAL = re.compile(
    rf"^(?:{_PROVINCES})|^[\u4e00-\u9fff]{{2,4}}经济特区"
    r"|^[\u4e00-\u9fff]{2,8}?(?:市|盟|旗|县|自治州|自治县|自治旗)(?![场级长民容政])"
    r"|^[\u4e00-\u9fff]{2,5}(?:区|镇|乡|苏木|街道)(?:人民政府|政府|人民代表大会|人大|管委会|管理委员会|办事处|党委)"
)
_PARTY = re.compile(
    r"^(?:中国共产党|中共|党政|党内|党的|中国人民解放军|军队|中央军事委员会|中央军委|"
    r"中国人民武装警察|中央办公厅|中共中央)|党组|党委|纪律检查"
)
_POLICY_END = re.compile(
    r"(?:意见|通知|规划|方案|纲要|目录|清单|标准|指引|指南|批复|公告|通告|决议|命令|计划|"
    r"要点|导则|规范|函|报告|纪要)$"
)
_NATIONAL_CLAIM = re.compile(r"(?:法|法典|条例|暂行条例|实施条例|实施细则)$")


def _title_kind(title: str) -> str:
    """Shape of a cited title: law / regulation / local / rule / policy / party / other."""
    t = _TRIAL.sub("", split_version(title)[0])
    if not _ACT_END.search(t):
        return "other"
    if t.endswith("法") and _NOT_LAW_FA.search(t) and not t.endswith("办法"):
        return "other"  # 《…工作法》, 《…疗法》: not an act
    if _PARTY.search(t):
        return "party"
    if t.startswith(lawindex._PRC):
        core = t[len(lawindex._PRC) :]
        if core.endswith("法") and not core.endswith("办法"):
            return "law"
        return "regulation" if core.endswith(("条例", "细则")) else "rule"
    if _LOCAL.search(t):
        return "local"
    if "关于" in t or _POLICY_END.search(t):
        return "policy"
    if t.endswith("法") and not t.endswith("办法"):
        return "law"
    if t.endswith("条例") or t.endswith("法典"):
        return "regulation"
    if t.startswith(("最高人民法院", "最高人民检察院")):
        return "rule"  # a judicial interpretation the index may not hold
    return "rule"


def _claims_national(title: str, kind: str) -> bool:
    """A title that says it is a national law or administrative regulation, so that not
    finding it means something (the index holds nearly all of them)."""
    if kind in ("law", "regulation"):
        t = _TRIAL.sub("", split_version(title)[0])
        return bool(_NATIONAL_CLAIM.search(t))
    return False


# "原《…》", "原依照《…》核发的", "已废止的《…》": the act is mentioned as old, not relied on
_HISTORY_BEFORE = re.compile(r"(?:原(?:依照|根据|按照|依据)?|已废止的|已失效的|废止的|被废止的)$")
# "《A》（1991年…通过）、《B》同时废止", "《X》自本办法施行之日起废止"
_HISTORY_AFTER = re.compile(r"[^。；\n]{0,200}?(?:废止|失效|停止执行|不再执行|不再适用|已被[^。；\n]{0,30}取代)")
_RELIED_ON = re.compile(r"(?:依照|依据|根据|按照|适用|参照)$")
# "《中华人民共和国矿山安全法实施条例》（以下简称《实施条例》）": an abbreviation the text defines
_DEFINES = re.compile(r"\s*[（(]\s*以下(?:简称|称)\s*[《“\"]([^》”\"\n]{1,30})[》”\"]")
_GENERIC = re.compile(
    r"^(?:本|该|上述|实施|暂行)?(?:法|条例|办法|规定|细则|决定|规则|意见|通知|方案|"
    r"实施条例|实施细则|实施办法)$"
)


def citations(text: str, published: date | None = None, *, index=None) -> list[Citation]:
    """Every act-like 《…》 citation in `text`, with its status at the publication date
    (the date found in the text, else today, when `published` is None)."""
    index = index or lawindex.load_index()
    day = published or document_date(text) or date.today()
    out = []
    aliases: dict[str, str] = {}  # abbreviation defined in the text -> the title it stands for
    skip_until = -1
    for m in _CITE.finditer(text):
        raw = m.group(1)
        start, end = m.start(), m.end()
        if start < skip_until:
            continue  # the abbreviation inside "（以下简称《…》）"
        suffix = _SUFFIX_AFTER.match(text, end)
        base, year = split_version(raw)
        if suffix and year is None:
            year, end = int(suffix.group(1)), suffix.end()
        defines = _DEFINES.match(text, end)
        if defines:
            aliases[normalize_title(defines.group(1))] = base
            skip_until = defines.end()
        target = aliases.get(normalize_title(base))
        if target:
            base = target
        elif _GENERIC.match(normalize_title(base)):
            continue  # 《实施条例》, 《本办法》: no title to check
        kind = _title_kind(base)
        if kind == "other":
            res = index.lookup(base)  # 《民法总则》: an act whatever its title looks like
            if res is None:
                continue
            kind = {"法律": "law", "宪法": "law", "行政法规": "regulation", "地方性法规": "local"}.get(
                res.act.category or "", "rule"
            )
        cit = Citation(
            title=base, start=start, end=end, excerpt=text[start:end], status="in_force", kind=kind, version_year=year
        )
        cit.historical = bool(
            _HISTORY_BEFORE.search(text, max(0, start - 6), start)
            or (_HISTORY_AFTER.match(text, end) and not _RELIED_ON.search(text, max(0, start - 4), start))
        )
        _resolve(cit, base, day, index)
        out.append(cit)
    return out


def _resolve(cit: Citation, base: str, day: date, index) -> None:
    res = index.lookup(base)
    if res is None:
        if _claims_national(base, cit.kind):
            cit.status = "not_found"
            guess = _closest(base, index)
            cit.note = f"是否指《{guess}》？" if guess else ""
        else:
            cit.status = "unverifiable"
            cit.note = {
                "local": "地方性法规、地方政府规章或地方文件（索引只收录7个省市的地方性法规，无内蒙古）",
                "policy": "政策文件、决定或通知（索引不收录）",
                "party": "党内法规或军事法规（索引不收录）",
            }.get(cit.kind, "部门规章、司法解释或其他文件（索引收录不全）")
        return
    act = res.act
    cit._act, cit.act, cit.category = act, act.title, act.category
    repealed = act.repealed_at(day)
    if repealed is None and index.as_of and day >= index.as_of:
        repealed = True  # marked repealed in the corpus, which is older than the document
    if repealed:
        cit.status = "repealed"
        return
    if repealed is None:
        cit.status = "repealed_date_unknown"
        return
    if res.matched == "former_title" and (res.former_since is None or res.former_since <= day):
        cit.status = "outdated_title"
        return
    start = act.in_force_from
    if start and start > day:
        cit.status = "not_yet_in_force"
        return
    if cit.version_year:
        newer = [(p, e) for p, e in act.versions if (p or e) and (p or e).year > cit.version_year and (e or p) <= day]
        if newer:
            cit.status = "outdated_version"
            p, e = newer[-1]
            cit.note = f"{(p or e).year}年版本自{_fmt(e or p)}起施行"
            return
    cit.status = "in_force"


def _closest(title: str, index) -> str | None:
    """The national law or administrative regulation whose title is closest to a title that
    was not found (a misspelling: 道路交通安全管理法 → 道路交通安全法)."""
    keys = getattr(index, "_national_keys", None)
    if keys is None:
        keys = {}
        for act in index.acts:
            if act.in_corpus and act.category in ("法律", "行政法规", "宪法"):
                keys.setdefault(normalize_title(act.title), act.title)
        index._national_keys = keys
    found = difflib.get_close_matches(normalize_title(title), list(keys), n=1, cutoff=0.75)
    return keys[found[0]] if found else None


# --------------------------------------------------------------------------- dates

_DATE_LINE = re.compile(
    r"^[ \t]*((?:\d{4}|[〇○零一二三四五六七八九]{4}))\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日[ \t]*$",
    re.M,
)
_EFFECTIVE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起(?:施行|执行|实施)")


def document_date(text: str) -> date | None:
    """The date of a document: its last date line (落款, e.g. "2020年3月5日" or
    "二〇二〇年三月五日"), else the date of "自2020年4月1日起施行", else None."""
    lines = list(_DATE_LINE.finditer(text or ""))
    for m in reversed(lines):
        d = zh_date(*m.groups())
        if d:
            return d
    m = _EFFECTIVE.search(text or "")
    return zh_date(*m.groups()) if m else None


def _fmt(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "日期不详"


# --------------------------------------------------------------------------- segments

_CLAUSE_END = re.compile(r"[。；;！？!?\n]")
_LABEL = re.compile(
    r"(?:第[一二三四五六七八九十百零〇两]+条|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|"
    r"\d+[.、．](?!\d))[ \t\u3000]*"
)
_SENTENCE_END = re.compile(r"[。！？!?\n]")


class _Segments:
    """Clause, sentence and paragraph spans of a text (offsets into the original text)."""

    def __init__(self, text: str):
        self.text = text
        self.clauses = self._spans(_CLAUSE_END)
        self.sentences = self._spans(_SENTENCE_END)
        self.paragraphs = self._spans(re.compile(r"\n"))
        self._sent_starts = [s for s, _ in self.sentences]
        self._para_starts = [s for s, _ in self.paragraphs]

    def _spans(self, boundary) -> list[tuple[int, int]]:
        spans, start = [], 0
        for m in boundary.finditer(self.text):
            spans.append((start, m.start()))
            start = m.end()
        spans.append((start, len(self.text)))
        out = []
        for s, e in spans:
            while s < e and self.text[s] in " \t\u3000\r":
                s += 1
            while e > s and self.text[e - 1] in " \t\u3000\r":
                e -= 1
            if e > s:
                out.append((s, e))
        return out

    def trimmed(self, span: tuple[int, int]) -> tuple[int, int]:
        """A clause without its leading article or item label ("第四条 ", "一、", "（二）")."""
        s, e = span
        m = _LABEL.match(self.text, s, e)
        return (m.end(), e) if m and m.end() < e else span

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self._sent_starts, pos) - 1)
        return self.sentences[i]

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self._para_starts, pos) - 1)
        return self.paragraphs[i]


# --------------------------------------------------------------------------- the rules
# Each rule: patterns that *set* a measure, matched inside one clause. A match is dropped when
# it is negated (不得/禁止/免…), when the words just before it refer to existing law
# ("依法吊销", "依照有关规定"), or when the paragraph cites an act that can set the measure and
# was in force at publication (the document then applies, it does not set).

_NEGATION = re.compile(
    r"(?:不得|严禁|禁止|不准|不能|不再|无权|杜绝|防止|避免|取消|免于|免予|免收|免除|一律不|"
    r"不应|不宜|不会|无需|无须|不需|不要|减免)"
)
_REFERS_TO_LAW = re.compile(
    r"(?:依法|依规|依纪|依照有关|按照有关|依据有关|根据有关|依照法律|依据法律|按照法律|"
    r"依照相关|按照相关|按规定|按照规定|依照规定|按照国家|依照国家|按照自治区|依照自治区|"
    r"法律、法规规定|从其规定)"
)

# Administrative penalties (行政处罚法 第九条): fines, confiscation, revocation, suspension,
# detention. "给予警告" only outside staff discipline (警告 is also a 处分).
_PENALTY = [
    re.compile(r"(?:并处|处以?|给予)[^。；，]{0,30}?罚款"),  # 处500元以上2000元以下罚款, 并处罚款
    re.compile(r"罚款\s*\d+(?:\.\d+)?\s*(?:元|万元)"),  # 罚款200元
    # 没收违法所得 / 没收犬只 / 没收烧烤工具 (not 罚没收入: fiscal management)
    re.compile(
        r"没收(?:其|非法|违法|用于)?[^。；，]{0,12}?(?:所得|财物|工具|物品|车辆|设备|犬只|犬|产品|商品|货物|器材)"
    ),
    re.compile(r"吊销[^。；，]{0,20}?(?:许可证|执照|证书|资格证|资质|证件)"),  # revocation of a permit
    re.compile(r"责令[^。；，]{0,4}?(?:停产停业|停业整顿|关闭)"),  # 责令停产停业 (not 提请…决定停产停业)
    re.compile(r"(?<![刑司])(?:行政)?拘留(?!所)"),  # 行政拘留, not 刑事/司法拘留 or 拘留所
    # 暂扣许可证件 is a penalty (第九条); 暂扣 goods or vehicles is a compulsory measure (below)
    re.compile(r"暂扣[^。；，]{0,10}?(?:许可证|执照|驾驶证|证照|证件|资格证|资格证书|营运证|运营证|合格证)"),
    re.compile(r"(?:降低资质等级|限制开展生产经营活动|限制从业)"),  # penalties added in 2021
    re.compile(r"(?:给予|予以)警告(?!处分)"),  # 警告, but not 警告处分 (staff discipline)
]
_STAFF = re.compile(r"(?:工作人员|公职人员|干部|党员|处分|责任人员)")

# Administrative licences (行政许可法 第二条, 第十二条): a licensing regime, "须经…批准方可",
# "取得…许可证后方可". Not "未经批准，不得…": documents mostly restate licences of the law
# that way, and the pattern found no licence the others missed.
_LICENCE = [
    re.compile(r"实行[^。；，]{0,15}?(?:许可|审批|核准|准入|准运|准营|审核批准)(?:制度|管理|制)"),
    re.compile(
        r"(?:经|经过|报经)[^。；]{0,30}?(?:审批|批准|许可|核准|审核同意|审批同意|同意)后?[^。；]{0,6}?"
        r"(?:方可|才能|方能|始得|才可以)"
    ),
    re.compile(
        r"取得[^。；]{0,25}?(?:许可证|许可|准运证|准营证|经营证|资格证|登记证|批准文件|批复)[》」]?后?"
        r"(?:方可|才能|方能|始得|才可以)"
    ),
    re.compile(r"应当[^。；，]{0,10}?(?:申请|申领|办理|取得)[^。；，]{0,20}?(?:许可证|经营许可|准运证|准营证)"),
    # "审核通过后才能制作安装", "核查合格后方可营业"
    re.compile(r"(?:审核|审查|核查|查验)(?:通过|合格|同意)后?[^。；]{0,6}?(?:方可|才能|方能|始得|才可以)"),
    # "经县住房和城乡建设局验收合格后方可用水": an acceptance by an authority as a condition
    # (not 竣工验收 of construction works, which 建筑法 and 建设工程质量管理条例 set)
    re.compile(
        r"经[^。；，]{0,20}?(?:局|部门|委员会|政府|中心|站|所)(?:组织)?验收合格后?[^。；]{0,4}?(?:方可|才能|方能)"
        r"(?![^。；]{0,6}(?:交付|竣工))"
    ),
    # "凭准入证经营": operating only with a certificate the document creates
    re.compile(
        r"凭[^。；，]{0,12}?(?:许可证|准入证|准运证|准营证|经营证|通行证)[》」]?(?:经营|营业|上岗|通行|运输|从事)"
    ),
]
_AUTHORITY = re.compile(r"(?:部门|局|委员会|委|政府|管委会|中心|办公室|办|街道|苏木|乡|镇|站|所|机关|机构|厅|处)")
_PRIVATE_CONSENT = re.compile(r"(?:业主|本人|监护人|权利人|当事人|家属|相邻|双方|村民会议|股东|债权人|所有权人)")
# licences that laws or administrative regulations set; a document that mentions them does
# not set them (食品安全法, 城乡规划法, 建筑法, 道路运输条例, 旅馆业治安管理办法 …)
_STATUTORY_LICENCE = re.compile(
    r"营业执照|食品(?:生产|经营)许可|排污许可|建设工程规划许可|乡村建设规划许可|建设用地规划许可|施工许可|"
    r"取水许可|道路运输经营许可|特种行业许可|卫生许可|医疗机构执业许可|药品经营许可|危险化学品经营许可|"
    r"烟草专卖|娱乐经营许可|网络文化经营许可|出版物经营许可|林木采伐许可|动物防疫条件合格证|消防安全检查|"
    r"医师执业证书|教师资格|办学许可|人力资源服务许可|劳务派遣经营许可|燃气经营许可|采矿许可|"
    r"民用爆炸物品|印刷经营许可|放射诊疗许可|餐饮服务许可"
)

# Compulsory measures (行政强制法 第九条) and utility cut-offs (第四十三条第二款).
_COMPULSORY = [
    re.compile(r"查封"),  # sealing premises or goods
    re.compile(r"扣押"),  # seizing goods, tools, vehicles
    re.compile(r"冻结[^。；，]{0,12}?(?:账户|存款|汇款|资金|财产|股权|债券)"),  # not 冻结编制
    re.compile(r"限制[^。；，]{0,6}?人身自由"),
    re.compile(
        r"(?:扣留|暂扣)[^。；，]{0,10}?(?:车辆|自行车|机动车|三轮车|摩托车|船舶|物品|工具|设备|商品|货物|机具)"
        r"(?!驾驶证|行驶证|号牌)"
    ),
    # 强制拆除/拖移 are enforcement (行政强制法 第十三条: only laws set it); not 强制执行 by a court
    re.compile(r"强制(?:带离|隔离|拖离|拖移|拆除|清除|检查|传唤)"),
]
_CUTOFF = re.compile(r"停止(?:向其|对其|为其)?[^。；，]{0,6}?(?:供水|供电|供热|供气|供燃气)")
_COERCION = re.compile(r"(?:拒不|拒绝|拖欠|欠缴|未缴|未交|逾期不|不缴纳|不交纳|不配合)")
_COURT = re.compile(r"人民法院|法院")

# Fees: paying or charging a fee, deposit or security, or fixing a fee standard.
_FEE = [
    # the public must pay: 缴纳审核服务费, 缴存服务质量保证金, 交纳建房押金
    re.compile(r"(?:缴纳|交纳|缴存|交存|预缴|缴付)[^。；，]{0,20}?(?:费|保证金|押金|风险金|抵押金|集资款)"),
    re.compile(r"(?:收取|征收|计收|加收)[^。；，]{0,20}?(?:费|保证金|押金)"),  # an office charges
    re.compile(r"(?:收费标准|押金标准|保证金标准)(?:为|是|按)"),  # the document fixes the amount
    re.compile(r"实行收费制度"),
]
# contributions and charges set by law, or private prices (not 行政事业性收费)
_LEGAL_CHARGE = re.compile(
    r"社会保险费|医疗保险费|养老保险费|失业保险费|工伤保险费|住房公积金|税|物业服务费|物业费|"
    r"水费|电费|燃气费|学费|诉讼费"
)
_FEE_BASIS = re.compile(
    r"(?:价格主管部门|发展和改革委员会核定|发展改革部门核定|核定的价格|批准的收费|收费目录|"
    r"目录清单|合同约定|约定|政府指导价|政府定价)"
)
_FEE_TITLE = re.compile(r"收费|价格|费|目录清单")

# Rights and obligations: linking unrelated services, joint liability of relatives,
# blacklists with sanctions, travel bans, proofs demanded from citizens.
_LINKAGE = re.compile(
    r"(?:拒不|拒绝|未(?:按|缴|交|结清|履行|签订|参加|配合|办理|提供|登记|完成)|欠缴|拖欠|失信|黑名单|"
    r"违反本|不配合|被处罚|受到[^。；，]{0,8}处罚|被投诉|检查不合格)"
)
# (pattern, needs a linkage marker in the sentence): "不予办理" alone is often lawful procedure
# ("材料不全的，不予受理"); with "拒不配合…的" it ties an unrelated service to compliance.
_RIGHTS = [
    (re.compile(r"不予(?:办理|受理|审批|核发|发放|登记|准予)"), True),
    (re.compile(r"(?:暂停|取消|停止)(?:为其|其)?[^。；，]{0,12}?(?:办理|资格|待遇|补贴|低保|业务)"), True),
    (
        re.compile(
            r"不得[^。；，]{0,8}?(?:参加|参与|报名|享受|申请|参评|评选|获得|入学|就读|落户|录用|聘用|报考|"
            r"承接|投标|办理|担任|注册)"
        ),
        True,
    ),
    (re.compile(r"限制[^。；，]{0,8}?(?:乘坐|出行|出境|高消费|购房|购车|就读|入学|贷款|融资|就业)"), False),
    (re.compile(r"其(?:子女|配偶|家属|亲属|近亲属|家庭成员)[^。；，]{0,10}?(?:不得|不予|取消|限制|暂停)"), False),
]
_PROOF = re.compile(r"(?:提供|提交)[^。；]{0,40}?证明")
_PROOF_EXTRA = re.compile(
    r"(?:一律|还须|还需|另须|另需|另行)(?:须|需|应当|要)?(?:提供|提交|出具)|"
    r"(?:村|居|社区|嘎查|派出所|单位|街道|居委会|村委会)[）)]?出具的[^。；，]{0,12}?证明|"
    r"无(?:违法)?犯罪(?:记录)?证明|邻里关系证明|收入证明|婚育证明|亲属关系证明"
)


def _law_title(short: str) -> str:
    return lawindex._PRC + short


_RULE_LAW = {
    "unauthorized_licensing": _law_title("行政许可法"),
    "unauthorized_penalty": _law_title("行政处罚法"),
    "unauthorized_compulsory_measure": _law_title("行政强制法"),
    "unauthorized_fee": _law_title("各级人民代表大会常务委员会监督法"),
    "rights_restricted": _law_title("各级人民代表大会常务委员会监督法"),
    "late_filing": _law_title("立法法"),
}

_BASIS_CATEGORIES = {
    # which acts can set the measure (a cited act of such a category, in force, is a basis)
    "unauthorized_penalty": {"法律", "行政法规", "地方性法规", "部门规章", "宪法"},
    "unauthorized_licensing": {"法律", "行政法规", "地方性法规", "部门规章"},
    "unauthorized_compulsory_measure": {"法律", "行政法规", "地方性法规"},
    "unauthorized_fee": {"法律", "行政法规", "地方性法规", "部门规章"},
    "rights_restricted": {"法律", "行政法规", "地方性法规", "部门规章", "司法解释"},
}
_VALID_STATUSES = {"in_force", "outdated_title", "outdated_version", "not_yet_in_force"}
_MAYBE_BASIS = {"local", "rule", "law", "regulation"}


class _Context:
    def __init__(self, text: str, day: date, index):
        self.text = text
        self.day = day
        self.seg = _Segments(text)
        self.cits = citations(text, day, index=index)
        self._cit_starts = [c.start for c in self.cits]
        # a cited fee notice or catalogue (《…收费标准…的通知》, 《…行政事业性收费目录清单》) is the
        # basis of the fees of the whole document
        self.fee_titles = any(
            _FEE_TITLE.search(c.title)
            and c.status in _VALID_STATUSES | {"unverifiable"}
            and c.kind in ("policy", "rule", "local")
            for c in self.cits
        )

    def cits_in(self, span: tuple[int, int]) -> list[Citation]:
        s, e = span
        i = bisect.bisect_left(self._cit_starts, s)
        out = []
        while i < len(self.cits) and self.cits[i].start < e:
            out.append(self.cits[i])
            i += 1
        return out

    def basis(self, kind: str, pos: int) -> tuple[bool, list[Citation]]:
        """(the paragraph cites an act that can set the measure, cited acts that cannot serve
        as a basis because they are repealed or unknown)."""
        cats = _BASIS_CATEGORIES[kind]
        bad = []
        for c in self.cits_in(self.seg.paragraph_of(pos)):
            if c.status in ("repealed", "not_found"):
                bad.append(c)
            elif c.status in _VALID_STATUSES and c.category in cats:
                return True, []
            elif c.status in ("unverifiable", "repealed_date_unknown") and c.kind in _MAYBE_BASIS:
                return True, []  # a local regulation or rule the index cannot check
            elif kind == "unauthorized_fee" and c.status == "unverifiable" and _FEE_TITLE.search(c.title):
                return True, []
        return False, bad


def _negated(text: str, clause_start: int, match_start: int) -> bool:
    # the part of the clause before the match, back to the previous comma
    head = text[clause_start:match_start]
    part = re.split(r"[，,：:]", head)[-1]
    return bool(_NEGATION.search(part)) or head.endswith(("不", "免", "未"))


def _refers_to_law(text: str, clause_start: int, match_start: int) -> bool:
    head = text[max(clause_start, match_start - 12) : match_start]
    return bool(_REFERS_TO_LAW.search(head))


def _basis_note(bad: list[Citation]) -> str:
    if not bad:
        return "本条未援引设定该措施的法律、法规。"
    names = "、".join(f"《{c.title}》（{STATUSES[c.status]}）" for c in bad)
    return f"本条援引的{names}不能作为依据。"


def _add(findings: dict, kind: str, span: tuple[int, int], text: str, message: str, law: str | None) -> None:
    key = (kind, span[0], span[1])
    if key not in findings:
        findings[key] = Finding(kind, span[0], span[1], text[span[0] : span[1]], message, law)


def _penalty_rule(day: date) -> str:
    if day >= date(2021, 7, 15):
        return "《中华人民共和国行政处罚法》第十六条“除法律、法规、规章外，其他规范性文件不得设定行政处罚。”"
    return "《中华人民共和国行政处罚法》第十四条（2017年修正）“除法律、法规、规章外，其他规范性文件不得设定行政处罚。”"


def _rights_rule() -> str:
    return (
        "没有法律、法规依据，规范性文件不得减损公民、法人和其他组织的合法权益或者增加其义务："
        "《中华人民共和国各级人民代表大会常务委员会监督法》第三十九条第一项（2024年修正，此前为第三十条第一项）"
        "规定，本级人民代表大会常务委员会对“超越法定权限，限制或者剥夺公民、法人和其他组织的合法权利，"
        "或者增加公民、法人和其他组织的义务的”规范性文件有权予以撤销；参照《中华人民共和国立法法》"
        "第九十三条第六款（2015年文本为第八十二条第六款）。"
    )


def _check_rules(ctx: _Context, findings: dict, allows: set) -> None:
    text = ctx.text
    for cs, ce in ctx.seg.clauses:
        clause = text[cs:ce]
        if len(clause) < 4:
            continue
        span = ctx.seg.trimmed((cs, ce))

        # --- administrative penalties
        if "penalty" not in allows:
            for rx in _PENALTY:
                m = rx.search(clause)
                if not m:
                    continue
                ms = cs + m.start()
                if "fine" in allows and ("罚款" in m.group(0) or "警告" in m.group(0)):
                    continue
                if "警告" in m.group(0) and _STAFF.search(clause):
                    continue
                if "罚款收入" in clause or _negated(text, cs, ms) or _refers_to_law(text, cs, ms):
                    continue
                ok, bad = ctx.basis("unauthorized_penalty", ms)
                if ok:
                    continue
                _add(
                    findings,
                    "unauthorized_penalty",
                    span,
                    text,
                    "规范性文件不得设定行政处罚。" + _basis_note(bad) + "依据：" + _penalty_rule(ctx.day),
                    _RULE_LAW["unauthorized_penalty"],
                )
                break

        # --- administrative licences
        if "licensing" not in allows:
            for rx in _LICENCE:
                m = rx.search(clause)
                if not m:
                    continue
                ms = cs + m.start()
                found = m.group(0)
                if _negated(text, cs, ms) or _refers_to_law(text, cs, ms):
                    continue
                if _REFERS_TO_LAW.search(found[:12]):
                    continue  # "应当依法取得…许可": the licence is the law's, the document points to it
                if (
                    "同意" in found
                    and not re.search(r"审批|批准|核准|许可", found)
                    and (not _AUTHORITY.search(clause) or _PRIVATE_CONSENT.search(found))
                ):
                    continue  # consent of owners, neighbours …, not a licence
                if _PRIVATE_CONSENT.search(found) and not _AUTHORITY.search(found):
                    continue
                if _STATUTORY_LICENCE.search(found):
                    continue  # the licence named is one that a law sets (食品经营许可 …)
                ok, bad = ctx.basis("unauthorized_licensing", ms)
                if ok:
                    continue
                _add(
                    findings,
                    "unauthorized_licensing",
                    span,
                    text,
                    "规范性文件不得设定行政许可。" + _basis_note(bad) + "依据：《中华人民共和国行政许可法》"
                    "第十七条“除本法第十四条、第十五条规定的外，其他规范性文件一律不得设定行政许可。”",
                    _RULE_LAW["unauthorized_licensing"],
                )
                break

        # --- compulsory measures
        if "compulsory" not in allows:
            hit = None
            for rx in _COMPULSORY:
                m = rx.search(clause)
                if m and not (_negated(text, cs, cs + m.start()) or _refers_to_law(text, cs, cs + m.start())):
                    hit = ("measure", m)
                    break
            if hit is None:
                m = _CUTOFF.search(clause)
                sentence = text[slice(*ctx.seg.sentence_of(cs))]
                if m and _COERCION.search(sentence) and not _negated(text, cs, cs + m.start()):
                    hit = ("cutoff", m)
            if hit and not _COURT.search(clause):
                ok, bad = ctx.basis("unauthorized_compulsory_measure", cs + hit[1].start())
                if not ok:
                    if hit[0] == "measure":
                        msg = (
                            "规范性文件不得设定行政强制措施。" + _basis_note(bad) + "依据：《中华人民共和国行政强制法》"
                            "第十条第四款“法律、法规以外的其他规范性文件不得设定行政强制措施。”"
                        )
                    else:
                        msg = (
                            "以停止供水、供电等方式迫使当事人履行义务。依据：《中华人民共和国行政强制法》第四十三条"
                            "第二款“行政机关不得对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行"
                            "相关行政决定。”；第十三条“行政强制执行由法律设定。”"
                        )
                    _add(
                        findings,
                        "unauthorized_compulsory_measure",
                        span,
                        text,
                        msg,
                        _RULE_LAW["unauthorized_compulsory_measure"],
                    )

        # --- fees
        for rx in () if "fee" in allows else _FEE:
            m = rx.search(clause)
            if not m:
                continue
            ms = cs + m.start()
            if _negated(text, cs, ms) or _refers_to_law(text, cs, ms):
                continue
            if _LEGAL_CHARGE.search(m.group(0)):
                continue
            para = text[slice(*ctx.seg.paragraph_of(cs))]
            if ctx.fee_titles or _FEE_BASIS.search(para) or _REFERS_TO_LAW.search(clause):
                continue
            ok, bad = ctx.basis("unauthorized_fee", ms)
            if ok:
                continue
            _add(
                findings,
                "unauthorized_fee",
                span,
                text,
                "收费或者要求缴纳保证金、押金，未援引法律、法规依据或者经批准的收费目录清单。行政事业性收费应当有"
                "法律、法规依据或者列入依法批准的收费目录清单；没有依据的收费增加公民、法人和其他组织的义务，"
                "见《中华人民共和国各级人民代表大会常务委员会监督法》第三十九条第一项（2024年修正，此前为第三十条"
                "第一项）：本级人民代表大会常务委员会对“超越法定权限，……增加公民、法人和其他组织的义务的”"
                "规范性文件有权予以撤销。",
                _RULE_LAW["unauthorized_fee"],
            )
            break

        # --- rights and obligations
        if "rights" in allows:
            continue
        sentence = text[slice(*ctx.seg.sentence_of(cs))]
        hit = None
        for rx, needs_linkage in _RIGHTS:
            m = rx.search(clause)
            if not m:
                continue
            if needs_linkage and not _LINKAGE.search(sentence):
                continue
            if _refers_to_law(text, cs, cs + m.start()):
                continue
            if not rx.pattern.startswith("不得") and _negated(text, cs, cs + m.start()):
                continue
            hit = m
            break
        if hit is None:
            m = _PROOF.search(clause)
            if (
                m
                and _PROOF_EXTRA.search(clause)
                and not _negated(text, cs, cs + m.start())
                and not re.search(r"(?:不得|不再|无需|免于|免予)(?:要求|提供|提交)", clause)
            ):
                hit = m
        if hit is not None:
            ok, bad = ctx.basis("rights_restricted", cs + hit.start())
            if not ok:
                _add(
                    findings,
                    "rights_restricted",
                    span,
                    text,
                    "限制公民、法人和其他组织的权利或者增加其义务。" + _basis_note(bad) + _rights_rule(),
                    _RULE_LAW["rights_restricted"],
                )


def _check_citations(ctx: _Context, findings: dict) -> None:
    for c in ctx.cits:
        span = (c.start, c.end)
        if c.status == "not_found":
            _add(
                findings,
                "law_not_found",
                span,
                ctx.text,
                f"所引《{c.title}》未在法律法规索引中找到（索引收录截至2025年4月的现行法律和绝大多数行政法规）。"
                f"请核实名称是否准确、该法是否存在或是否为此后新制定。{c.note}",
                None,
            )
        elif c.status == "repealed" and not c.historical:
            act = c._act
            when = f"已于{_fmt(act.repealed_on)}废止" if act.repealed_on else "已废止"
            by = f"（{act.repealed_by}）" if act.repealed_by else ""
            repl = f"，现行规定见《{act.replaced_by}》" if act.replaced_by else ""
            _add(
                findings,
                "law_repealed",
                span,
                ctx.text,
                f"所引《{c.title}》{when}{by}{repl}；本文件公布时（{_fmt(ctx.day)}）已失效，不能作为制定依据。",
                act.title,
            )
        elif c.status == "outdated_title":
            _add(
                findings,
                "law_title_outdated",
                span,
                ctx.text,
                f"所引名称《{c.title}》已变更，现行名称为《{c.act}》。",
                c.act,
            )
        elif c.status == "outdated_version":
            _add(
                findings,
                "law_title_outdated",
                span,
                ctx.text,
                f"所引为《{c.title}》的{c.version_year}年版本，文件公布时该版本已被修改（{c.note}），"
                f"应引用现行《{c.act}》。",
                c.act,
            )


def check_document(
    text: str, published: date | None = None, filed: date | None = None, level: str = "行政规范性文件", *, index=None
) -> list[Finding]:
    """Findings about a normative document, sorted by position.

    `published`: publication date (else the date found in the text, else today) — decides
    whether a cited act was already repealed. `filed`: date it was filed for review (备案);
    with `published` it gives `late_filing`. `level`: 行政规范性文件 (default), 规章 or
    地方性法规 (what the document may itself set)."""
    text = text or ""
    index = index or lawindex.load_index()
    day = published or document_date(text) or date.today()
    ctx = _Context(text, day, index)
    findings: dict = {}
    _check_citations(ctx, findings)
    _check_rules(ctx, findings, _LEVEL_ALLOWS.get(level, set()))
    if published and filed and (filed - published).days > FILING_DAYS:
        span = _date_span(text, published)
        days = (filed - published).days
        _add(
            findings,
            "late_filing",
            span,
            text,
            f"文件于{_fmt(published)}公布，{_fmt(filed)}报送备案，相隔{days}日，超过公布之日起三十日内报送备案的期限。"
            "依据：参照《中华人民共和国立法法》第一百零九条“应当在公布后的三十日内……报有关机关备案”；"
            "地方人大常委会规范性文件备案审查的规定通常要求规范性文件“自公布之日起三十日内报送备案”"
            "（如《上海市人民代表大会常务委员会规范性文件备案审查条例》第十条）。",
            _RULE_LAW["late_filing"],
        )
    return sorted(findings.values(), key=lambda f: (f.start, f.end, KINDS.index(f.kind)))


def _date_span(text: str, day: date) -> tuple[int, int]:
    """Where the late-filing finding points: the line with the publication date, else the
    last date line, else the first line (the title)."""
    lines = list(_DATE_LINE.finditer(text))
    for m in reversed(lines):
        if zh_date(*m.groups()) == day:
            return m.start(1), m.end()
    m = re.search(rf"{day.year}\s*年\s*{day.month}\s*月\s*{day.day}\s*日", text)
    if m:
        return m.start(), m.end()
    if lines:
        return lines[-1].start(1), lines[-1].end()
    m = re.search(r"\S[^\n]*", text)
    return (m.start(), m.end()) if m else (0, 0)


# --------------------------------------------------------------------------- evaluation

DOC_SUFFIXES = (".txt", ".docx", ".pdf")


@dataclass
class EvalResult:
    per_kind: dict  # kind -> {"tp", "fp", "fn", "precision", "recall", "f1"}
    overall: dict
    false_positives: list  # (file, Finding)
    false_negatives: list  # (file, label dict)
    documents: int
    ms_per_document: float


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def read_document(path) -> str:
    from pathlib import Path

    from renda.assist.extract import extract_text

    path = Path(path)
    return extract_text(path.read_bytes(), path.name)


DEFAULT_EVAL_DIR = "tests/data/lawcheck"


def default_eval_dir():
    """tests/data/lawcheck of the working directory, else of the source checkout."""
    from pathlib import Path

    here = Path(DEFAULT_EVAL_DIR)
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[3] / DEFAULT_EVAL_DIR


def evaluate(directory) -> EvalResult:
    """Run the checker on every labelled document of `directory` (labels.json) and score it:
    a finding is a true positive when a label of the same kind overlaps its span (each label
    matches at most one finding)."""
    import json
    import time
    from pathlib import Path

    directory = Path(directory)
    if not directory.is_dir():
        raise lawindex_error(f"目录不存在：{directory}")
    labels_path = directory / "labels.json"
    if not labels_path.is_file():
        raise lawindex_error(f"目录 {directory} 中没有 labels.json。")
    labels = json.loads(labels_path.read_text(encoding="utf-8"))["documents"]
    counts = {k: [0, 0, 0] for k in KINDS}
    fps, fns = [], []
    elapsed = 0.0
    lawindex.load_index()
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in DOC_SUFFIXES)
    for path in files:
        spec = labels.get(path.name)
        if spec is None:
            raise lawindex_error(f"{path.name} 没有标注（labels.json）。")
        text = read_document(path)
        published = date.fromisoformat(spec["published"]) if spec.get("published") else None
        filed = date.fromisoformat(spec["filed"]) if spec.get("filed") else None
        t0 = time.perf_counter()
        found = check_document(text, published=published, filed=filed)
        elapsed += time.perf_counter() - t0
        expected = []
        for lab in spec.get("findings", []):
            pos = text.find(lab["excerpt"])
            if pos < 0:
                raise lawindex_error(f"{path.name}：标注的摘录“{lab['excerpt']}”不在文本中。")
            expected.append((lab, pos, pos + len(lab["excerpt"])))
        used = set()
        for f in found:
            match = next(
                (
                    i
                    for i, (lab, s, e) in enumerate(expected)
                    if i not in used and lab["kind"] == f.kind and s < f.end and f.start < e
                ),
                None,
            )
            if match is None:
                counts[f.kind][1] += 1
                fps.append((path.name, f))
            else:
                used.add(match)
                counts[f.kind][0] += 1
        for i, (lab, _, _) in enumerate(expected):
            if i not in used:
                counts[lab["kind"]][2] += 1
                fns.append((path.name, lab))
    missing = sorted(set(labels) - {p.name for p in files})
    if missing:
        raise lawindex_error("labels.json 中的文件不存在：" + "、".join(missing))
    per_kind = {k: _prf(*v) for k, v in counts.items()}
    total = [sum(v[i] for v in counts.values()) for i in range(3)]
    return EvalResult(per_kind, _prf(*total), fps, fns, len(files), 1000 * elapsed / max(1, len(files)))


def lawindex_error(message: str):
    from renda.assist.routing import AssistError

    return AssistError(message)


def format_eval(result: EvalResult) -> str:
    lines = [f"{'kind':34} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7} {'f1':>6}"]
    for kind, s in result.per_kind.items():
        lines.append(
            f"{kind:34} {s['tp']:>4} {s['fp']:>4} {s['fn']:>4} {s['precision']:>9.3f} "
            f"{s['recall']:>7.3f} {s['f1']:>6.3f}"
        )
    o = result.overall
    lines.append(
        f"{'overall':34} {o['tp']:>4} {o['fp']:>4} {o['fn']:>4} {o['precision']:>9.3f} "
        f"{o['recall']:>7.3f} {o['f1']:>6.3f}"
    )
    lines.append(f"documents={result.documents} ms_per_document={result.ms_per_document:.1f}")
    lines.append(f"false positives ({len(result.false_positives)}):")
    for name, f in result.false_positives:
        lines.append(f"  {name}\t{f.kind}\t{f.excerpt[:60]}")
    lines.append(f"false negatives ({len(result.false_negatives)}):")
    for name, lab in result.false_negatives:
        lines.append(f"  {name}\t{lab['kind']}\t{lab['excerpt'][:60]}")
    return "\n".join(lines)
