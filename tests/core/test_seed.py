"""`carnet seed`: realistic, deterministic, heavy-tailed and clustered, idempotent demo."""

from __future__ import annotations

import datetime
from collections import Counter

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from carnet.accounts.models import User
from carnet.core.seed import DEMO_EMAIL, DEMO_FRIEND_EMAIL, seed_network, seeded_network
from carnet.core.seed.graph import Layer, build_edges, mean_degree, target_degrees
from carnet.feed.models import Post
from carnet.network.models import Connection
from carnet.organizations.models import Organization
from carnet.profiles.models import Education, Language, Position, Profile, ProfileSkill

AS_OF = datetime.date(2025, 6, 1)


def snapshot() -> dict:
    """Every seeded row by natural key (e-mails), so that two seedings compare whatever their ids."""
    email = dict(User.objects.values_list("id", "email"))
    return {
        "users": sorted(User.objects.values_list("email", "first_name", "last_name", "date_joined", "password")),
        "profiles": sorted(
            (email[p["user_id"]], p["slug"], p["headline"], p["location"], p["industry"], p["about"])
            for p in Profile.objects.values()
        ),
        "positions": sorted(
            (
                email[p.profile_id],
                p.organization.name if p.organization else p.company_name,
                p.title,
                p.start_date,
                str(p.end_date),
                p.is_current,
                p.description,
            )
            for p in Position.objects.select_related("organization")
        ),
        "education": sorted(
            (email[e.profile_id], e.organization.name, e.degree, e.field_of_study, e.start_year, e.end_year)
            for e in Education.objects.select_related("organization")
        ),
        "skills": sorted(
            (email[s.profile_id], s.skill.name, s.order) for s in ProfileSkill.objects.select_related("skill")
        ),
        "languages": sorted((email[x.profile_id], x.name, x.proficiency) for x in Language.objects.all()),
        "connections": sorted((email[c.member_id], email[c.other_id], c.created) for c in Connection.objects.all()),
        "posts": sorted((email[p.author_id], p.body, p.audience, p.created) for p in Post.objects.all()),
        "organizations": sorted(Organization.objects.values_list("kind", "name", "slug", "industry", "location")),
    }


def wipe():
    User.objects.all().delete()
    Organization.objects.all().delete()
    from carnet.core.models import Job

    Job.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_same_seed_gives_the_same_network_and_another_seed_another():
    seed_network(members=150, seed=7, as_of=AS_OF)
    first = snapshot()
    wipe()
    seed_network(members=150, seed=7, as_of=AS_OF)
    assert snapshot() == first
    wipe()
    seed_network(members=150, seed=8, as_of=AS_OF)
    other = snapshot()
    assert other["users"] != first["users"]
    assert other["connections"] != first["connections"]


@pytest.mark.django_db
def test_seeded_members_have_complete_profiles_and_no_usable_password():
    report = seed_network(members=300, seed=3, as_of=AS_OF)

    assert report["members"] == 300 and seeded_network() == report
    profiles = Profile.objects.select_related("user")
    assert profiles.count() == 300
    for profile in profiles:
        assert profile.headline and profile.location and profile.about and profile.industry
        assert not profile.user.has_usable_password()
    with_positions = set(Position.objects.values_list("profile_id", flat=True))
    with_education = set(Education.objects.values_list("profile_id", flat=True))
    with_skills = set(ProfileSkill.objects.values_list("profile_id", flat=True))
    everyone = set(profiles.values_list("pk", flat=True))
    assert with_positions == with_education == with_skills == everyone
    # Nothing is dated after the day the network is seeded as of.
    assert not Position.objects.filter(start_date__gt=AS_OF).exists()
    assert not Post.objects.filter(created__date__gte=AS_OF).exists()
    assert Organization.objects.filter(kind="company").count() == report["companies"] >= 20
    assert Organization.objects.filter(kind="school").count() == report["schools"] >= 10
    # Verified e-mail addresses, so that a seeded account behaves as a real one.
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 300


@pytest.mark.django_db
def test_careers_overlap_at_the_same_companies():
    """Former colleagues exist: two members at the same company during the same months."""
    seed_network(members=300, seed=5, as_of=AS_OF)
    spells = {}
    for p in Position.objects.exclude(organization=None).values(
        "organization_id", "profile_id", "start_date", "end_date"
    ):
        spells.setdefault(p["organization_id"], []).append((p["start_date"], p["end_date"] or AS_OF, p["profile_id"]))
    overlapping = 0
    for items in spells.values():
        items.sort()
        for (_s1, e1, m1), (s2, _e2, m2) in zip(items, items[1:], strict=False):
            overlapping += s2 <= e1 and m1 != m2
    assert overlapping >= 50


