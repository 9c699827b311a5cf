"""The generated authorization matrix: every named route (django.urls) and every operation of
/api/openapi.json, requested as every role of the test world, must answer what its module
declared beside its rules (`<module>/expected.py`, see renda/core/access.py). A route or an
operation without a declaration fails the suite, and so does a declaration whose route is
gone.

One world for the whole module (built once, rolled back at the end), one signed-in client
per role."""

from __future__ import annotations

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from factories import add_samples, build_world
from renda.core import access

# the marker makes pytest-django set up the test database; each test runs in a savepoint of
# the module's world (its writes are rolled back)
pytestmark = pytest.mark.django_db
DECLARED = access.declared()
ROLES = access.ROLES


def routes() -> dict[str, str]:
    """Every named route: name -> its pattern."""

    def walk(patterns, namespace, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace and (f"{namespace}:{p.namespace}" if namespace else p.namespace) or namespace
                yield from walk(p.url_patterns, ns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)

    return dict(walk(get_resolver().url_patterns, None, "/"))


def operations() -> set[str]:
    """Every API operation: "METHOD /api/path/{param}"."""
    from renda.api.api import api

    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}


def _is_operation_route(pattern: str, ops: set[str]) -> bool:
    """The route ninja adds for an operation's path (checked as the operation)."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)
    return any(op.split(" ", 1)[1] == path for op in ops)


def test_every_route_and_operation_is_declared():
    ops = operations()
    found = {name for name, pattern in routes().items() if not _is_operation_route(pattern, ops)} | ops
    bases = {e.route or e.api for e in DECLARED.values()}
    all_routes = routes()
    undeclared = sorted(found - bases)
    stale = sorted(bases - found)
    lines = [
        f"  {key}  ({all_routes.get(key, 'API operation')}): declare its outcome per role, e.g. in "
        f"<module>/expected.py: declare(Expect({'route' if ':' in key or ' ' not in key else 'api'}={key!r}, "
        f"ok=(...), refused=403, anonymous=302, args=(...)))"
        for key in undeclared
    ]
    message = ""
    if undeclared:
        message += "Routes / API operations without declared expectations (renda/core/access.py):\n" + "\n".join(lines)
    if stale:
        message += "\nDeclared expectations of routes / operations that no longer exist:\n  " + "\n  ".join(stale)
    assert not undeclared and not stale, message


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The world with its samples and one client per role, once for the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = add_samples(build_world())
            yield world, {role: client(world, role) for role in ROLES}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def client(world, role) -> Client:
    c = Client()
    if role != "public":
        c.force_login(world.users[role])
    return c


def resolve(world, name):
    if not isinstance(name, str):
        return name
    if name.startswith("="):
        return name[1:]
    obj = getattr(world, name, None) or world.samples.get(name)
    if obj is None:
        raise LookupError(f"the test world has no object named {name!r} (tests/factories.py)")
    return obj.pk


def url_of(world, e: access.Expect) -> str:
    args = [resolve(world, a) for a in e.args]
    if e.route:
        url = reverse(e.route, args=args)
    else:
        url = e.api.split(" ", 1)[1]
        for value in args:
            url = re.sub(r"\{\w+\}", str(value), url, count=1)
    if e.query:
        url += "?" + re.sub(r"\{(\w+)\}", lambda m: str(resolve(world, m.group(1))), e.query)
    return url


@pytest.mark.parametrize("key", sorted(DECLARED))
def test_matrix(matrix, django_db_blocker, key):
    world, clients = matrix
    e = DECLARED[key]
    url = url_of(world, e)
    method = "GET" if e.route else e.api.split(" ", 1)[0]
    got = {}
    with django_db_blocker.unblock():
        if method == "GET":
            for role in ROLES:
                response = clients[role].get(url)
                got[role] = response.status_code
                assert response.status_code < 500, f"{key} as {role}"
                if e.api and response.status_code >= 400:
                    assert response.json()["detail"], f"{key} as {role}: every refusal gives a reason"
            assert got == e.expected(), f"{key} GET {url}: {differences(got, e.expected())}"
            if e.api or e.post is None:
                return
        else:
            assert e.body is not None, f"{key}: an API write declares a body builder"
        # writes: a page's POST, an API operation's body, as each role (fresh clients: a write
        # may sign the user out)
        expected = e.writes() if e.route else e.expected()
        got = {}
        for role, status in expected.items():
            if status is None:
                continue
            c = client(world, role)
            if e.route:
                data = e.post(world, role) if callable(e.post) else {}
                response = c.post(url, data)
            else:
                headers = e.headers(world, role) if e.headers else None
                response = c.generic(
                    method, url, json.dumps(e.body(world, role)), content_type="application/json", headers=headers
                )
                if response.status_code >= 400:
                    assert response.json()["detail"], f"{key} as {role}: every refusal gives a reason"
            assert response.status_code < 500, f"{key} as {role}"
            got[role] = response.status_code
        expected = {r: s for r, s in expected.items() if s is not None}
        assert got == expected, f"{key} {method if e.api else 'POST'} {url}: {differences(got, expected)}"


def differences(got, expected) -> str:
    return ", ".join(f"{r} got {got.get(r)} (declared {s})" for r, s in expected.items() if got.get(r) != s)
