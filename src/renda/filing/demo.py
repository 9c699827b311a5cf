"""The demo year's filing and review: the 17 normative documents the municipal
government filed in 2020 (texts in demo/data/filing_2020/, each sent as a file: version 1
of the filing's 备案文件文本), each registered and reviewed through the workflow on the
days it happened; the three with problems go through a written review opinion and the
government's correction; three review proposals from citizens and an organisation get
their feedback."""

import csv
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core.models import Body, HandlingUnit, User
from renda.workflow.calendar import add_working_days, is_workday
from renda.workflow.engine import perform

from . import services
from .models import STANDARDS, Filing

DATA = Path(__file__).resolve().parent.parent / "demo" / "data" / "filing_2020"
STANDARD_NOTES = {
    "legality": "未发现违法设定行政许可、行政处罚、行政强制措施或者收费，未发现违法减损公民、法人和其他组织权利或者增加其义务的规定。",
}
PROBLEM_LABEL = {
    "unauthorized_fee": "规范性文件设定收费（保证金）没有法律、法规依据",
    "unauthorized_penalty": "规范性文件自行设定行政处罚，超越权限（《中华人民共和国行政处罚法》）",
    "unauthorized_licensing": "规范性文件设定行政许可（《中华人民共和国行政许可法》第十七条）",
    "unauthorized_compulsory_measure": "规范性文件设定行政强制措施（《中华人民共和国行政强制法》第十条）",
    "law_repealed": "引用已经废止的法律法规作为依据",
    "law_title_outdated": "引用的法律法规名称已经变更",
    "rights_restricted": "没有法律、法规依据，减损公民、法人和其他组织的权利或者增加其义务",
}


def _d(text: str) -> date:
    return date.fromisoformat(text.strip())


def rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build(ctx) -> None:
    city = ctx.refs["city"]
    filer = User.objects.get(username="zhengfuban")
    reviewer = User.objects.get(username="fagongwei")
    committee = Body.objects.get(congress=city, short_name="法工委")
    units = {u.name: u for u in HandlingUnit.objects.filter(congress=city)}
    filings = {}
    for row in rows("documents.csv"):
        text = (DATA / row["file"]).read_text(encoding="utf-8")
        filed_on = _d(row["filed_on"])
        unit = (
            units[row["issuer"]]
            if row["issuer"] in units
            else units[f"巴彦淖尔{row['issuer'].removeprefix('巴彦淖尔')}"]
        )
        # the government sends the official text as a file: version 1 of the filed text
        upload = SimpleUploadedFile(f"{row['title']}.txt", text.encode("utf-8"), content_type="text/plain")
        filing = services.file_document(
            filer,
            {
                "filer": f"unit:{unit.pk}",
                "kind": Filing.Kind.GOVERNMENT,
                "title": row["title"],
                "document_number": row["number"],
                "adopted_on": _d(row["adopted_on"]),
                "published_on": _d(row["published_on"]),
                "drafting_explanation": row["drafting_explanation"],
                "legal_basis": row["legal_basis"],
            },
            upload,
            today=filed_on,
        )
        registered_on = add_working_days(filed_on, 3)
        perform(filing, "register", reviewer, {"committee": committee.pk, "published": "on"}, today=registered_on)
        filings[row["file"]] = (filing, row, registered_on)

    proposals = rows("proposals.csv")
    about = {p["document_file"]: p for p in proposals if p["document_file"]}
    for key, (filing, row, registered_on) in filings.items():
        proposal = about.get(key)
        review_day = add_working_days(registered_on, 12 + filing.pk % 15)
        # records go in in the order things happened: a proposal sent during the review
        # is accepted first; one sent after it finds the review over
        early = proposal and _d(proposal["submitted_on"]) < review_day
        accepted_on = _propose(city, proposal, filing, reviewer) if early else None
        _review(filing, row, review_day, reviewer, filer)
        if proposal and not early:
            accepted_on = _propose(city, proposal, filing, reviewer)
        if proposal:
            answered_on = max(add_working_days(filing.reviewed_on, 2), add_working_days(accepted_on, 5))
            p = filing.proposals.get()
            perform(p, "answer", reviewer, {"feedback": _feedback(filing), "publish_feedback": "on"}, today=answered_on)
    for proposal in (p for p in proposals if not p["document_file"]):
        p = services.receive_proposal(city, _proposal_data(proposal), today=_d(proposal["submitted_on"]))
        perform(
            p,
            "transfer",
            reviewer,
            {"transferred_to": _transfer_target(proposal), "feedback": proposal["outcome"], "publish_feedback": "on"},
            today=add_working_days(p.submitted_on, 5),
        )


