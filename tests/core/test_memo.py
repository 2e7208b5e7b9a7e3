"""{% memo %}: pieces of the shell rendered once per process and language, shared by every member.
What must never happen: one member's name, CSRF token, query or active menu item in another's page."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import set_script_prefix
from django.utils import translation

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _signed_in(member, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(member)
    return client


def _csrf_tokens(html):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html) + re.findall(
        r'"X-CSRFToken": "([^"]+)"', html
    )


def test_each_member_sees_their_own_name_and_tokens_in_the_shared_shell(alice, mallory):
    alice_html = _signed_in(alice).get("/jobs/").content.decode()
    mallory_html = _signed_in(mallory).get("/jobs/").content.decode()
    assert "Alice Martin" in alice_html and "Alice Martin" not in mallory_html
    assert mallory.display_name in mallory_html
    # Logout form, language form and the htmx header: each carries the member's own token.
    alice_tokens, mallory_tokens = _csrf_tokens(alice_html), _csrf_tokens(mallory_html)
    assert len(alice_tokens) == len(mallory_tokens) == 3
    assert all(alice_tokens) and all(mallory_tokens)
    assert not set(alice_tokens) & set(mallory_tokens)


def test_the_next_url_of_the_language_form_is_the_current_page(alice):
    client = _signed_in(alice)
    assert '<input name="next" type="hidden" value="/jobs/">' in client.get("/jobs/").content.decode()
    assert '<input name="next" type="hidden" value="/messaging/">' in client.get("/messaging/").content.decode()


def test_the_search_box_keeps_the_query_on_the_search_page_only(alice):
    client = _signed_in(alice)
    html = client.get("/search/", {"q": 'ann"<b>'}).content.decode()
    assert 'value="ann&quot;&lt;b&gt;"></form>' in html
    assert 'name="q" maxlength="200" placeholder="Search" value=""></form>' in client.get("/jobs/").content.decode()


@pytest.mark.parametrize("url", ["/jobs/", "/messaging/", "/", "/notifications/"])
def test_the_active_menu_item_follows_the_page(alice, url):
    client = _signed_in(alice)
    client.get("/network/")  # another page first: its active item must not stick
    nav = re.search(r'<nav aria-label="Main".*?</nav>', client.get(url).content.decode(), re.S).group(0)
    active = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    assert active == [url]


def test_anonymous_and_member_shells_do_not_mix(alice):
    member_html = _signed_in(alice).get("/jobs/").content.decode()
    anonymous_html = Client().get("/jobs/").content.decode()
    assert "Sign out" in member_html and "Join now" not in member_html and 'role="search"' in member_html
    assert "Sign out" not in anonymous_html and "Join now" in anonymous_html and 'role="search"' not in anonymous_html
    assert "unread-badge" not in anonymous_html
    assert 'aria-current="page">Sign in<' in Client().get("/accounts/login/").content.decode()


def test_each_language_gets_its_own_shell(alice):
    english = _signed_in(alice, "en").get("/jobs/").content.decode()
    french = _signed_in(alice, "fr").get("/jobs/").content.decode()
    again = _signed_in(alice, "en").get("/jobs/").content.decode()
    assert ">My network<" in english and ">Sign out<" in english and "Aller au contenu" not in english
    assert "Aller au contenu" in french and ">My network<" not in french
    assert '<option value="fr" selected lang="fr">' in french and '<option value="en" selected lang="en">' in again


def test_the_site_name_setting_shows_at_once(client, settings):
    client.get("/")
    settings.SITE_NAME = "Other Carnet"
    html = client.get("/").content.decode()
    assert '<a class="brand" href="/">Other Carnet</a>' in html
    assert "Other Carnet — free software under the AGPL." in html


def test_a_piece_sees_only_the_values_it_names():
    piece = Template("{% load memo %}{% memo shown=shown %}[{{ shown }}|{{ secret }}|{% csrf_token %}]{% endmemo %}")
    first = piece.render(Context({"shown": "a", "secret": "alice's", "csrf_token": "t1"}))
    assert first == "[a||]"
    assert piece.render(Context({"shown": "b", "secret": "x"})) == "[b||]"
    assert piece.render(Context({"shown": "a", "secret": "y"})) == "[a||]"


def test_a_piece_is_rendered_once_per_language_and_values():
    piece = Template("{% load i18n memo %}{% memo n=n %}{% translate 'Home' %} {{ n }}{% endmemo %}")
    with translation.override("fr"):
        assert piece.render(Context({"n": 1})) == "Accueil 1"
    assert piece.render(Context({"n": 1})) == "Home 1"
    assert piece.render(Context({"n": 2})) == "Home 2"
    assert len(piece.nodelist[-1].rendered) == 3


def test_a_piece_follows_the_script_prefix():
    piece = Template("{% load memo %}{% memo %}{% url 'core:jobs' %}{% endmemo %}")
    assert piece.render(Context()) == "/jobs/"
    try:
        set_script_prefix("/carnet/")
        assert piece.render(Context()) == "/carnet/jobs/"
    finally:
        set_script_prefix("/")
    assert piece.render(Context()) == "/jobs/"


def test_a_block_inside_a_piece_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load memo %}{% memo %}{% block x %}{% endblock %}{% endmemo %}")


def test_positional_arguments_are_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load memo %}{% memo user %}{% endmemo %}")


def test_many_members_share_the_pieces_without_mixing(db):
    members = MemberFactory.create_batch(3)
    for member in members:
        html = _signed_in(member).get("/jobs/").content.decode()
        assert html.count(member.display_name) == 2
        for other in members:
            if other != member:
                assert other.display_name not in html
