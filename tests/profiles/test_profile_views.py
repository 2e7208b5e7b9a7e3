"""The profile page and its inline editors: access (anonymous, another member, owner),
htmx and no-JavaScript flows, "view as", skill autocomplete, reordering, and the page's
query count whatever the size of the profile."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from carnet.profiles.models import Document, HistoryEntry, Language, Position, ProfileSkill, ProfileVisit, Skill
from carnet.profiles.services import profile_skill_add
from tests.factories import EducationFactory, MemberFactory, PositionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

EDITOR_URLS = [
    "/me/edit/intro/",
    "/me/edit/about/",
    "/me/edit/contact/",
    "/me/edit/image/photo/",
    "/me/edit/image/banner/",
    "/me/edit/skills/",
    "/me/visibility/",
    *[f"/me/edit/{section}/add/" for section in ("positions", "education", "languages", "certifications")],
    *[f"/me/edit/{section}/add/" for section in ("volunteering", "projects", "publications")],
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---------------------------------------------------------------------------------------
# Access.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", EDITOR_URLS)
def test_anonymous_is_sent_to_sign_in_by_every_editor(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", EDITOR_URLS)
def test_owner_gets_every_editor_as_a_page_and_as_an_htmx_card(alice_client, url):
    page = alice_client.get(url)
    assert page.status_code == 200
    assert b"<html" in page.content
    if url != "/me/visibility/":
        card = alice_client.get(url, **HTMX)
        assert card.status_code == 200
        assert b"<html" not in card.content and b"<form" in card.content


OWNER_PAGES = [
    "/me/",
    "/me/documents/",
    "/me/profile-views/",
    "/me/settings/activity/",
    "/me/address/",
    "/me/portability/",
]


@pytest.mark.parametrize("url", OWNER_PAGES)
def test_owner_pages_send_anonymous_visitors_to_sign_in_and_show_a_member_only_their_own(
    client, alice, bob, mallory, url
):
    from carnet.profiles import activity

    activity.visit_record(profile=alice.profile, viewer=bob)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(mallory)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "Bob Durand" not in response.content.decode()  # Alice's visitor, never Mallory's
    client.force_login(alice)
    assert client.get(url, follow=True).status_code == 200


def test_an_editor_only_ever_edits_the_signed_in_members_profile(mallory_client, alice, mallory):
    mallory_client.post("/me/edit/about/", {"about": "Written by Mallory"})
    alice.profile.refresh_from_db()
    mallory.profile.refresh_from_db()
    assert alice.profile.about == ""
    assert mallory.profile.about == "Written by Mallory"


@pytest.mark.parametrize("action", ["", "delete/"])
def test_another_members_item_is_not_found(mallory_client, alice, action):
    position = PositionFactory(profile=alice.profile)
    assert mallory_client.get(f"/me/edit/positions/{position.pk}/{action}").status_code == 404
    assert mallory_client.post(f"/me/edit/positions/{position.pk}/{action}", {}).status_code == 404
    assert Position.objects.filter(pk=position.pk).exists()


def test_another_members_items_cannot_be_moved_or_skills_removed(mallory_client, alice):
    positions = [PositionFactory(profile=alice.profile) for _ in range(2)]
    skill = profile_skill_add(profile=alice.profile, name="Python")
    response = mallory_client.post(f"/me/edit/positions/{positions[1].pk}/move/", {"direction": "up"})
    assert response.status_code == 404
    assert mallory_client.post(f"/me/edit/skills/{skill.pk}/remove/").status_code == 404
    assert ProfileSkill.objects.filter(pk=skill.pk).exists()


def test_profile_page_for_anonymous_member_and_owner(client, alice, mallory):
    alice.profile.headline = "Data engineer"
    alice.profile.save(update_fields=["headline"])
    url = alice.profile.get_absolute_url()
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert b"Data engineer" in anonymous.content and b"Edit intro" not in anonymous.content
    client.force_login(mallory)
    other = client.get(url)
    assert other.status_code == 200 and b"Edit intro" not in other.content and b'id="strength"' not in other.content
    client.force_login(alice)
    owner = client.get(url)
    assert b"Edit intro" in owner.content and b'id="strength"' in owner.content and b'id="view-as"' in owner.content


def test_unknown_profile_is_404(client):
    assert client.get("/in/nobody-here/").status_code == 404


def test_anonymous_visitor_of_a_profile_without_public_name_is_asked_to_sign_in(client, alice):
    alice.profile.visibility = {"name": "members"}
    alice.profile.save(update_fields=["visibility"])
    response = client.get(alice.profile.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# ---------------------------------------------------------------------------------------
# Inline editing.
# ---------------------------------------------------------------------------------------


def test_adding_a_position_with_htmx_returns_the_section_and_signals_the_meter(alice_client, alice):
    data = {
        "positions-title": "Dev",
        "positions-company_name": "Acme",
        "positions-start_date": "2020-01",
        "positions-is_current": "on",
    }
    response = alice_client.post("/me/edit/positions/add/", data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "profileSaved"
    assert b'id="section-positions"' in response.content and b"Acme" in response.content
    assert alice.profile.positions.get().title == "Dev"


def test_without_javascript_a_save_redirects_to_the_section(alice_client, alice):
    response = alice_client.post("/me/edit/about/", {"about": "Hello"})
    assert response.status_code == 302
    assert response["Location"] == f"{alice.profile.get_absolute_url()}#section-about"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"positions-start_date": "2021-05", "positions-end_date": "2020-05"}, "The end date must be after"),
        ({"positions-start_date": "NEXT_MONTH", "positions-end_date": "NEXT_MONTH"}, "in the future"),
        ({"positions-start_date": "2020-13"}, "Enter a month"),
        ({"positions-start_date": "2020-01"}, "Give an end month"),
        ({"positions-start_date": "2020-01", "positions-end_date": "2021-01", "positions-is_current": "on"}, "no end"),
    ],
)
def test_bad_dates_are_shown_in_the_form_and_nothing_is_saved(alice_client, alice, data, message):
    next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
    data = {key: next_month if value == "NEXT_MONTH" else value for key, value in data.items()}
    data = {"positions-title": "Dev", "positions-company_name": "Acme", **data}
    response = alice_client.post("/me/edit/positions/add/", data, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not alice.profile.positions.exists()


def test_education_end_year_before_start_year_is_refused(alice_client, alice):
    data = {"education-school_name": "Lyon 2", "education-start_year": "2015", "education-end_year": "2012"}
    response = alice_client.post("/me/edit/education/add/", data, **HTMX)
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not alice.profile.education.exists()


def test_items_are_reordered_with_up_and_down(alice_client, alice):
    first = Language.objects.create(profile=alice.profile, name="French", order=0)
    second = Language.objects.create(profile=alice.profile, name="English", order=1)
    response = alice_client.post(f"/me/edit/languages/{second.pk}/move/", {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    assert list(alice.profile.languages.values_list("name", flat=True)) == ["English", "French"]
    assert response.content.decode().index("English") < response.content.decode().index("French")
    assert alice_client.post(f"/me/edit/languages/{first.pk}/move/", {"direction": "sideways"}).status_code == 400


def test_skills_are_reordered_and_named_in_their_buttons(alice_client, alice):
    python = profile_skill_add(profile=alice.profile, name="Python")
    sql = profile_skill_add(profile=alice.profile, name="SQL")
    response = alice_client.post(f"/me/edit/skills/{sql.pk}/move/", {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    assert [item.skill.name for item in alice.profile.skills.all()] == ["SQL", "Python"]
    assert "Move “Python” up" in response.content.decode()
    assert python.pk


# ---------------------------------------------------------------------------------------
# Skills catalogue: autocomplete and deduplication.
# ---------------------------------------------------------------------------------------


def test_skill_autocomplete_ignores_case_and_accents(alice_client):
    Skill.objects.create(name="Données ouvertes", normalized="donnees ouvertes")
    Skill.objects.create(name="Open data", normalized="open data")
    for query in ("DONNEES", "données", "Donn"):
        response = alice_client.get("/me/suggest/skills/", {"q": query})
        assert response.status_code == 200
        assert '<option value="Données ouvertes">' in response.content.decode()
        assert "Open data" not in response.content.decode()


def test_skill_autocomplete_needs_a_member(client):
    assert client.get("/me/suggest/skills/", {"q": "py"}).status_code == 302


def test_a_skill_typed_differently_joins_the_catalogue_entry(alice_client, alice, bob):
    profile_skill_add(profile=bob.profile, name="Données ouvertes")
    response = alice_client.post("/me/edit/skills/", {"skills-name": "DONNEES  OUVERTES"}, **HTMX)
    assert response.status_code == 200
    assert Skill.objects.count() == 1
    assert alice.profile.skills.get().skill.name == "Données ouvertes"
    again = alice_client.post("/me/edit/skills/", {"skills-name": "donnees ouvertes"}, **HTMX)
    assert b"errorlist" in again.content
    assert alice.profile.skills.count() == 1


# ---------------------------------------------------------------------------------------
# "View my profile as".
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "shows_languages", "shows_contact"),
    [("public", False, False), ("member", True, False), ("second_degree", True, False), ("connection", True, True)],
)
def test_view_as_renders_what_the_audience_sees(alice_client, alice, key, shows_languages, shows_contact):
    Language.objects.create(profile=alice.profile, name="Occitan")
    alice.profile.contact_email = "alice.pro@example.org"
    alice.profile.save(update_fields=["contact_email"])
    response = alice_client.get(f"{alice.profile.get_absolute_url()}?as={key}")
    content = response.content.decode()
    assert "You are viewing your profile as" in content
    assert ("Occitan" in content) is shows_languages
    assert ("alice.pro@example.org" in content) is shows_contact
    assert "Edit intro" not in content and 'id="strength"' not in content


def test_view_as_is_ignored_for_anyone_but_the_owner(mallory_client, alice):
    Language.objects.create(profile=alice.profile, name="Occitan")
    alice.profile.visibility = {"languages": "connections"}
    alice.profile.save(update_fields=["visibility"])
    content = mallory_client.get(f"{alice.profile.get_absolute_url()}?as=connection").content.decode()
    assert "You are viewing your profile as" not in content
    assert "Occitan" not in content


# ---------------------------------------------------------------------------------------
# Query count: bounded whatever the size of the profile.
# ---------------------------------------------------------------------------------------


def _grow(profile, size: int, *, start: int = 0) -> None:
    """`size` more positions, education lines, skills, languages, visitors, history entries,
    cover letters and recommendations."""
    for i in range(start, start + size):
        Position.objects.create(
            profile=profile,
            title=f"Job {i}",
            company_name=f"Company {i}",
            start_date=datetime.date(2000 + i % 20, 1, 1),
            end_date=datetime.date(2001 + i % 20, 1, 1),
        )
        EducationFactory(profile=profile)
        profile_skill_add(profile=profile, name=f"Skill {i}")
        Language.objects.create(profile=profile, name=f"Language {i}")
        visitor = MemberFactory()
        ProfileVisit.objects.create(profile=profile, viewer=visitor, day=timezone.localdate())
        HistoryEntry.objects.create(profile=profile, kind="new_skill", field="skills", summary=f"Added skill {i}")
        Document.objects.create(
            profile=profile, kind="cover_letter", name=f"Letter {i}", audience="public", text="Dear reader"
        )
        RecommendationFactory(author=visitor, recipient=profile.user, status="accepted")


@pytest.mark.parametrize("viewer", ["anonymous", "connection", "owner"])
def test_profile_page_queries_do_not_grow_with_the_profile(
    client, alice, bob, viewer, django_assert_max_num_queries, settings
):
    # The page as it is rendered when its cached parts miss (the worst case: tests/profiles/
    # test_page_cache.py checks what a hit saves).
    settings.CARNET_FRAGMENT_CACHE = False
    if viewer == "connection":
        client.force_login(bob)
    elif viewer == "owner":
        client.force_login(alice)
    url = alice.profile.get_absolute_url()
    _grow(alice.profile, 1)
    client.get(url)  # warm the caches a first visit fills (sessions, the graph index)
    cache.delete_many([f"profiles:visit:{alice.pk}:{bob.pk}:{timezone.localdate().isoformat()}"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(alice.profile, 25, start=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "Job 25" in response.content.decode()
    assert len(small.captured_queries) <= 24  # 12 anonymous, 21 a connection, 19 the owner (cache off)
