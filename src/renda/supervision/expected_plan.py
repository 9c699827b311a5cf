"""Expected outcomes of the plan pages and the public supervision pages (core/access.py).
Samples (tests/factories.py, add_supervision_plan_samples): sup_plan — the city's 2020 plan,
adopted and published, with a published investigation (sup_item) and a work report not
published (sup_item_private); sup_plan_draft — the city's 2021 plan, a draft."""

from renda.core.access import CITY_KEEPERS, EVERYONE, KEEPERS, OVERSIGHT, SIGNED_IN, Expect

EXPECTED = (
    # the list is scoped: everyone signed in gets a page (the public ones, or their congresses')
    Expect(route="supervision:plans", ok=SIGNED_IN),
    # a published plan: every signed-in user; a draft: the city's oversight roles
    Expect(route="supervision:plan", ok=SIGNED_IN, args=("sup_plan",)),
    Expect(route="supervision:plan", variant="draft", ok=OVERSIGHT, refused=404, args=("sup_plan_draft",)),
    # drafting: the staff and administrators (a county's staff for their county)
    Expect(route="supervision:plan_create", ok=KEEPERS, post="drafting a plan is tested in test_supervision_plan"),
    # adding an item: the city's keepers; the others see the published plan but may not change it
    Expect(
        route="supervision:plan_add_item",
        ok=CITY_KEEPERS,
        args=("sup_plan",),
        post="adding an item is tested in test_supervision_plan",
    ),
    Expect(
        route="supervision:plan_add_item",
        variant="draft",
        ok=CITY_KEEPERS,
        refused=404,
        overrides={"director": 403, "member": 403},
        args=("sup_plan_draft",),
        post="adding an item is tested in test_supervision_plan",
    ),
    # the public site: what an anonymous visitor sees, whoever asks
    Expect(route="supervision_public:index", ok=EVERYONE, anonymous=200),
    Expect(route="supervision_public:items", ok=EVERYONE, anonymous=200),
    Expect(route="supervision_public:plan", ok=EVERYONE, anonymous=200, args=("sup_plan",)),
    Expect(
        route="supervision_public:plan",
        variant="draft",
        ok=(),
        refused=404,
        anonymous=404,
        args=("sup_plan_draft",),
    ),
    Expect(route="supervision_public:item", ok=EVERYONE, anonymous=200, args=("=investigation", "sup_item")),
    Expect(
        route="supervision_public:item",
        variant="not published",
        ok=(),
        refused=404,
        anonymous=404,
        args=("=work_report", "sup_item_private"),
    ),
)
