"""Shared test fixtures: alice (the owner), bob (her connection), carol (2nd degree, through
bob) and mallory (a stranger). "Mallory should have no access to Alice's stuff."""

import pytest


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder, an in-memory outbox and an empty cache."""
    from django.core.cache import cache

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def alice(db):
    from tests.factories import MemberFactory

    return MemberFactory(email="alice@example.org", first_name="Alice", last_name="Martin")


@pytest.fixture
def bob(db, alice):
    from carnet.network.services import connection_create
    from tests.factories import MemberFactory

    bob = MemberFactory(email="bob@example.org", first_name="Bob", last_name="Durand")
    connection_create(member=alice, other=bob)
    return bob


@pytest.fixture
def carol(db, bob):
    from carnet.network.services import connection_create
    from tests.factories import MemberFactory

    carol = MemberFactory(email="carol@example.org", first_name="Carol", last_name="Petit")
    connection_create(member=bob, other=carol)
    return carol


@pytest.fixture
def mallory(db):
    from tests.factories import MemberFactory

    return MemberFactory(email="mallory@example.org", first_name="Mallory", last_name="Stranger")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def mallory_client(client, mallory):
    client.force_login(mallory)
    return client
