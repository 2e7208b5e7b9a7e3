"""Shared test fixtures: alice (the owner), bob (her connection), carol (2nd degree, through
bob) and mallory (a stranger). "Mallory should have no access to Alice's stuff."""

import os

import pytest


def pytest_configure(config):
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
    from django.test.signals import clear_cache_handlers

    # Django's PBKDF2 (1,000,000 rounds) costs ~0.3-0.5 s per password on the CI machine, and
    # every member a factory makes and every sign-in pays it: a fast hasher in tests. What is
    # tested is who may sign in, not the strength of the hash (Django tests that).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()

    # Under pytest-xdist every worker has its own test database (pytest-django suffixes its
    # name); give it its own cache keys too, so that workers sharing one Redis (REDIS_URL in CI)
    # never read or clear each other's counters.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return

    for alias in settings.CACHES.values():
        alias["KEY_PREFIX"] = f"{alias.get('KEY_PREFIX', '')}-{worker}"
    clear_cache_handlers(setting="CACHES")


def _clear_cache() -> None:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]  # the backend itself: django.core.cache.cache is a proxy

    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    # RedisCache.clear() is FLUSHDB: it would wipe the keys of every other worker and run.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder, an in-memory outbox and an empty cache, and ends in
    the default language."""
    _clear_cache()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    # A request in French leaves French active in this thread (LocaleMiddleware activates the
    # request's language and nothing deactivates it): the next test of the worker would read
    # French messages outside a request.
    from django.utils import translation

    translation.deactivate()


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
