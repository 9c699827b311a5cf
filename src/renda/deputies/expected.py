"""Expected outcomes of the deputies module's routes (see core/access.py and rules.py): the
roster is read by the oversight roles (a county's staff: their county's tree); changes of a
mandate are recorded by the keepers of the deputy's congress."""

from renda.core.access import CITY_KEEPERS, KEEPERS, OVERSEERS, Expect, declare

declare(
    Expect(route="deputies:roster", ok=OVERSEERS),
    Expect(route="deputies:elect", ok=KEEPERS, post="by-elections are tested in test_deputies_roster"),
    # the city's deputy: its keepers record a change; directors and members read only; a
    # county's staff do not find a city deputy; whoever may not record at all is refused first
    Expect(
        route="deputies:record_event",
        ok=CITY_KEEPERS,
        overrides={"county_staff": 404},
        args=("deputy",),
        post="recording changes is tested in test_deputies_roster",
    ),
)
