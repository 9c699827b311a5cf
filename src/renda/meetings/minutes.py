"""会议纪要 and 出席情况表 of a sitting (issue 14 item 6), generated from the records only, in
Word (.docx) and PDF, in the 公文 layout of `reports.documents`.

    minutes(sitting, user) -> Minutes        what the documents say, as `user` may see it
    attendance_sheet(sitting) -> Sheet       every serving member with status and leave reason
    minutes_docx / minutes_pdf / sheet_docx / sheet_pdf

Nothing is stored and nothing is typed in: the heading is the sitting's label and day (the
model has no place, so the minutes name none), the attendance is `Attendance` over the roll,
列席 are the observers' Participation rows, each agenda item's votes are the ballots about its
case that the user may see. A closed ballot gives its tally text (the pass rule's own
"赞成X票，反对Y票，弃权Z票……通过/未通过"); per-person votes only for a named ballot and only
when the user may read them ("view_votes"): a secret ballot has no per-person choice to show.
Constant queries whatever the number of items: `agenda` (one per case type), one for the
ballots, `tallies` and `named_votes_of` batched."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Q
from django.utils.html import escape

from renda.ballots import services as ballots
from renda.ballots.models import Ballot
from renda.core.scoping import allowed, visible

from . import hall, services
from .models import Attendance

Status = Attendance.Status
UNRECORDED = "未登记"


def cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Member:
    name: str
    status: str  # 出席 / 请假 / 请假待批准 / 缺席 / 未登记
    reason: str = ""


@dataclass
class Observer:
    name: str
    as_deputy: bool


@dataclass
class Vote:
    title: str
    kind: str  # 记名投票 / 无记名投票
    text: str  # the tally text, 表决进行中, or why there is none
    named: list[tuple[str, str]] = field(default_factory=list)  # (name, choice): named ballots only
    ballot: object = field(default=None, repr=False, compare=False)


@dataclass
class Item:
    order: int
    title: str
    case_title: str
    act: str
    votes: list[Vote]

    @property
    def deliberated_only(self) -> bool:
        return not self.votes


@dataclass
class Sheet:
    title: str
    congress: str
    sitting: str
    day: str
    members: list[Member]
    observers: list[Observer]
    quorum: services.Quorum

    def named(self, *statuses) -> list[Member]:
        return [m for m in self.members if m.status in statuses]

    @property
    def quorum_text(self) -> str:
        q = self.quorum
        text = f"常委会组成人员{q.members}人，出席{q.present}人，请假{q.on_leave}人，缺席{q.absent}人"
        if q.unrecorded:
            text += f"，未登记{q.unrecorded}人"
        verdict = "出席人数已过半数，符合法定人数" if q.met else f"出席人数未过半数（须至少{q.needed}人）"
        return f"{text}。{verdict}。"


@dataclass
class Minutes:
    title: str
    congress: str
    sitting: str
    day: str
    sheet: Sheet
    items: list[Item]


def _day(sitting) -> str:
    day = cn_date(sitting.start_date)
    if sitting.end_date and sitting.end_date != sitting.start_date:
        day += f"至{cn_date(sitting.end_date)}"
    return day


def attendance_sheet(sitting) -> Sheet:
    """Every member serving on the sitting's day (the one roll), in the roll's order, with
    the recorded status; members without a record are 未登记. A roll that cannot be built (a
    member without an account) raises the roll's ValidationError."""
    roll = services.roll(sitting)
    rows = {a.person_id: a for a in Attendance.objects.filter(sitting=sitting, person__in=[p.pk for p in roll])}
    members = []
    for person in roll:
        row = rows.get(person.pk)
        if row is None:
            members.append(Member(person.name, UNRECORDED))
        else:
            members.append(Member(person.name, row.get_status_display(), row.leave_reason))
    observers = [Observer(p.person.name, bool(p.deputy_id)) for p in services.observers(sitting)]
    return Sheet(
        title=f"{sitting}出席情况表",  # with the region: 巴彦淖尔市四届人大常委会第…次会议
        congress=f"{sitting.term.congress.region}人民代表大会常务委员会",
        sitting=str(sitting),
        day=_day(sitting),
        members=members,
        observers=observers,
        quorum=services.quorum(sitting),
    )


