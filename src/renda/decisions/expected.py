"""Expected outcomes of the decisions pages and of /api/cases/resolution (see core/access.py and
rules.py). Samples (tests/factories.py::add_decision_samples): the city's resolutions
`resolution_<state>`; an unpublished one is found by the city's oversight roles (members read the
drafts), everyone else gets 404; `resolution_published` is everyone's, the public's included."""

from dataclasses import replace

from renda.core.access import CITY_KEEPERS, EVERYONE, KEEPERS, OVERSIGHT, ROLES, SIGNED_IN, CaseAccess, Expect, declare

SITTING = lambda w, role: {"sitting": w.samples["sitting"].pk}  # noqa: E731

declare(
    # a scoped list: everyone signed in (their congress's resolutions, or the published ones)
    Expect(route="decisions:index", ok=SIGNED_IN),
    # drafting: whoever keeps a congress's records (a county's staff drafts at the county)
    Expect(route="decisions:create", ok=KEEPERS, post="drafting is tested in test_decisions"),
    Expect(route="decisions:resolution", ok=OVERSIGHT, refused=404, args=("resolution_drafting",)),
    Expect(
        route="decisions:resolution", variant="published", ok=SIGNED_IN, refused=404, args=("resolution_published",)
    ),
    # the public pages: published ones only, whoever asks
    Expect(route="decisions_public:index", ok=EVERYONE, anonymous=200),
    Expect(route="decisions_public:resolution", ok=EVERYONE, anonymous=200, args=("resolution_published",)),
    Expect(
        route="decisions_public:resolution",
        variant="not published",
        ok=(),
        refused=404,
        anonymous=404,
        args=("resolution_adopted",),
    ),
)

# ---------------------------------------------------------------- the case API (/api/cases/resolution)
# The city's oversight roles see and follow a resolution; its staff (and administrators) act.


def resolution(state):
    return CaseAccess("resolution", f"resolution_{state}", OVERSIGHT, OVERSIGHT)


declare(
    *resolution("drafting").reads(),
    # scheduling again (another sitting) is allowed from 已列入议程: every keeper gets 200
    resolution("drafting").transition("schedule", by=CITY_KEEPERS, body=SITTING, stay=True),
    # a revised draft: a file is required (422 without one), whoever keeps the records; it stays
    resolution("drafting").transition("revise", by=CITY_KEEPERS, stay=True, then={"admin": 422, "staff": 422}),
    resolution("withdrawable").transition("withdraw", by=CITY_KEEPERS, body={"note": "提请机关申请撤回。"}),
    resolution("scheduled").transition("open_vote", by=CITY_KEEPERS, body={"kind": "secret"}),
    resolution("voting").transition("close_vote", by=CITY_KEEPERS),
    # once published (by the first keeper), everyone finds it but only the oversight roles follow it
    resolution("adopted").transition("publish", by=CITY_KEEPERS, then={r: 403 for r in ROLES if r not in OVERSIGHT}),
)
# a published resolution: everyone finds it; only the oversight roles follow its process
_published = CaseAccess("resolution", "resolution_published", ROLES, OVERSIGHT)
declare(*(replace(e, variant="published") for e in _published.reads()[1:]))
