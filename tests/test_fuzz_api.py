"""Schemathesis over every operation of /api/openapi.json, as each role of the test world
(a bearer token per account) and as the public: no request may get a 5xx, every 4xx says
why in Chinese, and every answer conforms to the documented response schema.

The generator cannot guess the ids of real records, so most examples are aimed: path
parameters and reference fields of the bodies (congress, term, unit, committee, filing…)
are drawn from the records of the world (the case API's transitions get the sample cases
of add_case_samples, one in each state a transition starts from), the others stay as
generated. Each example runs in a savepoint that is rolled back, so that every example
meets the same world (a transition does not move the sample case for the next one).

Bounded in `make test` (roles_for: each operation as three roles, derandomized, once, on
SQLite); `make fuzz` sets RENDA_FUZZ_EXAMPLES (random, that many examples per operation
and role, every role, on the database of DATABASE_URL).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factories import ROLES, add_samples
from fuzzing import DEEP, api_settings, report
from renda.core import services
from renda.core.models import ApiToken, Body, Congress, Deputy, HandlingUnit, Term
from renda.reports import metrics
from renda.workflow.registry import case_types

pytestmark = pytest.mark.fuzz

CJK = re.compile(r"[\u4e00-\u9fff]")

# The schema is read from the WSGI app without touching the database; each generated case
# is sent through the real WSGI handler (middleware included).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_db_connection():
    """Schemathesis drives the real WSGI handler, whose request signals close the database
    connection (and with it the test transaction on PostgreSQL). Django's test Client
    disconnects them around each request; do the same for the whole fuzz test."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(world, keep_db_connection):
    """The test world with its samples, a token for every account, and the pools of real
    ids that aimed examples draw from."""
    add_samples(world)
    tokens = {}
    for role in ROLES:
        if role != "public":
            _, tokens[role] = services.issue_api_token(world.users[role], "模糊测试")
    cases = {}
    for case_type in case_types():
        cases[case_type.key] = list(case_type.model.objects.order_by("pk").values_list("pk", flat=True))
    units = list(HandlingUnit.objects.values_list("pk", flat=True))
    congresses = list(Congress.objects.values_list("pk", flat=True))
    ballot = world.samples["ballot"]
    refs = {
        "congress": congresses,
        "congress_id": congresses,
        "term": list(Term.objects.values_list("pk", flat=True)),
        "unit_id": units,
        "unit": units,
        "lead_unit": units,
        "parent": units,
        "committee": list(Body.objects.values_list("pk", flat=True)),
        "deputy_id": list(Deputy.objects.values_list("pk", flat=True)),
        "ballot_id": [ballot.pk],
        "filing": cases.get("filing", []),
        "filing_id": cases.get("filing", []),
        "into": cases.get("suggestion", []),
        "metric_id": [m.id for m in metrics.all_metrics()],
        "year": [2020, 2021],
        "filer": [f"unit:{pk}" for pk in units] + [f"congress:{pk}" for pk in congresses],
        # choices the schema types as plain strings: without them a write stops at validation
        "kind": sorted(set(Body.Kind.values) | set(HandlingUnit.Kind.values)),
        "gender": ["M", "F"],
        "occupation": list(Deputy.Occupation.values),
    }
    lists = {
        "assisting_units": units,
        "choices": list(ballot.options.values_list("pk", flat=True)),
    }
    assert ApiToken.objects.filter(name="模糊测试").count() == len(ROLES) - 1
    return {"tokens": tokens, "cases": cases, "refs": refs, "lists": lists}


def _aim(case, data, pools) -> None:
    """Replace, in about half the examples, the ids the generator made up by real ones
    (`aim` is true for the simplest draw, so that the first example is aimed)."""

    def aim(name):
        return not data.draw(st.booleans(), label=f"keep generated {name}")

    refs, lists = pools["refs"], pools["lists"]
    path = case.operation.path
    params = case.path_parameters or {}
    for name in list(params):
        pool = refs.get(name)
        if name == "id" and path.startswith("/api/cases/"):
            pool = pools["cases"].get(path.split("/")[3])
        if pool and aim(name):
            params[name] = data.draw(st.sampled_from(pool), label=name)
    for container in (case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name in list(container):
            if name in refs and refs[name] and aim(name):
                container[name] = data.draw(st.sampled_from(refs[name]), label=name)
            elif name in lists and lists[name] and aim(name):
                container[name] = data.draw(st.lists(st.sampled_from(lists[name]), max_size=3, unique=True))


def roles_for(index: int) -> list[str]:
    """Every role in the deep run. The bounded run is one pass on the first database of
    `make test` (SQLite): each operation as the staff (who may do most), the public, and
    one more role in turn, so that every role meets some eight operations."""
    if DEEP:
        return list(ROLES)
    return list(dict.fromkeys(["staff", "public", ROLES[index % len(ROLES)]]))


def test_api_fuzz_every_operation(fuzz_world):
    """Every operation of the API, a bounded number of examples each, as the roles of
    roles_for (one world for all: every example is rolled back)."""
    if not DEEP and connection.vendor != "sqlite":
        pytest.skip("bounded API fuzzing runs once, on SQLite; make fuzz runs on any database")
    failures, stats = [], {}
    for index, operation in enumerate(OPERATIONS):
        for role in roles_for(index):
            headers = {} if role == "public" else {"Authorization": f"Bearer {fuzz_world['tokens'][role]}"}
            counts = stats.setdefault(role, Counter())
            before = counts["requests"]
            _fuzz_operation(operation, role, headers, fuzz_world, counts, failures)
            assert counts["requests"] > before, (role, operation.method, operation.path)
    for role, counts in stats.items():
        report(f"api as {role}", counts)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:10])


def _fuzz_operation(operation, role, headers, pools, stats, failures) -> None:
    seen = set()  # one report per operation and kind of failure

    @api_settings()
    @given(case=operation.as_strategy(), data=st.data())
    def run(case, data):
        _aim(case, data, pools)
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)  # the next example meets the same world
        stats["requests"] += 1
        stats[f"{response.status_code // 100}xx"] += 1
        problem = _problem(case, response)
        if problem:
            stats["failures"] += 1
            if response.status_code >= 500:
                stats["server_errors"] += 1
            key = (response.status_code, problem.splitlines()[0][:80])
            if key not in seen:
                seen.add(key)
                failures.append(
                    f"[{role}] {case.method} {case.formatted_path} query={case.query} body={_short(case.body)} "
                    f"→ {response.status_code}: {problem}\n{response.text[:400]}"
                )

    run()


def _problem(case, response) -> str:
    if response.status_code >= 500:
        return "server error"
    try:
        case.validate_response(response, checks=CHECKS)
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis: a failed check, or a group of them
        return str(exc)[:600]
    if response.status_code >= 400 and response.status_code != 405:
        try:
            detail = response.json().get("detail")
        except ValueError:
            return "4xx without a JSON body"
        if not CJK.search(str(detail or "")):
            return f"4xx without a Chinese reason: {detail!r}"
    return ""


def _short(body) -> str:
    text = repr(body)
    return text if len(text) < 300 else text[:300] + "…"
