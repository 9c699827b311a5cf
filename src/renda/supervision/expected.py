"""Expected outcomes of the supervision work pages (see core/access.py and rules.py). The samples
(tests/factories.py::add_supervision_samples) are the city's items about unit_a (市教育局): a work
report, an inspection, an inquiry and a 质询案 not published (the city's oversight roles and
unit_a find them; everyone else gets 404), and a published investigation (every signed-in role)."""

from renda.core.access import CITY_KEEPERS, KEEPERS, OVERSEERS, OVERSIGHT, SIGNED_IN, UNITS, Expect, declare

from .expected_plan import EXPECTED as PLAN_PAGES  # the plan pages and the public pages

# who finds an unpublished item about unit_a
INSIDERS = OVERSIGHT + ("unit",)
# those who find it but may not record on it (the staff's forms)
SEE_NOT_KEEP = {"director": 403, "member": 403, "unit": 403}


def _item(route, sample, ok=INSIDERS):
    return Expect(route=f"supervision:{route}", ok=ok, refused=404, args=(sample,))


def _staff_form(route, *args):
    return Expect(
        route=f"supervision:{route}",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=SEE_NOT_KEEP,
        args=args,
        post="the staff's forms are tested in test_supervision_pages",
    )


declare(
    # a scoped list: everyone signed in (the public's share: published items)
    Expect(route="supervision:index", ok=SIGNED_IN),
    # what an organ owes: a unit's staff
    Expect(route="supervision:dues", ok=UNITS),
    # reading before a sitting: the oversight roles (a county's staff for their county)
    Expect(route="supervision:reading", ok=OVERSEERS),
    Expect(route="supervision:add", ok=KEEPERS, post="adding items is tested in test_supervision_pages"),
    Expect(route="supervision:interpellation_new", ok=KEEPERS, post="tested in test_supervision_pages"),
    _item("report", "supervision_report"),
    _item("inspection", "supervision_inspection"),
    _item("inquiry", "supervision_inquiry"),
    _item("interpellation", "supervision_interpellation"),
    # published: every signed-in role reads it (its public part)
    _item("investigation", "supervision_investigation", ok=SIGNED_IN),
    _staff_form("speech", "=reports", "supervision_report"),
    _staff_form("activity", "=inspections", "supervision_inspection"),
    _staff_form("question", "supervision_inquiry"),
)

declare(*PLAN_PAGES)
