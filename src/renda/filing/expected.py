"""Expected outcomes of filing and review (see core/access.py and rules.py). The sample
filing was filed by the city government and is registered and published; the sample review
proposal was received by the city."""

from renda.core.access import CITY_KEEPERS, EVERYONE, OVERSEERS, OVERSIGHT, SIGNED_IN, CaseAccess, Expect, declare

# who sees the registered, published filing: the city's oversight roles (inside the case),
# deputies and users without a role (its public part); neither another county's staff nor
# units other than the filer
FILING_READERS = OVERSIGHT + ("deputy", "other_deputy", "noroles")


def _filing(w, role):
    return {
        "filer": "",
        "kind": "resolution",
        "title": f"临河区人大常委会关于测试的决定{role}",
        "document_number": f"临人常发〔2020〕{len(role)}号",
        "adopted_on": "2020-04-16",
        "published_on": "2020-04-20",
        "text": "临河区人民代表大会常务委员会关于加强城区环境治理的决定。" * 3,
        "drafting_explanation": "为加强城区环境治理，制定本决定。",
        "legal_basis": "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》",
    }


declare(
    Expect(route="filing:index", ok=SIGNED_IN),
    # issuing bodies and a lower congress's staff; the city's staff record the city's own regulations
    Expect(route="filing:create", ok=("staff", "county_staff"), post="filing is tested in test_filing"),
    Expect(route="filing:detail", ok=FILING_READERS, refused=404, args=("filing",)),
    # 修改草稿: the filer only (a draft is private); other filers do not find it, others may not file
    Expect(
        route="filing:edit",
        ok=("county_staff",),
        overrides={"staff": 404},
        args=("filing_draft",),
        post="correcting a draft: test_filing_drafts",
    ),
    Expect(route="filing:proposals", ok=OVERSEERS),
    Expect(route="filing:proposal", ok=OVERSIGHT, refused=404, args=("proposal",)),
    Expect(route="filing:lower", ok=OVERSEERS),
    # the annual report of a congress the user oversees: by default their own
    Expect(route="filing:report", ok=OVERSEERS),
    Expect(
        route="filing:report",
        variant="the city's report",
        ok=OVERSIGHT,
        overrides={"county_staff": 404},
        query="congress={city}",
    ),
    # the public site
    Expect(route="filing_public:index", ok=EVERYONE, anonymous=200),
    Expect(route="filing_public:document", ok=EVERYONE, anonymous=200, args=("filing",)),
    Expect(
        route="filing_public:propose",
        ok=EVERYONE,
        anonymous=200,
        post="anyone may send a proposal; the form and its throttle are tested in test_filing",
    ),
    Expect(route="filing_public:received", ok=EVERYONE, status=302, anonymous=302),  # without a receipt: to the form
    Expect(route="filing_public:status", ok=EVERYONE, anonymous=200),
    Expect(route="filing_public:answers", ok=EVERYONE, anonymous=200),
    # API
    Expect(api="GET /api/filing/filings", ok=EVERYONE, anonymous=200),
    Expect(api="GET /api/filing/filings/{filing_id}", ok=FILING_READERS, refused=404, anonymous=200, args=("filing",)),
    # a lower congress's staff files its resolution with the city
    # (the city's staff may file only the city's own regulations: a resolution is refused, with reasons)
    Expect(
        api="POST /api/filing/filings",
        ok=("county_staff",),
        status=201,
        anonymous=403,
        overrides={"staff": 422},
        body=_filing,
    ),
    Expect(
        api="POST /api/filing/check",
        ok=SIGNED_IN,
        anonymous=403,
        body=lambda w, role: {"text": "本规定自发布之日起施行。"},
    ),
)

# ---------------------------------------------------------------- the case API (/api/cases/filing, …/review_proposal)
# The sample filing: its readers see it; only the city's oversight roles follow its review (the
# others are told its public status: no timeline, no transitions). The other samples are the
# county's resolutions filed with the city and not published: the filer (county_staff) and the
# city's oversight roles follow them; a draft is the filer's alone.
filing = CaseAccess("filing", "filing", FILING_READERS + ("public",), OVERSIGHT)