def _ballots_of_items(rows, user) -> dict[int, list[Ballot]]:
    """The ballots (put to the vote, visible to `user`) of each voting item, oldest first: one
    query for the ballots about the items' cases; a module whose ballots are about the case's
    parts (an appointment batch's nominations) answers with its own query per item."""
    plain = [r for r in rows if not hall.vote_of(r.item).ballots]
    about = Q(pk__in=[])
    for r in plain:
        about |= Q(content_type_id=r.item.content_type_id, object_id=r.item.object_id)
    by_case = defaultdict(list)
    if plain:
        for b in visible(user, Ballot).filter(about).exclude(state=Ballot.State.DRAFT).order_by("created_at", "id"):
            by_case[(b.content_type_id, b.object_id)].append(b)
    found = {}
    for r in rows:
        if hall.vote_of(r.item).ballots:
            qs = hall.ballots_of(r.item).exclude(state=Ballot.State.DRAFT).order_by("created_at", "id")
            found[r.item.pk] = list(qs.filter(pk__in=visible(user, Ballot).values("pk")))
        else:
            found[r.item.pk] = by_case[(r.item.content_type_id, r.item.object_id)]
    return found


def _votes(found: list[Ballot], user) -> dict[int, Vote]:
    """Each ballot as the minutes state it: `tallies` and `named_votes_of` for all at once."""
    closed = [b for b in found if b.state == Ballot.State.CLOSED and allowed(user, "view_result", b)]
    results = ballots.tallies(closed)
    named = ballots.named_votes_of([b for b in closed if not b.is_secret and allowed(user, "view_votes", b)])
    votes = {}
    for b in found:
        if b.state == Ballot.State.OPEN:
            text = "表决进行中。"
        elif b.pk in results:
            text = results[b.pk].outcome.text
        else:
            text = "表决已结束，结果尚未公开。"
        lines = []
        for voter, choices in named.get(b.pk, []):
            name = voter.person.name if voter.person else str(voter.user)
            if not hasattr(voter, "cast"):
                chosen = "未投票"
            else:
                chosen = "、".join(o.label for o in choices if o is not None) or "空白票"
            lines.append((name, chosen))
        votes[b.pk] = Vote(b.title, b.get_kind_display(), text, lines, ballot=b)
    return votes


def minutes(sitting, user) -> Minutes:
    """The minutes of `sitting` as `user` may see them: a case the user may not see is named
    by its agenda title only, and its votes are those the ballots' rules let them see."""
    sheet = attendance_sheet(sitting)
    rows = services.agenda(sitting, user)
    # the votes of the items that put a case to the vote, held at this sitting (hall.windows)
    voting = [r for r in rows if r.case is not None and hall.vote_of(r.item)]
    window = hall.windows(r.item for r in voting)
    per_item = {
        pk: [b for b in found if hall.is_held_at(b, window[pk])]
        for pk, found in _ballots_of_items(voting, user).items()
    }
    votes = _votes([b for found in per_item.values() for b in found], user)
    items = [
        Item(
            order=r.item.order,
            title=r.item.title,
            case_title=r.case.title if r.case is not None else "",
            act=r.transition_label,
            votes=[votes[b.pk] for b in per_item.get(r.item.pk, [])],
        )
        for r in rows
    ]
    return Minutes(
        title=f"{sitting}纪要",
        congress=sheet.congress,
        sitting=str(sitting),
        day=sheet.day,
        sheet=sheet,
        items=items,
    )


