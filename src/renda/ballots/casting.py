"""The statements of a cast, in SQL: the one path of the platform that thousands of voters
take within seconds (bench/votes.py). The ORM would compile each query anew on every vote,
which costs more CPU than the database spends on them; these are written once per database
vendor, from the models' metadata (tables and columns are never spelled out here), and
keep the ORM's semantics: the same rows, the same lock, the same constraints.

services._cast is their only caller; the rules (who may vote, when, which choices) stay
there. SQLite has no row locks: Renda opens its transactions with BEGIN IMMEDIATE there
(settings), which serializes writers as the lock does on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connection

from . import rules_of_vote
from .models import Ballot, BallotOption, Cast, NamedChoice, SealedPaper, Voter, random_id


@dataclass(frozen=True)
class Facts:
    """What a cast needs to know of its ballot, read in the statement that reads its options.
    Everything but the state is fixed once the ballot is open."""

    pk: int
    state: str
    kind: str
    rule: str
    rule_params: dict
    max_choices: int

    @property
    def mode(self) -> str:
        return rules_of_vote.get(self.rule).mode

    @property
    def is_secret(self) -> bool:
        return self.kind == Ballot.Kind.SECRET


@dataclass(frozen=True)
class Option:
    pk: int | None
    order: int
    position: str


def _columns(model, *names) -> tuple[str, list[str]]:
    q = connection.ops.quote_name
    return q(model._meta.db_table), [q(model._meta.get_field(n).column) for n in names]


@cache
def _statements(vendor: str) -> dict[str, str]:
    voter, (v_id, v_ballot, v_user) = _columns(Voter, "id", "ballot", "user")
    cast, (c_id, c_voter, c_key, c_at) = _columns(Cast, "id", "voter", "idempotency_key", "cast_at")
    option, (o_id, o_ballot, o_order, o_position) = _columns(BallotOption, "id", "ballot", "order", "position")
    ballot, b_cols = _columns(Ballot, "id", "state", "kind", "rule", "rule_params", "max_choices")
    named, (n_cast, n_ballot, n_option) = _columns(NamedChoice, "cast", "ballot", "option")
    sealed, (s_id, s_ballot, s_sealed) = _columns(SealedPaper, "id", "ballot", "sealed")
    lock = " FOR UPDATE OF v" if vendor == "postgresql" else ""
    returning = f" RETURNING {c_id}" if connection.features.can_return_columns_from_insert else ""
    return {
        # the voter's line of the roll, locked, and their cast if any
        "voter": f"SELECT v.{v_id}, c.{c_id} FROM {voter} v LEFT JOIN {cast} c ON c.{c_voter} = v.{v_id} "
        f"WHERE v.{v_ballot} = %s AND v.{v_user} = %s{lock}",
        # read after the lock: a close that committed while we waited is seen
        "facts": f"SELECT o.{o_id}, o.{o_order}, o.{o_position}, "
        + ", ".join(f"b.{c}" for c in b_cols)
        + f" FROM {ballot} b LEFT JOIN {option} o ON o.{o_ballot} = b.{b_cols[0]} WHERE b.{b_cols[0]} = %s",
        "cast": f"INSERT INTO {cast} ({c_voter}, {c_key}, {c_at}) VALUES (%s, %s, %s){returning}",
        "named": f"INSERT INTO {named} ({n_cast}, {n_ballot}, {n_option}) VALUES ",
        "sealed": f"INSERT INTO {sealed} ({s_id}, {s_ballot}, {s_sealed}) VALUES (%s, %s, %s)",
        # PostgreSQL: the cast and its paper in one statement (a data-modifying WITH)
        "cast_named": f"WITH c AS (INSERT INTO {cast} ({c_voter}, {c_key}, {c_at}) VALUES (%s, %s, %s) "
        f"RETURNING {c_id}) INSERT INTO {named} ({n_cast}, {n_ballot}, {n_option}) "
        f"SELECT c.{c_id}, %s, o.id FROM c CROSS JOIN (VALUES {{rows}}) AS o(id)",
        "cast_sealed": f"WITH c AS (INSERT INTO {cast} ({c_voter}, {c_key}, {c_at}) VALUES (%s, %s, %s) "
        f"RETURNING {c_id}) INSERT INTO {sealed} ({s_id}, {s_ballot}, {s_sealed}) SELECT %s, %s, %s FROM c",
    }


def _sql(name: str) -> str:
    return _statements(connection.vendor)[name]


def lock_and_read(ballot_id: int, user_id: int) -> tuple[tuple[int, int | None] | None, Facts | None, dict]:
    """The user's line of the roll, locked — (voter id, cast id or None), None when they are
    not on it — then the ballot's facts and options, read by a second statement.

    The second statement is not joined to the first: a join would read the ballot's state in
    the snapshot of the locking statement, which may predate a close the lock waited for.
    On PostgreSQL both go in one round trip (psycopg's pipeline, with the transaction's BEGIN):
    the server still runs them one after the other, and the second takes its snapshot once
    the first holds the lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as line_cursor, connection.cursor() as facts_cursor:
            # the pipeline raises at its end, outside the cursors' wrapper: Django's own
            # exceptions (and its note that the connection may be broken) come from this one
            with connection.wrap_database_errors, connection.connection.pipeline():
                line_cursor.execute(_sql("voter"), [ballot_id, user_id])
                facts_cursor.execute(_sql("facts"), [ballot_id])
            line, rows = line_cursor.fetchone(), facts_cursor.fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute(_sql("voter"), [ballot_id, user_id])
            line = cursor.fetchone()
            cursor.execute(_sql("facts"), [ballot_id])
            rows = cursor.fetchall()
    return (tuple(line) if line else None), *_facts(rows)


def _facts(rows) -> tuple[Facts | None, dict[int, Option]]:
    if not rows:
        return None, {}
    _, _, _, pk, state, kind, rule, params, max_choices = rows[0]
    params = Ballot._meta.get_field("rule_params").from_db_value(params, None, connection)
    options = {r[0]: Option(r[0], r[1], r[2]) for r in rows if r[0] is not None}
    return Facts(pk, state, kind, rule, params or {}, max_choices), options


def insert_paper(voter_id: int, key: str, at, ballot_id: int, *, options=None, sealed: bytes | None = None):
    """The voter's Cast and their paper: the named choices (`options`: option ids; a blank
    paper is one row without option) or the sealed paper of a secret ballot. One statement on
    PostgreSQL, two elsewhere."""
    at = Cast._meta.get_field("cast_at").get_db_prep_save(at, connection)
    rows = list(options or [None])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if sealed is not None:
                cursor.execute(_sql("cast_sealed"), [voter_id, key, at, random_id(), ballot_id, sealed])
            else:
                sql = _sql("cast_named").format(rows=", ".join([f"(%s::{_option_type()})"] * len(rows)))
                cursor.execute(sql, [voter_id, key, at, ballot_id, *rows])
            return
        cursor.execute(_sql("cast"), [voter_id, key, at])
        cast_id = cursor.fetchone()[0] if connection.features.can_return_columns_from_insert else cursor.lastrowid
        if sealed is not None:
            cursor.execute(_sql("sealed"), [random_id(), ballot_id, sealed])
        else:
            cursor.execute(
                _sql("named") + ", ".join(["(%s, %s, %s)"] * len(rows)),
                [value for option in rows for value in (cast_id, ballot_id, option)],
            )


def _option_type() -> str:
    return NamedChoice._meta.get_field("option").db_type(connection)
