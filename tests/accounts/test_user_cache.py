"""The cached user row of CachedModelBackend.get_user: after every change to a member's
account, their next request (and their other sessions') sees it.

These tests run outside a test transaction (transaction=True): inside one, the cache is not
used at all (carnet/accounts/backends.py), and on-commit hooks would never run."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carnet.accounts import backends
from carnet.accounts.backends import CachedModelBackend
from carnet.accounts.services import member_update_name
from carnet.core import tokencache
from tests.factories import DEFAULT_PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

BACKEND = "carnet.accounts.backends.CachedModelBackend"
NEW_PASSWORD = "another long unusual passphrase"


@pytest.fixture
def alice(db):
    return MemberFactory(email="alice@example.org", first_name="Alice", last_name="Martin")


def _signed_in(member):
    client = Client()
    client.force_login(member)
    return client


def _user_queries(client, url="/jobs/") -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return sum('FROM "accounts_user"' in q["sql"] for q in queries.captured_queries)


def _signed_in_as(client):
    response = client.get("/notifications/")
    if response.status_code == 302:
        return None
    return response.context["user"]


def test_the_row_is_read_from_the_cache_until_it_changes(alice):
    client = _signed_in(alice)
    assert client.session[BACKEND_SESSION_KEY] == BACKEND
    assert _user_queries(client) == 1
    assert _user_queries(client) == 0
    member_update_name(user=alice, first_name="Alicia")
    assert _user_queries(client) == 1
    assert "Alicia Martin" in client.get("/jobs/").content.decode()


def test_signing_in_through_the_form_uses_the_cached_backend(client, alice):
    response = client.post("/accounts/login/", {"login": alice.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == BACKEND
    assert _signed_in_as(client).pk == alice.pk


def test_a_password_change_signs_out_the_other_sessions_but_not_this_one(client, alice):
    other = _signed_in(alice)
    assert _signed_in_as(other).pk == alice.pk  # its row is now cached
    client.post("/accounts/login/", {"login": alice.email, "password": DEFAULT_PASSWORD})
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _signed_in_as(other) is None
    assert _signed_in_as(client).pk == alice.pk


def test_a_password_set_outside_a_request_signs_out_every_session(alice):
    client = _signed_in(alice)
    assert _signed_in_as(client).pk == alice.pk
    alice.set_password(NEW_PASSWORD)
    alice.save()
    assert _signed_in_as(client) is None


def test_a_deactivated_member_is_signed_out_on_the_next_request(alice):
    client = _signed_in(alice)
    assert _signed_in_as(client).pk == alice.pk
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert _signed_in_as(client) is None


def test_a_deleted_member_is_signed_out_on_the_next_request(alice):
    client = _signed_in(alice)
    assert _signed_in_as(client).pk == alice.pk
    alice.delete()
    assert _signed_in_as(client) is None


def test_an_email_change_shows_on_the_next_request(alice):
    client = _signed_in(alice)
    assert _signed_in_as(client).email == "alice@example.org"
    alice.email = "alice@example.net"
    alice.save(update_fields=["email"])
    assert _signed_in_as(client).email == "alice@example.net"


def test_last_login_is_fresh_after_signing_in_again(alice):
    first = _signed_in(alice)
    seen = _signed_in_as(first).last_login
    _signed_in(alice)  # force_login sends user_logged_in: last_login is saved
    assert _signed_in_as(first).last_login > seen


def test_a_change_rolled_back_leaves_the_cached_row_right(alice):
    client = _signed_in(alice)
    assert _signed_in_as(client).first_name == "Alice"

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        member_update_name(user=alice, first_name="Never")
        # Inside the transaction the row is read from the database, and not cached.
        assert CachedModelBackend().get_user(alice.pk).first_name == "Never"
        raise Rollback
    assert _signed_in_as(client).first_name == "Alice"
    with transaction.atomic():
        member_update_name(user=alice, first_name="Alicia")
    assert _signed_in_as(client).first_name == "Alicia"


def test_a_row_made_stale_while_it_was_read_is_never_served(alice, monkeypatch):
    """A request reads the row, the password is changed and committed, then the request stores
    the old row: the next request must still see the new password."""
    read = backends.ModelBackend.get_user

    def read_then_write(self, user_id):
        before = read(self, user_id)
        monkeypatch.setattr(backends.ModelBackend, "get_user", read)
        alice.set_password(NEW_PASSWORD)
        alice.save()
        return before

    monkeypatch.setattr(backends.ModelBackend, "get_user", read_then_write)
    backend = CachedModelBackend()
    assert not backend.get_user(alice.pk).check_password(NEW_PASSWORD)  # the racing request
    assert backend.get_user(alice.pk).check_password(NEW_PASSWORD)


def test_sessions_opened_with_the_plain_model_backend_stay_signed_in(alice):
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert _signed_in_as(client).pk == alice.pk


def test_unknown_and_inactive_members_are_not_signed_in(alice):
    backend = CachedModelBackend()
    assert backend.get_user(alice.pk + 1000) is None
    alice.is_active = False
    alice.save()
    assert backend.get_user(alice.pk) is None
    assert backend.get_user(alice.pk) is None


def test_the_cached_row_is_the_whole_row(alice):
    backend = CachedModelBackend()
    fresh = backend.get_user(alice.pk)
    cached = backend.get_user(alice.pk)
    assert cached is not fresh
    names = [field.attname for field in type(alice)._meta.concrete_fields]
    assert [getattr(cached, n) for n in names] == [getattr(fresh, n) for n in names]
    assert cached.get_session_auth_hash() == fresh.get_session_auth_hash()
    assert not cached._state.adding


def test_signing_in_works_without_the_cache(alice, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(tokencache.cache, "get", broken)
    assert CachedModelBackend().get_user(alice.pk).pk == alice.pk
    monkeypatch.setattr(tokencache.cache, "delete_many", broken)
    member_update_name(user=alice, first_name="Alicia")  # the write does not fail
    assert CachedModelBackend().get_user(alice.pk).first_name == "Alicia"


def test_sessions_opened_with_allauths_backend_stay_signed_in(alice):
    client = Client()
    client.force_login(alice, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert _signed_in_as(client).pk == alice.pk


def test_allauth_signs_in_with_its_cached_backend(alice):
    from allauth.account.adapter import get_adapter
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    SessionMiddleware(lambda request: None).process_request(request)
    request.user = AnonymousUser()
    get_adapter(request).login(request, type(alice).objects.get(pk=alice.pk))
    assert request.session[BACKEND_SESSION_KEY] == "carnet.accounts.backends.CachedAllauthBackend"


def test_a_wrong_password_is_checked_as_often_as_before(client, alice, monkeypatch):
    """Twice (ModelBackend's and allauth's check): the plain backends kept for older sessions
    do not check it again."""
    checks = []
    check_password = type(alice).check_password

    def counted(user, raw_password):
        checks.append(raw_password)
        return check_password(user, raw_password)

    monkeypatch.setattr(type(alice), "check_password", counted)
    response = client.post("/accounts/login/", {"login": alice.email, "password": "not it"})
    assert response.status_code == 200
    assert len(checks) == 2
    checks.clear()
    client.post("/accounts/login/", {"login": alice.email, "password": DEFAULT_PASSWORD})
    assert len(checks) == 1
    assert client.session[BACKEND_SESSION_KEY] == BACKEND
