"""Expected outcomes of the legislation pages and the bill case API (core/access.py). Samples
(tests/factories.py::add_legislation_samples): the city's bills `bill_<state>` (the city's
oversight roles find them, everyone else gets 404), a published comment period open around
today (`comment_period`, on bill_approved) and an unpublished one (`comment_period_draft`)."""

from renda.core.access import CITY_KEEPERS, EVERYONE, OVERSIGHT, SIGNED_IN, CaseAccess, Expect, declare

from .expected_plan import CASE_API as PLAN_CASE_API
from .expected_plan import EXPECTED as PLAN_PAGES  # the legislative plan pages

SITTING = lambda w, role: {"sitting": w.samples["sitting"].pk}  # noqa: E731


def _promulgation(w, role):
    bill = w.samples["bill_approved"]
    return {
        "announcement": "第1号",
        "enacting_body": "样例市人大常委会",
        "passed_on": bill.passed_on.isoformat(),
        "approving_body": "内蒙古自治区人大常委会",
        "approved_on": "2020-12-01",
        "effective_on": "2021-03-01",
    }


declare(
    # a scoped list: everyone signed in gets a page (the bills of their congresses, if any)
    Expect(route="legislation:index", ok=SIGNED_IN),
    Expect(route="legislation:bill", ok=OVERSIGHT, refused=404, args=("bill_reading",)),
    Expect(route="legislation:diff", ok=OVERSIGHT, refused=404, args=("bill_reading",)),
    Expect(route="legislation:comments", ok=OVERSIGHT, refused=404, args=("comment_period",)),
    # the public comment page: anyone, whoever asks; an unpublished period: nobody
    Expect(
        route="legislation_public:period",
        ok=EVERYONE,
        anonymous=200,
        args=("comment_period",),
        post="anyone may comment; the form, its deadline and its throttle are tested in test_legislation",
    ),
    Expect(
        route="legislation_public:period",
        variant="not published",
        ok=(),
        refused=404,
        anonymous=404,
        args=("comment_period_draft",),
        post="an unpublished period takes no comments",
        post_refused=404,
    ),
)

# ---------------------------------------------------------------- the case API (/api/cases/bill)
# The city's oversight roles see and follow a bill; its staff (and administrators) act, the
# votes too (ballots are created by the congress's managers).


def bill(state):
    return CaseAccess("bill", f"bill_{state}", OVERSIGHT, OVERSIGHT)


declare(
    *bill("drafting").reads(),
    bill("drafting").transition("submit", by=CITY_KEEPERS),
    # the first reading leaves the bill in 审议中, still a source of "read": the next reading
    # needs the legal committee's report (422 without it), the others fail the guard
    bill("submitted").transition(
        "read", by=CITY_KEEPERS, body=SITTING, then={"staff": 422, "director": 403, "member": 403}
    ),
    bill("reading").transition("withdraw", by=CITY_KEEPERS, body={"note": "起草单位申请撤回。"}),
    bill("ready").transition("open_vote", by=CITY_KEEPERS, body={"kind": "secret"}),
    bill("voting").transition("close_vote", by=CITY_KEEPERS),
    bill("passed").transition("submit_approval", by=CITY_KEEPERS),
    bill("approval").transition(
        "approve", by=CITY_KEEPERS, body={"approving_body": "内蒙古自治区人大常委会", "approved_on": "2020-12-01"}
    ),
    bill("approved").transition("promulgate", by=CITY_KEEPERS, body=_promulgation),
)

declare(*PLAN_PAGES, *PLAN_CASE_API)
