"""On PostgreSQL the cast's insert carries its transaction's COMMIT (ballots.casting.insert_paper,
one round trip less): a conflict the insert meets still aborts it and is raised as Django's
IntegrityError, the transaction is rolled back, and the vote is answered as before; inside a
caller's transaction the insert commits nothing."""

from __future__ import annotations

import pytest
from django.db import connection

from renda.ballots import casting, services
from renda.ballots.models import Cast, NamedChoice, SealedPaper
from test_ballots import make_users, open_ballot, option

pytestmark = pytest.mark.django_db(transaction=True)  # the cast's own transaction, committed


@pytest.fixture
def world():
    from factories import build_world

    return build_world()


@pytest.mark.parametrize("kind", ["named", "secret"])
def test_a_conflict_raised_by_the_commit_is_answered(world, kind, monkeypatch):
    voter = make_users(1)[0]
    ballot = open_ballot(world, [voter], kind=kind)
    yes, no = option(ballot, "赞成"), option(ballot, "反对")
    first = services.cast(ballot, voter, [yes], idempotency_key="one")
    assert not first.replayed
    # As if the lock had not seen the first cast: the second insert meets the unique voter.
    read = casting.lock_and_read
    monkeypatch.setattr(casting, "lock_and_read", lambda *a: ((read(*a)[0][0], None), *read(*a)[1:]))
    again = services.cast(ballot, voter, [no], idempotency_key="one")
    assert again.replayed and again.cast_at == first.cast_at
    with pytest.raises(services.AlreadyVoted):
        services.cast(ballot, voter, [no], idempotency_key="two")
    assert not connection.in_atomic_block and connection.is_usable()
    assert Cast.objects.filter(voter__ballot=ballot).count() == 1
    papers = SealedPaper if kind == "secret" else NamedChoice
    assert papers.objects.filter(ballot=ballot).count() == 1


def test_a_vote_commits(world):
    voters = make_users(2)
    ballot = open_ballot(world, voters, kind="named")
    receipt = services.cast(ballot, voters[0], [option(ballot, "赞成")], idempotency_key="k")
    assert receipt.choices == (option(ballot, "赞成"),)
    assert list(NamedChoice.objects.filter(ballot=ballot).values_list("option", flat=True)) == [receipt.choices[0]]
    assert services.cast(ballot, voters[0], [option(ballot, "赞成")], idempotency_key="k").replayed


def test_the_insert_commits_only_the_casts_own_transaction(world):
    from django.db import transaction

    voters = make_users(2)
    ballot = open_ballot(world, voters, kind="named")
    seen = []
    with connection.execute_wrapper(lambda execute, sql, *a: seen.append(sql) or execute(sql, *a)):
        services.cast(ballot, voters[0], [option(ballot, "赞成")], idempotency_key="k")
        assert seen[-1].endswith("; COMMIT") == (connection.vendor == "postgresql")
        seen.clear()
        with transaction.atomic():  # a caller's transaction: its own commit, later
            services.cast(ballot, voters[1], [option(ballot, "反对")], idempotency_key="k")
            assert not any("COMMIT" in sql for sql in seen)
            assert connection.in_atomic_block
    assert Cast.objects.filter(voter__ballot=ballot).count() == 2