def _county(state, sees=OVERSEERS):
    return CaseAccess("filing", f"filing_{state}", sees, sees)


# the reviewing body: the staff of the committee it was assigned to (the office), and the
# administrators; 登记, 催办 and the standing committee's decisions: the staff of the congress
REVIEWER = CITY_KEEPERS
FILER = ("county_staff",)
NOTE = {"note": "请于规定期限内办理。"}
CHECKED = {"constitutionality": "ok", "political": "ok", "legality": "ok", "appropriateness": "ok"}
PROBLEM = {"problem_summary": "超越权限设定罚款。", **NOTE}
OPINION = {**PROBLEM, "opinion": "该文件第二条设定罚款，超越制定机关权限，请予纠正。", "reply_period": "30"}
CORRECTION = {"correction": "已废止该决定第二条并重新公布。", "corrected_on": "2020-05-09"}

declare(
    *filing.reads(),
    filing.create(ok=FILER, body=_filing, overrides={"staff": 422}),  # as POST /api/filing/filings
    # a draft moves only by its filer; once sent, the city's directors and members find it, too late
    _county("draft", FILER).transition("submit", by=FILER, then={"director": 409, "member": 409}),
    # a discarded draft was never sent: the receiving congress never finds it (rules.py)
    _county("draft", FILER).transition("discard", by=FILER),
    _county("submitted").transition("register", by=CITY_KEEPERS, body=lambda w, role: {"committee": w.office.pk}),
    _county("submitted").transition("request_material", by=CITY_KEEPERS, body=NOTE),
    _county("submitted").transition("return", by=CITY_KEEPERS, body=NOTE),
    _county("incomplete").transition("resubmit", by=FILER, body={"legal_basis": "《立法法》"}),
    filing.transition("record_review", by=REVIEWER, stay=True, body=CHECKED),
    filing.transition("conclude", by=REVIEWER),  # its review points are recorded (add_samples)
    filing.transition("communicate", by=REVIEWER, body=PROBLEM),
    _county("communicating").transition("explain", by=FILER, body=NOTE),
    _county("communicating").transition("agree", by=FILER, body=NOTE),
    filing.transition("send_opinion", by=REVIEWER, body=OPINION),
    _county("opinion_sent").transition("report_correction", by=FILER, body=CORRECTION),
    _county("correction_reported").transition("confirm_correction", by=REVIEWER),
    _county("correction_reported").transition("reject_correction", by=REVIEWER, body={"reply_period": "30", **NOTE}),
    filing.transition("propose_annulment", by=REVIEWER + ("director",), body=NOTE),
    _county("annulment_proposed").transition(
        "decide_annulment",
        by=CITY_KEEPERS,
        body={"decision": "市人大常委会关于撤销该决定的决定", "decided_on": "2020-06-20"},
    ),
    _county("annulment_proposed").transition("keep", by=CITY_KEEPERS, body=NOTE),
    filing.transition("remind", by=CITY_KEEPERS, stay=True, body=NOTE),
)

# Review proposals: the city's oversight roles see and follow them; its staff and
# administrators handle them; the platform alone receives one and marks its document's review done.
proposal = CaseAccess("review_proposal", "proposal", OVERSIGHT, OVERSIGHT)  # received
accepted = CaseAccess("review_proposal", "proposal_accepted", OVERSIGHT, OVERSIGHT)  # on a closed filing
FEEDBACK = {"feedback": "经研究，该文件已经审查，未发现问题。"}

declare(
    *proposal.reads(),
    proposal.transition("receive", state_allows=False),
    proposal.transition("accept", by=CITY_KEEPERS, body=lambda w, role: {"filing": w.samples["filing"].pk}),
    proposal.transition("decline", by=CITY_KEEPERS, body=FEEDBACK),
    proposal.transition("transfer", by=CITY_KEEPERS, body={"transferred_to": "自治区人大常委会法工委", **FEEDBACK}),
    accepted.transition("review_done", stay=True),
    accepted.transition("answer", by=CITY_KEEPERS, body=FEEDBACK),
)
