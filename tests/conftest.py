from pathlib import Path

import pytest

from factories import PASSWORD, build_world

# `make test` runs the suite once on PostgreSQL (production) and, on SQLite (the embedded
# default of `make demo`), the browser tests and these files: the code with a branch per
# database (ballots' casting, the token lookup, the audit triggers, backups, numbering) and the
# demo. Everything else is database-neutral ORM code, and running it twice cost half the
# test time. A file whose code gains a vendor branch is added here.
EMBEDDED_TOO = {
    "test_api.py",
    "test_audit_chain.py",
    "test_backup.py",
    "test_ballot_page.py",
    "test_ballots.py",
    "test_demo.py",
    "test_fuzz_api.py",
    "test_meetings.py",
    "test_numbering.py",
    "test_report_years.py",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).name in EMBEDDED_TOO:
            item.add_marker(pytest.mark.embedded)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttles count in the cache (one per process here): each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client, world):
    """client_for("staff") → a test client signed in as that world user ("public": anonymous)."""
    from django.test import Client

    def make(role):
        c = Client()
        if role != "public":
            c.force_login(world.users[role])
        return c

    return make


@pytest.fixture
def password():
    return PASSWORD


def pytest_terminal_summary(terminalreporter):
    """The fuzz tests' figures (requests made, server errors), when any ran."""
    from fuzzing import STATS

    if STATS:
        terminalreporter.section("fuzz")
        for name, counts in sorted(STATS.items()):
            terminalreporter.write_line(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
