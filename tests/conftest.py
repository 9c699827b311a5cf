import pytest

from factories import PASSWORD, build_world


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
