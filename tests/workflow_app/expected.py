"""Expected outcomes of the case API for the test-only petition (see renda/core/access.py and
rules.py): the city's oversight roles and its author (deputy) see and follow a petition, and the
unit it is assigned to (unit_a: unit). Staff and administrators register and assign it, the
unit answers, the author evaluates."""

from renda.core.access import CITY_KEEPERS, OVERSIGHT, CaseAccess, declare

AUTHOR = OVERSIGHT + ("deputy",)
ASSIGNED = AUTHOR + ("unit",)


def _petition(state, sees):
    return CaseAccess("petition", f"petition_{state}", sees, sees)


assigned = _petition("assigned", ASSIGNED)
NOTE = {"note": "等待有关部门调查。"}

declare(
    *assigned.reads(),
    _petition("draft", AUTHOR).transition("submit", by=("deputy",)),
    _petition("submitted", AUTHOR).transition("reject", by=CITY_KEEPERS, body=NOTE),
    # assigned to unit_a, which then finds it, too late
    _petition("submitted", AUTHOR).transition(
        "assign", by=CITY_KEEPERS, body=lambda w, role: {"unit": w.unit_a.pk}, then={"unit": 409}
    ),
    assigned.transition("suspend", by=CITY_KEEPERS, body=NOTE),
    _petition("suspended", ASSIGNED).transition("resume", by=CITY_KEEPERS),
    assigned.transition("answer", by=("unit",)),
    _petition("answered", ASSIGNED).transition("evaluate", by=("deputy",), body={"satisfaction": "basic"}),
)
