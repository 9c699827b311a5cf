"""Expected outcomes of the party registers (see core/access.py and rules.py): read by the
oversight roles (a county's staff: their county's), kept by staff and administrators."""

from renda.core.access import CITY_KEEPERS, KEEPERS, OVERSEERS, Expect, declare

REGISTERS = ("study", "training", "report", "prestudy", "rule")

declare(Expect(route="party:index", ok=OVERSEERS))
for name in REGISTERS:
    declare(
        Expect(route=f"party:{name}_list", ok=OVERSEERS),
        Expect(route=f"party:{name}_create", ok=KEEPERS, post="saving records is tested in test_party"),
        # the city's record: its keepers edit it; its other readers are refused; the rest do not find it
        Expect(
            route=f"party:{name}_edit",
            ok=CITY_KEEPERS,
            refused=404,
            overrides={"director": 403, "member": 403},
            args=(name,),
            post="saving records is tested in test_party",
        ),
    )
