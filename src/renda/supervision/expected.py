"""Expected outcomes of the supervision work pages (see core/access.py and rules.py). The samples
(tests/factories.py::add_supervision_samples) are the city's items about unit_a (市教育局): a work
report, an inspection, an inquiry and a 质询案 not published (the city's oversight roles and
unit_a find them; everyone else gets 404), and a published investigation (every signed-in role)."""

from dataclasses import replace

from renda.core.access import (
    CITY_KEEPERS,
    KEEPERS,
    OVERSEERS,
    OVERSIGHT,
    ROLES,
    SIGNED_IN,
    UNITS,
    CaseAccess,
    Expect,
    declare,
)

from .expected_plan import EXPECTED as PLAN_PAGES  # the plan pages and the public pages

# who finds an unpublished item about unit_a
INSIDERS = OVERSIGHT + ("unit",)
# those who find it but may not record on it (the staff's forms)
SEE_NOT_KEEP = {"director": 403, "member": 403, "unit": 403}


def _item(route, sample, ok=INSIDERS):
    return Expect(route=f"supervision:{route}", ok=ok, refused=404, args=(sample,))


def _staff_form(route, *args):
    return Expect(
        route=f"supervision:{route}",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=SEE_NOT_KEEP,
        args=args,
        post="the staff's forms are tested in test_supervision_pages",
    )


declare(
    # a scoped list: everyone signed in (the public's share: published items)
    Expect(route="supervision:index", ok=SIGNED_IN),
    # what an organ owes: a unit's staff
    Expect(route="supervision:dues", ok=UNITS),
    # reading before a sitting: the oversight roles (a county's staff for their county)
    Expect(route="supervision:reading", ok=OVERSEERS),
    Expect(route="supervision:add", ok=KEEPERS, post="adding items is tested in test_supervision_pages"),
    Expect(route="supervision:interpellation_new", ok=KEEPERS, post="tested in test_supervision_pages"),
    _item("report", "supervision_report"),
    _item("inspection", "supervision_inspection"),
    _item("inquiry", "supervision_inquiry"),
    _item("interpellation", "supervision_interpellation"),
    # published: every signed-in role reads it (its public part)
    _item("investigation", "supervision_investigation", ok=SIGNED_IN),
    _staff_form("speech", "=reports", "supervision_report"),
    _staff_form("activity", "=inspections", "supervision_inspection"),
    _staff_form("question", "supervision_inquiry"),
)

# ---------------------------------------------------------------- the case API (/api/cases/<supervision type>)
# An unpublished item is seen and followed by the city's oversight roles and by the organ it
# concerns (unit_a: "unit"); staff move it; the organ submits; directors open and close votes too.


SEES = OVERSIGHT + ("unit",)
DIRECTING = CITY_KEEPERS + ("director",)
NOTE = {"note": "按计划调整。"}
# who finds a record once it is published, without following its process
OUTSIDERS = {r: 403 for r in ROLES if r not in OVERSIGHT + ("unit",)}


def item(case_type, state):
    return CaseAccess(case_type, f"{case_type}_{state}", SEES, SEES)


def needs_file(expect, *roles):
    """A transition whose report file is required: who passes the guard but sends no file gets 422."""
    return replace(expect, overrides={**expect.overrides, **{r: 422 for r in roles}})


def sitting(w, role):
    return {"sitting": w.samples["sitting"].pk, **NOTE}


RESPONSE = {"response": "已逐项研究落实审议意见，制定整改方案。", "signed_by": "张局长"}
# the loop's transitions with a valid body each (a form is checked before the state)
LOOP_ONLY_ON_REPORTS = {
    "send_opinions": {"opinions": "一、加强统筹。二、加大投入。"},
    "respond": RESPONSE,
    "open_vote": {},
    "close_vote": {},
    "deliberate_response": sitting,
    "publish": {},
    "circulate": {},
    "remind": {"note": "请抓紧报送。"},
    "conclude": {},
}

