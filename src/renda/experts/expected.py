"""Expected outcomes of the think tank (see core/access.py and rules.py): the register is read
by the oversight roles (a county's staff: their county's), kept by staff and administrators;
units, deputies and accounts without roles are refused or find nothing."""

from renda.core.access import CITY_KEEPERS, KEEPERS, OVERSEERS, OVERSIGHT, Expect, declare

READ_ONLY = {"director": 403, "member": 403}

declare(
    Expect(route="experts:list", ok=OVERSEERS),
    Expect(route="experts:create", ok=KEEPERS, post="registering experts is tested in test_experts"),
    # the city's expert: its oversight roles read the page; the others do not find it
    Expect(route="experts:detail", ok=OVERSIGHT, refused=404, args=("expert",)),
    Expect(
        route="experts:edit",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=READ_ONLY,
        args=("expert",),
        post="editing experts is tested in test_experts",
    ),
    # assigning an expert to the sample suggestion: its congress's keepers; whoever may not
    # assign at all is refused before the record is looked up; a county's staff do not find it
    Expect(
        route="experts:assign",
        ok=CITY_KEEPERS,
        overrides={"county_staff": 404},
        args=("=suggestions.suggestion", "suggestion"),
        post="assigning is tested in test_experts",
    ),
    Expect(
        route="experts:opinion",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=READ_ONLY,
        args=("expert_assignment",),
        post="recording opinions is tested in test_experts",
    ),
    # an expert's mobile in full (core.personal): the keepers of the expert's congress
    Expect(
        route="core:reveal_personal",
        variant="expert",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides=READ_ONLY,
        args=("=experts.expert", "expert", "=mobile"),
        post=lambda w, role: {},
        post_status=200,
    ),
)