# ---------------------------------------------------------------- the text, once for both formats
# Each document is a list of blocks, ("h", text) a 一级标题, ("p", text) a body paragraph,
# ("table", head, rows, widths in mm); Word and PDF render the same blocks.


def _names(members: list[Member], with_reason=False) -> str:
    if not members:
        return "无"
    if with_reason:
        return "、".join(f"{m.name}（{m.reason}）" if m.reason else m.name for m in members)
    return "、".join(m.name for m in members)


def _observers(observers: list[Observer]) -> str:
    return "、".join(f"{o.name}（代表）" if o.as_deputy else o.name for o in observers) or "无"


def minutes_blocks(m: Minutes) -> list[tuple]:
    s = m.sheet
    present = s.named(Status.PRESENT.label)
    leave = s.named(Status.ON_LEAVE.label, Status.LEAVE_REQUESTED.label)
    absent = s.named(Status.ABSENT.label)
    unrecorded = s.named(UNRECORDED)
    blocks = [
        ("p", f"{m.sitting}于{m.day}举行。"),
        ("h", "一、出席情况"),
        ("p", s.quorum_text),
        ("p", f"出席（{len(present)}人）：{_names(present)}。"),
        ("p", f"请假（{len(leave)}人）：{_names(leave, with_reason=True)}。"),
        ("p", f"缺席（{len(absent)}人）：{_names(absent)}。"),
    ]
    if unrecorded:
        blocks.append(("p", f"未登记（{len(unrecorded)}人）：{_names(unrecorded)}。"))
    blocks.append(("p", f"列席（{len(s.observers)}人）：{_observers(s.observers)}。"))
    blocks.append(("h", "二、会议议程及表决情况"))
    if not m.items:
        blocks.append(("p", "本次会议未安排议程。"))
    for item in m.items:
        case = f"（{item.case_title}）" if item.case_title and item.case_title not in item.title else ""
        blocks.append(("lead", f"{item.order}. {item.title}", f"{case}会议上的操作：{item.act}。"))
        if item.deliberated_only:
            blocks.append(("p", "审议。"))
        for v in item.votes:
            blocks.append(("p", f"{v.title}（{v.kind}）：{v.text}"))
            if v.named:
                blocks.append(("p", "记名表决情况：" + "；".join(f"{n}：{c}" for n, c in v.named) + "。"))
    return blocks


SHEET_HEAD = ["序号", "组成人员", "出席情况", "请假事由"]
SHEET_WIDTHS = [16, 46, 34, 60]
OBSERVER_HEAD = ["序号", "列席人员", "身份"]
OBSERVER_WIDTHS = [16, 80, 60]


def sheet_blocks(s: Sheet) -> list[tuple]:
    rows = [[str(n), m.name, m.status, m.reason or "—"] for n, m in enumerate(s.members, 1)]
    blocks = [
        ("p", f"{s.sitting}，{s.day}。"),
        ("p", s.quorum_text),
        ("h", "一、常委会组成人员"),
        ("table", SHEET_HEAD, rows, SHEET_WIDTHS),
        ("h", "二、列席人员"),
    ]
    if s.observers:
        obs = [[str(n), o.name, "人大代表" if o.as_deputy else "列席人员"] for n, o in enumerate(s.observers, 1)]
        blocks.append(("table", OBSERVER_HEAD, obs, OBSERVER_WIDTHS))
    else:
        blocks.append(("p", "无。"))
    return blocks


# ---------------------------------------------------------------- Word


