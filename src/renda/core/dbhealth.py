"""The connection health check, done by the request's first statement instead of a SELECT 1.

Django checks a persistent connection (CONN_HEALTH_CHECKS) with one more round trip before a
request's first query. On the paths that thousands of clients take at once (a bearer token's
lookup, the first statement of every API request, a vote storm's included: bench/votes.py) the
first statement is a plain read outside any transaction, so it can be the check itself: when it
fails because the connection is dead (the database restarted, a network cut), the connection is
closed and the read runs once more on a new one — what the health check would have done, minus
the round trip when the connection is alive (always, but for once after a restart).
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError, connection


def first_read(read, *args):
    """`read(*args)` as the request's first statement, standing for the health check.

    Only a read, and only outside a transaction: a statement that failed on a dead connection
    did nothing, so running it again is safe. Anywhere else (a transaction open, the check
    already done this request, health checks off, no connection yet) it is just `read(*args)`."""
    if (
        connection.connection is None
        or connection.health_check_done
        or not connection.health_check_enabled
        or connection.in_atomic_block
    ):
        return read(*args)
    connection.health_check_done = True  # the read below is the check
    try:
        return read(*args)
    except (OperationalError, InterfaceError):
        if connection.is_usable():
            raise  # the statement failed, not the connection
        connection.close()
    return read(*args)  # on a new connection (ensure_connection opens it)
