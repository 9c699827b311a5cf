"""The argument of ballots/casting.lock_and_read, checked on PostgreSQL step by step (review):
a cast that waits for the voter's line locked by a close reads the ballot's state after the
close committed — although the lock and the facts go in one pipeline round trip — and is
refused; nothing is cast. SQLite serializes writers (BEGIN IMMEDIATE): nothing to interleave."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

from renda.ballots import services
from renda.ballots.models import Ballot, Cast, Voter
from test_ballots import make_users, open_ballot, option


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["secret", "named"])
def test_a_cast_waiting_for_the_close_is_refused(kind):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and per-statement snapshots: PostgreSQL only")
    from factories import build_world

    world = build_world()
    voter, *_ = voters = make_users(3)
    ballot = open_ballot(world, voters, kind=kind)
    yes = option(ballot, "赞成")
    outcome = []

    def cast():
        try:
            services.cast(ballot.pk, voter, [yes], idempotency_key="k1")
            outcome.append("cast")
        except ValidationError as exc:
            outcome.append(exc.messages[0])
        finally:
            connection.close()

    with transaction.atomic():  # the close holds every line of the roll until it commits
        services.close_ballot(world.users["staff"], ballot)
        waiting = threading.Thread(target=cast)
        waiting.start()
        time.sleep(1.0)  # the cast has sent its lock and its facts, and waits for the lock
        assert not outcome, "the cast did not wait for the close's lock"
    waiting.join(10)
    assert outcome == ["表决已结束，不能再投票。"]
    assert not Cast.objects.filter(voter__ballot=ballot).exists()
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.CLOSED


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_pipeline_is_djangos(settings):
    """A lock that times out inside the pipelined statements is Django's OperationalError
    (the API's and the views' handlers know it), not a bare psycopg error."""
    if connection.vendor != "postgresql":
        pytest.skip("the pipeline is PostgreSQL's")
    from factories import build_world

    world = build_world()
    voter, *_ = voters = make_users(2)
    ballot = open_ballot(world, voters, kind="named")
    yes = option(ballot, "赞成")
    raised = []

    def cast():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '50ms'")
            services.cast(ballot.pk, voter, [yes], idempotency_key="k1")
        except Exception as exc:  # noqa: BLE001 — the type is the point
            raised.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        list(Voter.objects.select_for_update().filter(ballot=ballot).values_list("pk", flat=True))
        waiting = threading.Thread(target=cast)
        waiting.start()
        waiting.join(10)
    assert len(raised) == 1 and isinstance(raised[0], OperationalError), raised