def _docx(title: str, author: str, blocks: list[tuple]) -> bytes:
    from renda.reports import documents as layout
    from renda.reports.documents import AUTHOR_FONT, BODY_FONT, ERHAO, HEADING_FONT, LEAD_FONT, SANHAO, TITLE_FONT

    document, styles, section = layout.new_document()
    props = document.core_properties
    props.title = title
    props.author = props.last_modified_by = author
    props.language = "zh-CN"
    props.comments = "由平台记录生成。"
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)

    p = document.add_paragraph(style=styles["title"])
    layout.run(p, title, TITLE_FONT, ERHAO)
    p = document.add_paragraph(style=styles["author"])
    layout.run(p, author, AUTHOR_FONT, SANHAO)
    for block in blocks:
        kind = block[0]
        if kind == "h":
            p = document.add_paragraph(style=styles["heading"])
            layout.run(p, block[1], HEADING_FONT, SANHAO, condensed=True)
        elif kind == "lead":
            p = document.add_paragraph(style=styles["body"])
            layout.run(p, block[1], LEAD_FONT, SANHAO, condensed=True)
            layout.run(p, block[2], BODY_FONT, SANHAO, condensed=True)
        elif kind == "table":
            _table(document, *block[1:])
        else:
            p = document.add_paragraph(style=styles["body"])
            layout.run(p, block[1], BODY_FONT, SANHAO, condensed=True)
    layout.page_number_footer(section, styles)
    return layout.to_bytes(document)


def _table(document, head, rows, widths) -> None:
    """A table in 仿宋 四号, the header bold and repeated on each page, no row cut in two."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from renda.reports import documents as layout

    table = document.add_table(rows=1 + len(rows), cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    for r, values in enumerate([head] + rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths[c])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = 0
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.line_spacing = Pt(22)
            layout.run(paragraph, value, layout.BODY_FONT, layout.SIHAO, bold=r == 0)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def minutes_docx(m: Minutes) -> bytes:
    return _docx(m.title, m.congress, minutes_blocks(m))


def sheet_docx(s: Sheet) -> bytes:
    return _docx(s.title, s.congress, sheet_blocks(s))


# ---------------------------------------------------------------- PDF

# The tables of the print stylesheet's document (it has none of its own): 四号, ruled.
TABLE_CSS = """
.summary-document table { width: 100%; border-collapse: collapse; margin: 0 0 14pt; }
.summary-document th, .summary-document td {
  border: 0.75pt solid #000; padding: 3pt 5pt; font-size: 14pt; line-height: 22pt;
  text-align: left; vertical-align: top; letter-spacing: 0; }
.summary-document th { font-weight: 700; }
.summary-document thead { display: table-header-group; }
.summary-document tr { break-inside: avoid; page-break-inside: avoid; }
"""


def _html(title: str, author: str, blocks: list[tuple]) -> str:
    from renda.reports.documents import font_face_css, print_css

    out = [f"<h1>{escape(title)}</h1>", f'<p class="subtitle">{escape(author)}</p>']
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out.append(f"<h2>{escape(block[1])}</h2>")
        elif kind == "lead":
            out.append(f"<p><strong>{escape(block[1])}</strong>{escape(block[2])}</p>")
        elif kind == "table":
            head, rows, widths = block[1:]
            cols = "".join(f'<col style="width:{w}mm">' for w in widths)
            ths = "".join(f"<th>{escape(h)}</th>" for h in head)
            trs = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
            out.append(f"<table><colgroup>{cols}</colgroup><thead><tr>{ths}</tr></thead><tbody>{trs}</tbody></table>")
        else:
            out.append(f"<p>{escape(block[1])}</p>")
    css = font_face_css() + "\n" + print_css() + TABLE_CSS
    return (
        f'<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
        f'<meta name="author" content="{escape(author)}">\n<style>\n{css}\n</style>\n</head>\n'
        f'<body>\n<article class="summary-document">\n{"".join(out)}\n</article>\n</body>\n</html>\n'
    )


def _pdf(title: str, author: str, blocks: list[tuple]) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from renda.reports.documents import FONTS_DIR

    html = _html(title, author, blocks)
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/").write_pdf(font_config=FontConfiguration())


def minutes_pdf(m: Minutes) -> bytes:
    return _pdf(m.title, m.congress, minutes_blocks(m))


def sheet_pdf(s: Sheet) -> bytes:
    return _pdf(s.title, s.congress, sheet_blocks(s))
