"""The year's work summary (工作综述), as the seed writes it, every figure from the
metrics registry.

The text is a template over metric ids: `{party.study_sessions}` is replaced by the
figure as Chinese documents write it. A sentence naming a metric that no module has
registered yet is left out, and its section says so visibly: a figure is never
invented. Renderers (Markdown, HTML with evidence links, Word, PDF) share one document
model built here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from renda.core.models import Congress

from . import metrics
from .metrics import Period, Scope

FIGURE = re.compile(r"\{([a-z_]+\.[a-z0-9_]+)\}")

# (number, title, [(lead phrase, sentence template), ...], module that provides the figures)
TEMPLATE = [
    (
        "一",
        "始终坚持党的领导",
        "党建与自身建设",
        [
            (
                "加强思想政治建设。",
                "注重对常委会组成人员、各级人大代表和机关干部的思想政治引领，把学习习近平新时代中国特色社会主义思想作为首要政治任务。"
                "全年共召开党组中心组学习会{party.study_sessions}，理论研讨{party.theory_seminars}，专题辅导讲座{party.lectures}，"
                "组成人员专题培训{party.member_trainings}，代表培训{party.deputy_trainings}，机关集体学习{party.collective_studies}。",
            ),
            (
                "严格执行政治纪律。",
                "严格执行重大事项请示报告制度，确保一切重要工作、重要事项都在党的领导下进行。一年来，就贯彻落实{party_committee}工作部署以及人大履职重要问题、"
                "重大事项向{party_committee}报告{party.reports_to_committee}，就立法计划编制、重点议题监督等事项提请{party_committee}研究{party.requests_for_study}。",
            ),
            (
                "发挥党组重要作用。",
                "认真落实《中国共产党党组工作条例》，严格执行重大决策人大常委会党组前置研究制度，全年党组前置研究重大事项{party.pre_studies}。",
            ),
        ],
    ),
    (
        "二",
        "扎实推动立法工作",
        "立法、备案审查",
        [
            ("加强环保民生立法。", "围绕生态安全和民生需求，全年制定出台地方性法规{legislation.regulations_enacted}。"),
            (
                "切实提高立法质量。",
                "坚持开门立法，法规草案公开征求意见{legislation.comment_periods}，收到意见建议{legislation.public_comments}。",
            ),
            (
                "加强备案审查工作。",
                "坚持有件必备、有备必审、有错必纠，{government}报送的{filing.government_documents}规范性文件{filing.review_claim}，"
                "审查发现问题{filing.problems_found}，督促纠正{filing.corrected}。",
            ),
        ],
    ),
    (
        "三",
        "依法开展监督工作",
        "监督",
        [
            (
                "突出监督重点。",
                "紧扣中央重大决策部署和{party_committee}工作部署、法律法规的实施和人民群众重大关切开展监督。"
                "全年听取审议{government}专项工作报告{supervision.reports_heard_government}，"
                "听取审议“一委两院”专项工作报告{supervision.reports_heard_judicial}（其中检察机关{supervision.reports_heard_procuratorate}）；"
                "开展执法检查{supervision.law_inspections}、执法调研{supervision.law_investigations}、"
                "专题调研{supervision.topical_investigations}，开展视察{supervision.inspections}"
                "（其中主任集体视察{supervision.collective_inspections}），对审议意见落实等情况开展跟踪监督{supervision.follow_ups}。",
            ),
            (
                "加大监督力度。",
                "开展专题询问{supervision.inquiries}，共同研究改进工作的方法举措，推动问题的解决。"
                "对{supervision.satisfaction_items}工作进行了满意度测评（共测评{supervision.satisfaction_votes}，"
                "结果为满意{supervision.satisfaction_passed}、不满意{supervision.satisfaction_failed}），传导了压力、强化了责任。",
            ),
            (
                "实行问题清单管理。",
                "对{problems.lists}重点监督事项设立问题清单，列入问题{problems.listed}，已销号{problems.closed}，"
                "实行台账管理、跟踪监督、限时销号制度，提升了监督实效。",
            ),
            (
                "借助“外脑”提升监督专业化水平。",
                "充分发挥专家智库的专业优势和业务特长，邀请专家参与监督工作{experts.assignments}。",
            ),
            (
                "提高监督质量。",
                "对各项报告认真审议，实行组成人员审议发言通报制度，通报审议发言{supervision.speeches_circulated}；"
                "向有关机关交办审议意见{supervision.opinions_sent}，其中按期报送研究处理情况{supervision.opinions_answered_on_time}，"
                "对审议意见的落实情况进行跟踪监督。",
            ),
        ],
    ),
    (
        "四",
        "依法行使决定权和任免权",
        "决定、任免",
        [
            ("依法作出决议决定。", "全年作出决议决定{decisions.resolutions}。"),
            (
                "依法行使任免权。",
                "严格执行干部任前法律知识考试、向宪法宣誓等制度，全年任免国家机关工作人员{appointments.batches}{appointments.person_times}"
                "（任命{appointments.appointed}，免职、接受辞职{appointments.removed}），"
                "组织任前法律知识考试{appointments.exams}（合格{appointments.exams_passed}），"
                "组织宪法宣誓{appointments.oaths}、宣誓{appointments.sworn}。",
            ),
        ],
    ),
    (
        "五",
        "充分发挥人大代表作用",
        "代表工作、代表建议、民生实事",
        [
            (
                "密切常委会同代表的联系。",
                "邀请代表列席常委会会议{deputies.observer_attendances}，参加执法检查、视察、调研{deputies.inspection_participations}；"
                "常委会组成人员联系走访代表{deputies.member_visits}，基层代表联系群众{deputies.constituent_contacts}。",
            ),
            (
                "加强代表之家和代表联络站建设。",
                "代表联络站接待日{deputies.station_receptions}，答复“码上见代表”群众留言{deputies.messages_answered}，"
                "代表向原选举单位述职{deputies.report_backs}。",
            ),
            (
                "提高代表建议办理质量。",
                "全年收到代表建议{suggestions.received}，办结{suggestions.concluded}，代表满意率{suggestions.satisfaction_rate}。",
            ),
            (
                "推行民生实事项目人大代表票决制。",
                "票决确定民生实事项目{livelihood.projects_decided}，总投资{livelihood.investment}，已完成{livelihood.projects_completed}。",
            ),
        ],
    ),
    (
        "六",
        "切实加强自身建设",
        "党建与自身建设",
        [
            (
                "加强学习培训。",
                "注重组成人员、人大代表、机关干部政治素质和业务素质的提升，举办各类培训班{selfbuilding.trainings_held}，"
                "培训人数{selfbuilding.training_participants}。",
            ),
            (
                "健全完善工作制度。",
                "全年制定修订工作制度{selfbuilding.work_rules}，推进人大工作制度化、规范化、程序化。",
            ),
        ],
    ),
]


# The module a metric id's prefix belongs to, for the note on figures not yet counted.
MODULE_NAMES = {
    "party": "党建",
    "legislation": "立法",
    "filing": "备案审查",
    "supervision": "监督",
    "problems": "问题清单台账",
    "experts": "专家智库",
    "decisions": "决定",
    "appointments": "人事任免",
    "deputies": "代表工作",
    "suggestions": "代表建议",
    "livelihood": "民生实事",
    "selfbuilding": "自身建设",
}


@dataclass
class Figure:
    value: metrics.Value

    @property
    def text(self) -> str:
        # a metric that names its records is written with them: 2件，即《甲》《乙》
        names = self.value.names()
        return f"{self.value.text}，即{''.join(names)}" if names else self.value.text


@dataclass
class Paragraph:
    lead: str
    parts: list  # str | Figure


@dataclass
class Section:
    number: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Summary:
    congress: Congress
    period: Period
    title: str
    subtitle: str
    sections: list[Section]
    subject: str = "工作综述"
    # An annex table (title, header, rows, column widths in mm), e.g. the catalogue of
    # filed documents.
    annex: tuple[str, list[str], list[list[str]], list[float]] | None = None

    def figures(self) -> list[Figure]:
        return [p for s in self.sections for para in s.paragraphs for p in para.parts if isinstance(p, Figure)]


def _party_committee(congress: Congress) -> str:
    return {"city": "市委", "county": "旗县区委", "township": "党委"}.get(congress.level, "党委")


def _government(congress: Congress) -> str:
    return {"city": "市政府", "county": "旗县区政府"}.get(congress.level, "政府")


def build(congress: Congress, year: int, include_lower: bool = False) -> Summary:
    scope = Scope(congress, Period.year(year), include_lower=include_lower)
    words = {"party_committee": _party_committee(congress), "government": _government(congress)}
    sections = []
    for number, title, _modules, sentences in TEMPLATE:
        section = Section(number, title)
        missing, absent_modules = [], []
        for lead, text in sentences:
            ids = FIGURE.findall(text)
            absent = [i for i in ids if not metrics.exists(i) and not metrics.get_phrase(i)]
            if absent:
                missing.append(lead.rstrip("。"))
                for i in absent:
                    name = MODULE_NAMES.get(i.split(".")[0], i.split(".")[0])
                    if name not in absent_modules:
                        absent_modules.append(name)
                continue
            parts = []
            for chunk in re.split(r"(\{[a-z_]+(?:\.[a-z0-9_]+)?\})", text):
                key = chunk[1:-1] if chunk.startswith("{") else None
                if key and key in words:
                    parts.append(words[key])
                elif key and metrics.get_phrase(key):
                    said = metrics.get_phrase(key)
                    parts.append(said.words({i: metrics.compute(i, scope) for i in said.needs}))
                elif key:
                    parts.append(Figure(metrics.compute(key, scope)))
                elif chunk:
                    parts.append(chunk)
            section.paragraphs.append(Paragraph(lead, parts))
        if missing:
            section.notes.append(
                f"（{'、'.join(absent_modules)}模块尚未上线，“{'”“'.join(missing)}”等内容的数字暂缺，未予填写。）"
            )
        sections.append(section)
    return Summary(
        congress=congress,
        period=scope.period,
        title=f"{year}年{congress.region}人大常委会工作综述",
        subtitle=f"{congress.region}人民代表大会常务委员会",
        sections=sections,
    )


# ---------------------------------------------------------------- renderers (text)


def to_markdown(summary: Summary) -> str:
    lines = [f"# {summary.title}", "", f"{summary.subtitle}", ""]
    for s in summary.sections:
        lines += [f"## {s.number}、{s.title}", ""]
        for p in s.paragraphs:
            lines += [p.lead + "".join(x.text if isinstance(x, Figure) else x for x in p.parts), ""]
        for note in s.notes:
            lines += [f"> {note}", ""]
        if not s.paragraphs and not s.notes:
            lines += ["暂无", ""]
    return "\n".join(lines)


def to_html(summary: Summary, link=None) -> str:
    """An HTML fragment; `link(value)` gives the URL of a figure's records."""
    from django.utils.html import escape

    out = [f"<h1>{escape(summary.title)}</h1>", f'<p class="subtitle">{escape(summary.subtitle)}</p>']
    for s in summary.sections:
        out.append(f"<h2>{s.number}、{escape(s.title)}</h2>")
        for p in s.paragraphs:
            html = [f"<strong>{escape(p.lead)}</strong>"]
            for x in p.parts:
                if isinstance(x, Figure):
                    url = link(x.value) if link else ""
                    title = escape(x.value.metric.label)
                    html.append(
                        f'<a class="figure" href="{escape(url)}" title="{title}" data-metric="{x.value.metric.id}">'
                        f"{escape(x.text)}</a>"
                        if url
                        else f'<span class="figure">{escape(x.text)}</span>'
                    )
                else:
                    html.append(escape(x))
            out.append("<p>" + "".join(html) + "</p>")
        for note in s.notes:
            out.append(f'<p class="note">{escape(note)}</p>')
    return "\n".join(out)
