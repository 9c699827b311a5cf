"""Expected outcomes of the legislation pages and the bill case API (core/access.py). Samples
(tests/factories.py::add_legislation_samples): the city's bills `bill_<state>` (the city's
oversight roles find them, everyone else gets 404), a published comment period open around
today (`comment_period`, on bill_approved) and an unpublished one (`comment_period_draft`)."""

from renda.core.access import CITY_KEEPERS, EVERYONE, KEEPERS, OVERSIGHT, ROLES, SIGNED_IN, CaseAccess, Expect, declare

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
    # once promulgated the regulation is public: outsiders find it and are refused the act (403)
    bill("approved").transition(
        "promulgate", by=CITY_KEEPERS, body=_promulgation, then={r: 403 for r in ROLES if r not in OVERSIGHT}
    ),
)

# ---------------------------------------------------------------- the staff's pages (bill_pages)
# The bill's forms: the city's staff and administrators; directors and members find the bill
# and are refused (403); everyone else does not find it (404).
SEE_NOT_KEEP = {"director": 403, "member": 403}


def _staff_form(route, *args, post="the staff's forms are tested in test_legislation_pages"):
    return Expect(
        route=f"legislation:{route}", ok=CITY_KEEPERS, refused=404, overrides=SEE_NOT_KEEP, args=args, post=post
    )


declare(
    # a county's staff registers bills of their own congress
    Expect(route="legislation:bill_new", ok=KEEPERS, post="registering a bill is tested in test_legislation_pages"),
    _staff_form("draft_new", "bill_reading"),
    _staff_form("period_new", "bill_reading"),
    _staff_form("opinion_new", "bill_reading"),
    # 发表审议意见: the city's members and directors while the bill is deliberated; the staff
    # find the bill and are refused (they record others' opinions with opinion_new)
    Expect(
        route="legislation:speak",
        ok=("director", "member"),
        refused=404,
        overrides={"admin": 403, "staff": 403},
        args=("bill_reading",),
        post="a member's opinion is tested in test_legislation_pages",
    ),
    _staff_form("summary_new", "comment_period"),
    # the current draft in Word: whoever follows the bill
    Expect(route="legislation:word", ok=OVERSIGHT, refused=404, args=("bill_reading",)),
    # POST only (GET 405 once found and allowed): citing a cause on a draft, removing one
    Expect(
        route="legislation:cause_add",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides=SEE_NOT_KEEP,
        args=("bill_approved", "=2"),
        post=lambda w, role: {"article": 1, "source": "公众意见#0"},
    ),
    Expect(
        route="legislation:cause_remove",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides=SEE_NOT_KEEP,
        args=("bill_cause",),
        post="removing a cause is tested in test_legislation_pages (the first removal ends the sample)",
    ),
    # moderating / marking a published comment: everyone finds it, only the staff act
    Expect(
        route="legislation:comment_act",
        ok=CITY_KEEPERS,
        status=405,
        refused=403,
        args=("public_comment",),
        post=lambda w, role: {"op": "moderate", "decision": "publish"},
    ),
    # the public regulations: a promulgated bill is everyone's; another bill nobody's
    Expect(route="legislation_public:regulations", ok=EVERYONE, anonymous=200),
    Expect(route="legislation_public:regulation", ok=EVERYONE, anonymous=200, args=("bill_promulgated",)),
    Expect(
        route="legislation_public:regulation",
        variant="not promulgated",
        ok=(),
        refused=404,
        anonymous=404,
        args=("bill_approved",),
    ),
    # the work page of a promulgated bill is still its process: the oversight roles only
    Expect(route="legislation:bill", variant="promulgated", ok=OVERSIGHT, refused=404, args=("bill_promulgated",)),
)

declare(*PLAN_PAGES, *PLAN_CASE_API)
