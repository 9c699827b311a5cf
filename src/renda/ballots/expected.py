"""Expected outcomes of the ballot API (see core/access.py and rules.py). The sample is an
open secret ballot of the city's deputies (the roll: deputy and other_deputy)."""

from renda.core.access import DEPUTIES, Expect, declare, idempotency_key

# the managers of the city's ballots, and the voters on its roll
SEE_OPEN = ("admin", "staff") + DEPUTIES


def _vote(w, role):
    ballot = w.samples["ballot"]
    return {"choices": [ballot.options.get(label="赞成").pk]}


declare(
    Expect(api="GET /api/ballots/{ballot_id}", ok=SEE_OPEN, refused=404, anonymous=404, args=("ballot",)),
    # only voters on the roll vote; managers see the ballot but are not on its roll
    Expect(
        api="POST /api/ballots/{ballot_id}/votes",
        ok=DEPUTIES,
        status=201,
        refused=404,
        anonymous=403,
        overrides={"admin": 403, "staff": 403},
        args=("ballot",),
        body=_vote,
        headers=idempotency_key,
    ),
    # no result while the ballot is open: 409 to whoever sees it, 404 to the rest
    Expect(
        api="GET /api/ballots/{ballot_id}/result", ok=SEE_OPEN, status=409, refused=404, anonymous=404, args=("ballot",)
    ),  # fmt: skip
)

# the ballot page (views.py): the same readers as the API; votes, opening and closing by POST
# are tested in tests/test_ballot_page.py
declare(
    Expect(
        route="ballots:ballot",
        ok=SEE_OPEN,
        refused=404,
        args=("ballot",),
        post="casting, opening and closing: tests/test_ballot_page.py",
    ),
)
