"""Expected outcomes of filing and review (see core/access.py and rules.py). The sample
filing was filed by the city government and is registered and published; the sample review
proposal was received by the city."""

from renda.core.access import EVERYONE, OVERSEERS, OVERSIGHT, SIGNED_IN, Expect, declare

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
