"""The database engine on its own: normalisation, word-prefix matching, filters, order, counts."""

import pytest

from carnet.search.documents import column, normalize, terms
from carnet.search.engines import DatabaseEngine, PeopleQuery, get_engine
from carnet.search.models import SearchDocument
from tests.factories import EducationFactory, MemberFactory, PositionFactory, ProfileSkillFactory, SchoolFactory


def test_normalize_removes_case_accents_and_punctuation():
    assert normalize("  Zoé DUPONT-Martin, C++ ") == "zoe dupont martin c"
    assert normalize("Straße") == normalize("STRASSE") == "strasse"
    assert terms("Dev dev DEV acme") == ["dev", "acme"]
    assert column(["Acme Corp", "acme corp", "", "Globex"]) == " acme corp | globex"


def _search(viewer, **query):
    return get_engine().search(
        PeopleQuery(**{k: v for k, v in query.items() if k != "exclude"}),
        viewer_id=viewer.pk,
        exclude=query.get("exclude", ()),
        offset=0,
        limit=50,
        count_limit=1000,
    )


@pytest.fixture
def people(db, reindex):
    zoe = MemberFactory(first_name="Zoé", last_name="Lefèvre")
    zoe.profile.headline = "Ingénieure données chez Acme"
    zoe.profile.location = "Lyon, France"
    zoe.profile.save()
    PositionFactory(profile=zoe.profile, organization__name="Acme Corp", title="Data engineer")
    ProfileSkillFactory(profile=zoe.profile, skill__name="PostgreSQL")
    EducationFactory(profile=zoe.profile, organization=SchoolFactory(name="École Centrale"))
    max_ = MemberFactory(first_name="Max", last_name="Acmeson")
    max_.profile.headline = "Baker"
    max_.profile.location = "Paris"
    max_.profile.save()
    viewer = MemberFactory(first_name="Viewer", last_name="Person")
    reindex()
    return {"zoe": zoe, "max": max_, "viewer": viewer}


def test_accent_and_case_insensitive_word_prefix(people):
    viewer, zoe = people["viewer"], people["zoe"]
    for text in ("zoe", "ZOÉ lefevre", "lef", "ingenieure", "postgres", "centrale", "data eng", "lyon"):
        assert _search(viewer, text=text).ids == [zoe.pk], text
    assert _search(viewer, text="oe").ids == []  # a prefix of a word, not any substring
    assert _search(viewer, text="zoe baker").ids == []  # every word must match


def test_name_matches_rank_first(people):
    hits = _search(people["viewer"], text="acme")
    assert hits.ids == [people["max"].pk, people["zoe"].pk]
    assert hits.total == 2 and not hits.capped


def test_filters_match_their_own_column(people):
    viewer, zoe, max_ = people["viewer"], people["zoe"], people["max"]
    assert _search(viewer, company="acme").ids == [zoe.pk]  # not Max, whose *name* says Acme
    assert _search(viewer, company="ACME corp").ids == [zoe.pk]
    assert _search(viewer, school="ecole centrale").ids == [zoe.pk]
    assert _search(viewer, location="paris").ids == [max_.pk]
    assert _search(viewer, location="paris", text="zoe").ids == []


def test_exclude_and_inactive_members_are_left_out(people):
    viewer, zoe, max_ = people["viewer"], people["zoe"], people["max"]
    assert _search(viewer, text="acme", exclude=[max_.pk]).ids == [zoe.pk]
    type(zoe).objects.filter(pk=zoe.pk).update(is_active=False)
    assert _search(viewer, text="acme").ids == [max_.pk]


def test_count_stops_at_the_limit(people, reindex):
    for _ in range(4):
        MemberFactory(last_name="Countable")
    reindex()
    hits = get_engine().search(
        PeopleQuery(text="countable"), viewer_id=people["viewer"].pk, exclude=(), offset=1, limit=2, count_limit=3
    )
    assert hits.total == 3 and hits.capped
    assert len(hits.ids) == 2


def test_index_replaces_and_delete_forgets(people):
    engine = DatabaseEngine()
    zoe = people["zoe"]
    engine.delete([zoe.pk])
    assert not SearchDocument.objects.filter(member=zoe).exists()
    assert _search(people["viewer"], text="zoe").ids == []


@pytest.mark.django_db
def test_vector_is_filled_on_postgresql_only(people):
    from django.db import connection

    document = SearchDocument.objects.get(member=people["zoe"])
    assert (document.vector is not None) == (connection.vendor == "postgresql")
    assert document.document.startswith(" zoe lefevre")


def test_postgresql_gives_up_after_the_timeout(people, settings):
    from django.db import connection

    from carnet.search.engines import SearchTimeout

    if connection.vendor != "postgresql":
        pytest.skip("the statement timeout is PostgreSQL's (SQLite searches are a bounded scan)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (before,) = cursor.fetchone()
    settings.CARNET_SEARCH_TIMEOUT_MS = 1

    def slow_search():
        # A query slower than the timeout, run where the engine's queries run.
        from carnet.search import engines

        original = engines.DatabaseEngine._search

        def sleepy(self, query, *args):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.05)")
            return original(self, query, *args)

        engines.DatabaseEngine._search = sleepy
        try:
            return _search(people["viewer"], text="zoe")
        finally:
            engines.DatabaseEngine._search = original

    with pytest.raises(SearchTimeout):
        slow_search()
    settings.CARNET_SEARCH_TIMEOUT_MS = 5000
    assert _search(people["viewer"], text="zoe").ids == [people["zoe"].pk]
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == (before,)  # restored for the rest of the transaction
