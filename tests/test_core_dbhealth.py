"""The request's first read stands for the connection's health check (core.dbhealth): no
SELECT 1 round trip when the connection is alive, a new connection when it is dead."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from renda.core.models import ApiToken, User
from renda.core.services import user_for_token

pytestmark = pytest.mark.django_db(transaction=True)  # outside a transaction, as a request's first read


@pytest.fixture
def secret():
    user = User.objects.create(username="voter")
    secret = "rd_dbhealth"
    ApiToken.objects.create(
        user=user, name="t", prefix=secret[:8], key_hash=hashlib.sha256(secret.encode()).hexdigest()
    )
    return secret


def next_request():
    """What request_started does between two requests: the check is due again."""
    connection.close_if_unusable_or_obsolete()
    assert not connection.health_check_done


def test_the_token_lookup_is_the_health_check(secret, monkeypatch):
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    next_request()
    assert user_for_token(secret).username == "voter"
    assert checks == []  # no SELECT 1 before the lookup
    assert connection.health_check_done  # nor later in this request


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a dead connection: PostgreSQL's")
def test_a_dead_connection_is_replaced_and_the_lookup_answers(secret):
    connection.ensure_connection()
    next_request()
    dead = connection.connection
    dead.close()  # as after a database restart: the pooled connection is dead
    assert user_for_token(secret).username == "voter"
    assert connection.connection is not dead
    assert user_for_token("rd_wrong") is None


def test_inside_a_transaction_nothing_changes(secret, monkeypatch):
    from django.db import transaction

    next_request()
    with transaction.atomic():  # Django's own check ran when the transaction began
        assert connection.health_check_done
        assert user_for_token(secret).username == "voter"