def _review(filing, row, review_day, reviewer, filer):
    problem = row["problem_kind"].strip()
    checklist = {}
    for key, _, _ in STANDARDS:
        bad = problem and key == "legality"
        checklist[key] = "problem" if bad else "ok"
        checklist[f"{key}_note"] = (
            (PROBLEM_LABEL.get(problem, "存在问题") + "：" + row["problem_excerpt"])
            if bad
            else STANDARD_NOTES.get(key, "")
        )
    perform(filing, "record_review", reviewer, checklist, today=review_day)
    if not problem:
        perform(filing, "conclude", reviewer, today=review_day)
        return
    summary = f"{PROBLEM_LABEL.get(problem, '存在问题')}。相关内容：“{row['problem_excerpt']}”"
    perform(
        filing,
        "send_opinion",
        reviewer,
        {
            "problem_summary": summary,
            "reply_period": "30",
            "opinion": f"经审查，《{filing.title}》（{filing.document_number}）{PROBLEM_LABEL.get(problem, '存在问题')}。"
            "根据《中华人民共和国各级人民代表大会常务委员会监督法》和备案审查有关规定，请你单位在收到本意见之日起三十日内"
            "研究处理，对有关规定予以修改或者废止，并将处理情况书面报告市人大常委会。",
        },
        today=review_day,
    )
    corrected_on = _correction_date(row["correction"], after=review_day) or add_working_days(review_day, 18)
    # the government reports the correction the working day it issued it (or the next one)
    reported_on = corrected_on if is_workday(corrected_on) else add_working_days(corrected_on, 1)
    perform(
        filing,
        "report_correction",
        filer,
        {
            "correction": row["correction"],
            "corrected_on": corrected_on,
        },
        today=reported_on,
    )
    perform(filing, "confirm_correction", reviewer, today=add_working_days(reported_on, 3))


def _correction_date(text: str, *, after: date) -> date | None:
    """The day the government issued its correction (“于2020年9月18日印发”): the text also
    cites other days (when a repealed law lapsed), which are not the correction."""
    import re

    days = [date(int(y), int(m), int(d)) for y, m, d in re.findall(r"于(20\d\d)年(\d{1,2})月(\d{1,2})日印发", text)]
    return next((day for day in days if day > after), None)


def _proposal_data(p: dict) -> dict:
    return {
        "proposer": p["proposer"],
        "proposer_kind": p["proposer_kind"],
        "contact": p["contact"],
        "document_title": p.get("document_title", "") or p["issue"][:60],
        "document_number": "",
        "issue": p["issue"],
        "reasons": p["reasons"],
    }


def _propose(city, proposal, filing, reviewer):
    data = _proposal_data(proposal) | {"document_title": filing.title, "document_number": filing.document_number}
    p = services.receive_proposal(city, data, today=_d(proposal["submitted_on"]))
    accepted_on = add_working_days(p.submitted_on, 3)
    perform(p, "accept", reviewer, {"filing": filing.pk}, today=accepted_on)
    return accepted_on


def _feedback(filing) -> str:
    from .effects import outcome_text

    return outcome_text(filing) + "感谢您对备案审查工作的关心和支持。"


def _transfer_target(p: dict) -> str:
    for place in ("临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"):
        if place in p["issue"] + p["reasons"] + p["outcome"]:
            return f"{place}人大常委会"
    return "有权审查的机关"
