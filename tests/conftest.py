import pytest

from factories import PASSWORD, build_world


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
