"""Expected outcomes of the legislative plan pages and their public pages (core/access.py),
registered by legislation/expected.py. Samples (tests/factories.py,
add_legislation_plan_samples): lp_plan — the city's 2020 plan, adopted and published, with a
formal project (lp_item); lp_plan_draft — its 2021 plan, a draft; lp_need — a need of unit_a
(市教育局) awaiting appraisal; lp_need_public — one sent by the public."""

from renda.core.access import CITY_KEEPERS, EVERYONE, KEEPERS, OVERSIGHT, ROLES, SIGNED_IN, UNITS, CaseAccess, Expect

EXPECTED = (
    # scoped lists: everyone signed in gets a page (the published plans, or their congresses')
    Expect(route="legislation:plans", ok=SIGNED_IN),
    Expect(route="legislation:plan", ok=SIGNED_IN, args=("lp_plan",)),
    Expect(route="legislation:plan", variant="draft", ok=OVERSIGHT, refused=404, args=("lp_plan_draft",)),
    Expect(route="legislation:plan_create", ok=KEEPERS, post="drafting a plan is tested in test_legislation_plan"),
    Expect(
        route="legislation:plan_add_item",
        ok=CITY_KEEPERS,
        args=("lp_plan",),
        post="adding a project is tested in test_legislation_plan",
    ),
    Expect(
        route="legislation:plan_add_item",
        variant="draft",
        ok=CITY_KEEPERS,
        refused=404,
        overrides={"director": 403, "member": 403},
        args=("lp_plan_draft",),
        post="adding a project is tested in test_legislation_plan",
    ),
    # starting a formal project's bill: POST only, by the city's keepers (the second gets the
    # message that the bill was started already, a redirect too); the others see the published
    # plan's project but may not start it
    Expect(
        route="legislation:plan_item_bill",
        ok=SIGNED_IN,
        status=405,
        refused=405,
        args=("lp_item",),
        post=lambda w, role: {},
        post_ok=CITY_KEEPERS,
        post_refused=403,
    ),
    # needs: the oversight roles of the city, and the department that proposed it
    Expect(route="legislation:needs", ok=SIGNED_IN),
    Expect(route="legislation:need", ok=OVERSIGHT + ("unit",), refused=404, args=("lp_need",)),
    Expect(route="legislation:need", variant="public", ok=OVERSIGHT, refused=404, args=("lp_need_public",)),
    Expect(
        route="legislation:need_create",
        ok=KEEPERS + UNITS,
        post="recording a need is tested in test_legislation_plan",
    ),
    # the public site: published plans only, and the need form for anyone
    Expect(route="legislation_public:plans", ok=EVERYONE, anonymous=200),
    Expect(route="legislation_public:plan", ok=EVERYONE, anonymous=200, args=("lp_plan",)),
    Expect(
        route="legislation_public:plan",
        variant="draft",
        ok=(),
        refused=404,
        anonymous=404,
        args=("lp_plan_draft",),
    ),
    Expect(
        route="legislation_public:need_new",
        ok=EVERYONE,
        anonymous=200,
        post="anyone may propose; the form, its throttle and receipt are tested in test_legislation_plan",
    ),
    Expect(route="legislation_public:need_status", ok=EVERYONE, anonymous=200),
    # without a submission in the session: back to the form
    Expect(route="legislation_public:need_received", ok=EVERYONE, status=302, anonymous=302),
)

# ---------------------------------------------------------------- the case API
# Plans: the city's oversight roles see and follow a draft or adopted plan; its staff (and
# administrators) act — the directors see, the adoption at their meeting is recorded by staff.
# Needs: the city's oversight roles and the proposing department see and follow them.

OUTSIDERS = {r: 403 for r in ROLES if r not in OVERSIGHT}  # a published plan: seen, not followed
plan = {s: CaseAccess("legislative_plan", f"lp_plan_{s}", OVERSIGHT, OVERSIGHT) for s in ("draft", "adopted")}
need = CaseAccess("legislative_need", "lp_need", OVERSIGHT + ("unit",), OVERSIGHT + ("unit",))
CASE_API = (
    *plan["draft"].reads(),
    plan["draft"].transition("adopt", by=CITY_KEEPERS, body=lambda w, role: {"meeting": w.samples["lp_meeting"].pk}),
    plan["adopted"].transition("publish", by=CITY_KEEPERS, then=OUTSIDERS),
    plan["adopted"].transition("adjust", by=CITY_KEEPERS, stay=True, body={"note": "增加一项调研项目。"}),
    *need.reads(),
    need.transition(
        "accept",
        by=CITY_KEEPERS,
        body=lambda w, role: {"plan": w.samples["lp_plan_draft"].pk, "category": "formal", "drafter": "市教育局"},
    ),
    need.transition("refuse", by=CITY_KEEPERS, body={"note": "不属于设区的市立法权限。"}),
)
