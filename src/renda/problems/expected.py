"""Expected outcomes of the problem ledger (see core/access.py and rules.py). The samples are
problems the sample filing brought to light (tests/factories.py add_problem_samples): opened
by the city's staff, the office in charge, for unit (市教育局) to rectify."""

from dataclasses import replace
from datetime import date

from renda.core.access import CITY_KEEPERS, OVERSEERS, OVERSIGHT, ROLES, UNITS, CaseAccess, Expect, declare

# who finds a city problem of unit's: the city's oversight roles and that unit; not a county's
# staff, another unit, deputies or the public
READERS = OVERSIGHT + ("unit",)
# who accepts, returns and re-checks: the staff of the body in charge (the office), the
# administrators and the directors of the congress; never the unit
IN_CHARGE = ("admin", "staff", "director")

declare(
    # the ledger: refused (not empty) to those who may see no problem at all
    Expect(route="problems:index", ok=OVERSEERS + UNITS),
    Expect(route="problems:detail", ok=READERS, refused=404, args=("problem",)),
    Expect(route="problems:list", ok=READERS, refused=404, args=("problem_list",)),
)

listed = CaseAccess("problem_item", "problem", READERS, READERS)


def _in(state):
    return CaseAccess("problem_item", f"problem_{state}", READERS, READERS)


NOTE = {"note": "请于期限内完成整改。"}


def _later(w, role):
    # each role's a later date: an extension performed by the role before stays (延期 stays)
    return {"new_due_on": date(date.today().year + 2 + ROLES.index(role), 12, 31).isoformat(), **NOTE}


# 申请销号 through JSON carries no file: refused with the Chinese reason (422); performed with
# a file (multipart) in tests/test_problems.py
_closure = _in("rectifying").transition("request_closure", by=("unit",), body={"note": "已整改。"})
_closure = replace(
    _closure, ok=tuple(r for r in _closure.ok if r != "unit"), overrides={**_closure.overrides, "unit": 422}
)

declare(
    *listed.reads(),
    listed.transition("list", state_allows=False),  # performed by open_problem only
    listed.transition("sign", by=("unit",)),
    listed.transition("urge", by=IN_CHARGE, stay=True, body=NOTE),
    listed.transition("extend", by=CITY_KEEPERS, stay=True, body=_later),
    _in("rectifying").transition("report_progress", by=("unit",), stay=True, body={"note": "围挡已完成一半。"}),
    _closure,
    _in("closure_requested").transition("accept_closure", by=IN_CHARGE),
    _in("closure_requested").transition("return_closure", by=IN_CHARGE, body=NOTE),
    _in("closed").transition("recheck_pass", by=IN_CHARGE),
    _in("closed").transition("recheck_fail", by=IN_CHARGE, body=_later),
)

# 列入问题清单 from a case's page (the sample filing): its congress's keepers; the others who see
# the filing are refused (403), those who may not add problems at all are refused before the
# record is looked up (403), a county's staff do not find it (404)
declare(
    Expect(
        route="problems:open",
        ok=CITY_KEEPERS,
        overrides={"county_staff": 404},
        args=("=filing.filing", "filing"),
        post="opening problems from a page is tested in test_problems_pages",
    )
)