report = {
    s: item("work_report", s)
    for s in (
        "planned",
        "awaiting_draft",
        "draft_submitted",
        "report_submitted",
        "distributed",
        "deliberated",
        "opinions_sent",
        "response_received",
        "voting",
        "re_reporting",
    )
}
declare(
    *report["planned"].reads(),
    report["planned"].transition("schedule", by=CITY_KEEPERS, body=sitting),
    report["planned"].transition("withdraw", by=CITY_KEEPERS, body=NOTE),
    report["awaiting_draft"].transition("reschedule", by=CITY_KEEPERS, stay=True, body=sitting),
    needs_file(report["awaiting_draft"].transition("submit_draft"), "unit"),
    report["draft_submitted"].transition("comment_draft", by=CITY_KEEPERS, stay=True, body={"note": "请补充数据。"}),
    needs_file(report["draft_submitted"].transition("submit_report"), "unit"),
    report["report_submitted"].transition("distribute", by=CITY_KEEPERS),
    report["distributed"].transition("deliberate", by=CITY_KEEPERS),
    report["deliberated"].transition(
        "send_opinions", by=CITY_KEEPERS, body={"opinions": "一、加强统筹。二、加大投入。"}
    ),
    report["deliberated"].transition("circulate", by=CITY_KEEPERS, stay=True, then={"staff": 422}),
    # once published, everyone finds it (and may not act on it); publishing twice is refused
    report["deliberated"].transition("publish", by=CITY_KEEPERS, stay=True, then={"staff": 422, **OUTSIDERS}),
    report["response_received"].transition("open_vote", by=DIRECTING),
    report["response_received"].transition("deliberate_response", by=CITY_KEEPERS, stay=True, body=sitting),
    report["response_received"].transition("conclude", by=CITY_KEEPERS),
    report["opinions_sent"].transition("respond", by=("unit",), body=RESPONSE),
    report["opinions_sent"].transition("remind", by=DIRECTING, stay=True, body={"note": "请抓紧报送。"}),
    report["voting"].transition("close_vote", by=DIRECTING),
)

law = {s: item("law_inspection", s) for s in ("planned", "inspecting", "reported", "distributed")}
TEAM = lambda w, role: {"team": [w.member.pk]}  # noqa: E731
declare(
    *law["planned"].reads(),
    law["planned"].transition("start", by=CITY_KEEPERS, body=TEAM),
    law["planned"].transition("withdraw", by=CITY_KEEPERS, body=NOTE),
    needs_file(law["inspecting"].transition("report"), *CITY_KEEPERS),
    law["reported"].transition("submit_to_sitting", by=CITY_KEEPERS, body=sitting),
    law["distributed"].transition("deliberate", by=CITY_KEEPERS),
    *(law["planned"].transition(t, state_allows=False, body=b) for t, b in LOOP_ONLY_ON_REPORTS.items()),
)

inv = {s: item("investigation", s) for s in ("planned", "underway", "reported")}
declare(
    *inv["planned"].reads(),
    inv["planned"].transition("start", by=CITY_KEEPERS, body=TEAM),
    inv["planned"].transition("withdraw", by=CITY_KEEPERS, body=NOTE),
    needs_file(inv["underway"].transition("report"), *CITY_KEEPERS),
    inv["reported"].transition("to_opinions", by=CITY_KEEPERS),
    inv["reported"].transition("conclude", by=CITY_KEEPERS),
    *(
        inv["planned"].transition(t, state_allows=False, body=b)
        for t, b in LOOP_ONLY_ON_REPORTS.items()
        if t != "conclude"
    ),
)

inq = {s: item("inquiry", s) for s in ("planned", "prepared")}
declare(
    *inq["planned"].reads(),
    inq["planned"].transition("schedule", by=CITY_KEEPERS, body=sitting),
    inq["planned"].transition("withdraw", by=CITY_KEEPERS, body=NOTE),
    inq["prepared"].transition("hold", by=CITY_KEEPERS),
    *(inq["planned"].transition(t, state_allows=False, body=b) for t, b in LOOP_ONLY_ON_REPORTS.items()),
)

interp = {s: item("interpellation", s) for s in ("submitted", "accepted")}
declare(
    *interp["submitted"].reads(),
    interp["submitted"].transition("accept", by=("director",), body={"answer_mode": "written"}),
    interp["submitted"].transition("reject", by=("director",), body={"note": "不符合质询案的提出条件。"}),
    interp["accepted"].transition(
        "answer", by=("unit",), body={"answer": "已查明原因并制定整改措施。", "signed_by": "王局长"}
    ),
    *(
        interp["submitted"].transition(t, state_allows=False)
        for t in ("open_assessment", "close_assessment", "conclude")
    ),
    interp["submitted"].transition("order_second_answer", state_allows=False, body={"note": "提案人过半数不满意。"}),
)

plan = {s: CaseAccess("supervision_plan", f"supervision_plan_{s}", OVERSIGHT, OVERSIGHT) for s in ("draft", "adopted")}
declare(
    *plan["draft"].reads(),
    plan["draft"].transition(
        "adopt", by=DIRECTING, body=lambda w, role: {"meeting": w.samples["directors_meeting"].pk}
    ),
    plan["adopted"].transition("publish", by=CITY_KEEPERS, then={**OUTSIDERS, "unit": 403}),
    plan["adopted"].transition("adjust", by=DIRECTING, stay=True, body={"note": "增加一项专题调研。"}),
)

declare(*PLAN_PAGES)
