"""Expected outcomes of the suggestion pages (see core/access.py and rules.py). The sample
suggestion is registered, published and assigned to `unit`; the draft is `deputy`'s."""

from renda.core.access import DEPUTIES, OVERSEERS, OVERSIGHT, SIGNED_IN, SUPERVISORS, UNITS, Expect, declare

declare(
    Expect(route="suggestions:index", ok=SIGNED_IN),
    Expect(route="suggestions:create", ok=DEPUTIES, post="drafting is tested in test_suggestions"),
    Expect(route="suggestions:board", ok=SUPERVISORS),
    Expect(route="suggestions:unit_stats", ok=OVERSEERS + UNITS),
    # the authors, the assigned unit, the city's oversight roles, and (published) deputies and
    # the public; another county's staff and another unit do not find it
    Expect(
        route="suggestions:detail",
        ok=OVERSIGHT + DEPUTIES + ("unit", "noroles"),
        refused=404,
        args=("suggestion",),
    ),
    # a draft: its lead deputy only (never the oversight roles)
    Expect(route="suggestions:edit", ok=("deputy",), refused=404, args=("draft",), post="drafting: test_suggestions"),
)