@pytest.mark.django_db
def test_connections_are_symmetric_clustered_and_within_the_cap(settings):
    settings.CARNET_MAX_CONNECTIONS = 60
    report = seed_network(members=2500, seed=11, as_of=AS_OF, posts_per_member=0)

    rows = set(Connection.objects.values_list("member_id", "other_id"))
    assert all((b, a) in rows for a, b in rows)
    assert not any(a == b for a, b in rows)
    assert len(rows) == 2 * report["connections"]
    degree = Counter(a for a, _b in rows)
    assert max(degree.values()) == 60  # the capped members reach the cap, nobody exceeds it
    assert report["capped"] and all(degree[m] == 60 for m in report["capped"])
    assert 0.01 * 2500 <= report["isolated"] <= 0.04 * 2500

    # Clustering: connected members share a company far more often than random pairs do.
    companies = {}
    for profile_id, org_id in Position.objects.exclude(organization=None).values_list("profile_id", "organization_id"):
        companies.setdefault(profile_id, set()).add(org_id)
    pairs = [(a, b) for a, b in rows if a < b]
    shared = sum(bool(companies.get(a, set()) & companies.get(b, set())) for a, b in pairs) / len(pairs)
    rng = np.random.default_rng(0)
    ids = np.array(sorted(companies))
    random_pairs = rng.choice(ids, size=(len(pairs), 2))
    baseline = sum(bool(companies[a] & companies[b]) for a, b in random_pairs.tolist()) / len(pairs)
    assert shared > 2 * baseline


def test_degree_distribution_is_heavy_tailed():
    """The generator alone (no database), at 20,000 members: most members have tens to a few
    hundred connections, hubs have thousands, a few sit at the cap, some have none."""
    n = 20_000
    rng = np.random.default_rng(1)
    degrees = target_degrees(rng, n, cap=5_000)
    companies = rng.zipf(1.6, n) % 300
    layers = [
        Layer("company", np.arange(n), companies, np.ones(n), 0.45, 0.1),
        Layer("city", np.arange(n), rng.integers(0, 30, n), np.ones(n), 0.1, 0.05),
    ]
    u, v = build_edges(rng, degrees, layers)
    assert np.all(u < v) and len(np.unique(u.astype(np.int64) * n + v)) == len(u)
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)

    assert abs(degree.mean() - mean_degree(n)) < 0.1 * mean_degree(n)
    assert 40 <= np.median(degree) <= 80
    assert np.all(degree <= degrees.target) or np.all(degree[degree > degrees.target] < 5_000)
    assert degree.max() == 5_000 and np.all(degree[degrees.capped] == 5_000)
    assert (degree >= 1_000).sum() >= 5  # hubs with thousands
    assert 0.9 * 0.02 * n <= (degree == 0).sum() <= 0.02 * n + 5
    assert np.percentile(degree, 90) < 300


def test_same_seed_same_graph():
    def edges(seed):
        rng = np.random.default_rng(seed)
        degrees = target_degrees(rng, 3_000, cap=30_000)
        layer = Layer("city", np.arange(3_000), rng.integers(0, 10, 3_000), np.ones(3_000), 0.3, 0.1)
        return build_edges(rng, degrees, [layer])

    (u1, v1), (u2, v2), (u3, _v3) = edges(4), edges(4), edges(5)
    assert np.array_equal(u1, u2) and np.array_equal(v1, v2)
    assert not np.array_equal(u1, u3)


@pytest.mark.django_db
def test_demo_is_idempotent_and_its_member_can_log_in(client, settings):
    call_command("seed", demo=True, members=80, verbosity=0)
    counts = (User.objects.count(), Connection.objects.count(), Post.objects.count(), Organization.objects.count())

    from io import StringIO

    out = StringIO()
    call_command("seed", demo=True, members=80, stdout=out)
    assert "already loaded" in out.getvalue() and DEMO_EMAIL in out.getvalue()
    assert (
        User.objects.count(),
        Connection.objects.count(),
        Post.objects.count(),
        Organization.objects.count(),
    ) == counts

    demo = User.objects.get(email=DEMO_EMAIL)
    profile = demo.profile
    assert profile.positions.count() >= 4 and profile.education.count() == 2 and profile.skills.count() >= 10
    assert demo.connections_out.count() >= 20
    assert demo.connections_out.filter(other__email=DEMO_FRIEND_EMAIL).exists()

    response = client.post(
        reverse("account_login"), {"login": DEMO_EMAIL, "password": settings.CARNET_SEED_DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).wsgi_request.user == demo


@pytest.mark.django_db
def test_second_network_in_the_same_database_is_refused():
    call_command("seed", members=30, seed=1, verbosity=0)
    with pytest.raises(CommandError, match="already holds a seeded network"):
        call_command("seed", members=30, seed=2, verbosity=0)


@pytest.mark.django_db
def test_seed_prints_a_summary(capsys):
    from io import StringIO

    out = StringIO()
    call_command("seed", members=40, seed=2, stdout=out)
    assert "Seeded 40 members" in out.getvalue()


def _index_definitions(model) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        f"{name}:{c['columns']}:{c['unique']}:{c['foreign_key']}"
        for name, c in constraints.items()
        if c["index"] or c["unique"] or c["foreign_key"]
    }


@pytest.mark.django_db
def test_big_loads_rebuild_the_indexes_they_drop(monkeypatch):
    """Above DROP_INDEXES_ROWS a load goes in without secondary indexes (and, on PostgreSQL, foreign
    keys); they all come back."""
    from carnet.core.seed import bulk

    models = (Connection, Post, Position, ProfileSkill, Profile, User)
    before = {model: _index_definitions(model) for model in models}
    monkeypatch.setattr(bulk, "DROP_INDEXES_ROWS", 0)
    seed_network(members=60, seed=9, as_of=AS_OF)
    assert {model: _index_definitions(model) for model in models} == before
    assert Connection.objects.count() > 0
