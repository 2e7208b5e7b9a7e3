"""carnet.core.compiled: a queryset's SQL built once and run again gives what the ORM gives."""

import threading

import pytest
from django.db.models import Count

from carnet.core import compiled as compiled_module
from carnet.core.compiled import CompiledQuery, compiled
from carnet.network.models import Connection
from carnet.network.services import connection_create
from carnet.profiles.models import Profile
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SENTINEL = "\x00marks-the-slug"


def _profiles(slug):
    return Profile.objects.select_related("user").annotate(links=Count("user__connections_out")).filter(slug=slug)


def _shown(profile):
    return (profile.pk, profile.slug, profile.headline, profile.user.email, profile.user.first_name, profile.links)


def test_run_gives_the_orm_instances_with_related_objects_and_annotations(alice, bob, carol, django_assert_num_queries):
    query = CompiledQuery(_profiles(SENTINEL), [SENTINEL])
    for member in (alice, bob, carol):
        with django_assert_num_queries(1):
            found = query.run(member.profile.slug)
            shown = [_shown(profile) for profile in found]  # user and annotation loaded, no query
        assert shown == [_shown(profile) for profile in _profiles(member.profile.slug)]
    assert query.run("nobody-has-this-slug") == []


def test_count_is_the_querysets_count(alice, bob, carol):
    query = CompiledQuery(Connection.objects.filter(member_id=-1), [-1], count=True)
    assert query.count(bob.pk) == Connection.objects.filter(member_id=bob.pk).count() == 2
    connection_create(member=bob, other=MemberFactory())
    assert query.count(bob.pk) == 3 and query.count(MemberFactory().pk) == 0


def test_a_sentinel_that_is_not_exactly_one_parameter_is_refused(caplog, monkeypatch):
    monkeypatch.setattr(compiled_module, "_queries", {})
    twice = Connection.objects.filter(member_id=-1, other_id=-1)
    with pytest.raises(ValueError):
        CompiledQuery(twice, [-1])
    with pytest.raises(ValueError):
        CompiledQuery(Connection.objects.filter(member_id=5), [-1])
    assert compiled("test.twice", lambda: CompiledQuery(twice, [-1])) is None  # the caller uses the ORM
    assert "compiled query test.twice" in caplog.text


def test_built_once_per_process_and_shared_by_threads(monkeypatch, alice, bob):
    # Under ASGI each request has a thread of its own: a per-thread copy would be rebuilt per request.
    monkeypatch.setattr(compiled_module, "_queries", {})
    builds = []

    def build():
        builds.append(threading.get_ident())
        return CompiledQuery(Connection.objects.filter(member_id=-1), [-1], count=True)

    first = compiled("test.shared", build)
    assert compiled("test.shared", build) is first and len(builds) == 1
    other = []
    thread = threading.Thread(target=lambda: other.append(compiled("test.shared", build)))
    thread.start()
    thread.join()
    assert other == [first] and len(builds) == 1
