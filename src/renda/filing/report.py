"""备案审查工作情况报告: the annual report on filing and review that the standing
committee hears (监督法第四十五条; rules FR-11), written from the records. Every
number is a metric's count; the lists are the records themselves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from renda.core.models import Congress
from renda.core.templatetags.renda import cn_date
from renda.reports.metrics import Period, Scope, compute
from renda.reports.numbers import format_value

from .metrics import documents_filed, proposals_received
from .models import Filing, LowerFiling
from .rules import never_filed

KIND_WORDS = {
    "law_not_found": "引用的法律法规不存在",
    "law_repealed": "引用已废止的法律法规",
    "law_title_outdated": "引用的法律名称已变更",
    "unauthorized_licensing": "违法设定行政许可",
    "unauthorized_penalty": "违法设定行政处罚",
    "unauthorized_compulsory_measure": "违法设定行政强制措施",
    "unauthorized_fee": "违法设定收费",
    "rights_restricted": "违法减损权利或者增加义务",
    "late_filing": "迟报",
}


@dataclass
class Report:
    congress: Congress
    year: int
    title: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    catalogue: list[list[str]] = field(default_factory=list)


def _n(metric_id: str, scope: Scope) -> str:
    return format_value(compute(metric_id, scope))


def build(congress: Congress, year: int) -> Report:
    scope = Scope(congress, Period.year(year))
    filed = list(documents_filed(scope).select_related("filer_unit", "filer_congress").order_by("filed_on", "id"))
    report = Report(congress, year, f"{congress.region}人大常委会{year}年度规范性文件备案审查工作情况报告")

    by_filer = Counter(f.filer_name for f in filed)
    late = [f for f in filed if f.on_time is False]
    returned = [f for f in filed if f.state == "returned"]
    basics = [
        f"{year}年，常委会共收到报送备案的规范性文件{_n('filing.documents_filed', scope)}"
        + ("，其中" + "，".join(f"{name}{count}件" for name, count in by_filer.most_common()) if by_filer else "")
        + "。",
        f"按期报备{_n('filing.on_time', scope)}"
        + (
            f"，迟报{len(late)}件（" + "、".join(f"《{f.title}》" for f in late) + "），已督促制定机关改进"
            if late
            else ""
        )
        + f"，按期报备率{_n('filing.on_time_rate', scope)}。",
        f"经形式审查予以登记{_n('filing.registered', scope)}" + (f"，退回{len(returned)}件" if returned else "") + "。",
    ]
    report.sections.append(("一、备案工作基本情况", basics))

    proposals = list(proposals_received(scope))
    states = Counter(p.state for p in proposals)
    review = [
        f"坚持有备必审，对登记的文件逐件进行主动审查，审查完毕{_n('filing.reviewed', scope)}，"
        f"其中在审查期限内审结{_n('filing.reviewed_on_time', scope)}。",
        f"收到公民、组织提出的审查建议{_n('filing.proposals_received', scope)}"
        + (
            f"，受理审查{states['accepted'] + states['answered']}件，不予审查{states['declined']}件，"
            f"移送有权机关{states['transferred']}件，已向建议人反馈{_n('filing.proposals_answered', scope)}"
            if proposals
            else ""
        )
        + "。",
    ]
    report.sections.append(("二、审查工作情况", review))

    problems = [f for f in filed if f.problem_found]
    kinds = Counter(k for f in problems for k in {x["kind"] for x in f.findings or []} if k != "late_filing")
    found = [
        f"审查发现问题{_n('filing.problems_found', scope)}，督促纠正{_n('filing.corrected', scope)}"
        + (f"，撤销{_n('filing.annulled', scope)}" if compute("filing.annulled", scope).value else "")
        + "。"
    ]
    if kinds:
        found.append(
            "自动检查提示的问题类型："
            + "，".join(f"{KIND_WORDS.get(k, k)}{n}件" for k, n in kinds.most_common())
            + "（经审查人员核实）。"
        )
    for f in problems:
        problem = (f.problem_summary or "—").rstrip("。")
        found.append(f"《{f.title}》（{f.document_number}）：{problem}。处理结果：{_outcome(f)}")
    report.sections.append(("三、发现问题和纠正情况", found))

    sent = Filing.objects.filter(
        congress=congress, kind__in=(Filing.Kind.RULE, Filing.Kind.REGULATION), filed_on__year=year
    ).exclude(state__in=never_filed())
    lower = LowerFiling.objects.filter(congress=congress, filed_on__year=year)
    report.sections.append(
        (
            "四、备案审查信息平台联网情况",
            [f"向上级人大常委会报送备案{sent.count()}件；收到下级人大通过平台报送的备案文件{lower.count()}件。"],
        )
    )

    report.catalogue = [
        [
            f.number or "—",
            f.title,
            f.document_number,
            f.filer_name,
            cn_date(f.published_on),
            cn_date(f.filed_on),
            CATALOGUE_STATUS.get(f.state, f.state_label),
        ]
        for f in filed
    ]
    return report


def _outcome(f: Filing) -> str:
    if f.state == "corrected":
        return f"制定机关已纠正：{f.correction}"
    if f.state == "annulled":
        return f"常委会决定撤销：{f.correction}"
    return f"处理中（{f.state_label}）。"


CATALOGUE_HEAD = ["登记号", "文件名称", "文号", "制定机关", "公布日期", "报送日期", "审查结果"]
CATALOGUE_WIDTHS = [22, 44, 24, 19, 16, 16, 15]  # mm, the 156 mm line of GB/T 9704
CATALOGUE_STATUS = {"closed": "未发现问题", "corrected": "已纠正", "annulled": "已撤销", "returned": "已退回"}


def to_markdown(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    for heading, paragraphs in report.sections:
        lines += [f"## {heading}", ""]
        for p in paragraphs:
            lines += [p, ""]
    lines += ["## 附件：备案文件目录", "", "| " + " | ".join(CATALOGUE_HEAD) + " |", "|" + "---|" * len(CATALOGUE_HEAD)]
    lines += ["| " + " | ".join(cell.replace("|", "｜") for cell in row) + " |" for row in report.catalogue]
    return "\n".join(lines) + "\n"


def to_document(report: Report):
    """The report in the summary's document model, for the Word (公文) and PDF renderers."""
    from renda.reports.metrics import Period
    from renda.reports.summary import Paragraph, Section, Summary

    sections = []
    for heading, paragraphs in report.sections:
        number, _, title = heading.partition("、")
        sections.append(Section(number, title, paragraphs=[Paragraph("", [p]) for p in paragraphs]))
    return Summary(
        congress=report.congress,
        period=Period.year(report.year),
        title=report.title,
        subtitle=f"{report.congress.region}人民代表大会常务委员会",
        sections=sections,
        subject="备案审查工作情况报告",
        annex=("附件：备案文件目录", CATALOGUE_HEAD, report.catalogue, CATALOGUE_WIDTHS),
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """(bytes, content type, file suffix) of the report as Markdown or Word."""
    if fmt == "docx":
        from renda.reports.documents import to_docx

        return to_docx(to_document(report)), DOCX, "docx"
    return to_markdown(report).encode(), "text/markdown; charset=utf-8", "md"
