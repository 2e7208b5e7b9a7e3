"""carnet.core.fragments: keys carry the language and the values; fragments see no request."""

import pytest
from django.utils import translation

from carnet.core import fragments

pytestmark = pytest.mark.django_db


def test_the_key_depends_on_the_values_the_language_and_the_templates(monkeypatch):
    key = fragments.fragment_key("core/_post.html", (1, "text"))
    assert key == fragments.fragment_key("core/_post.html", (1, "text"))
    assert key != fragments.fragment_key("core/_post.html", (1, "other text"))
    assert key != fragments.fragment_key("core/_post.html", ("1", "text"))
    assert key != fragments.fragment_key("profiles/_card.html", (1, "text"))
    with translation.override("fr"):
        assert key != fragments.fragment_key("core/_post.html", (1, "text"))
    monkeypatch.setattr(fragments, "_salt", lambda: "templates changed")
    assert key != fragments.fragment_key("core/_post.html", (1, "text"))


def test_a_fragment_is_rendered_once_then_read_from_the_cache():
    calls = []

    def context():
        calls.append(1)
        return {"view": None, "sections": {}, "part": "none"}

    first = fragments.render("profiles/_parts.html", context, ("test", 1))
    second = fragments.render("profiles/_parts.html", context, ("test", 1))
    assert first == second and len(calls) == 1
    fragments.render("profiles/_parts.html", context, ("test", 2))
    assert len(calls) == 2


def test_each_language_gets_its_own_fragment(alice):
    from carnet.core.visibility import Relation
    from carnet.profiles.selectors import card_values, profile_view

    # A member outside the viewer's network: the card says so, in the viewer's language.
    view = profile_view(alice.profile, relation=Relation.MEMBER, degree=None, card=True)
    with translation.override("fr"):
        french = fragments.render("profiles/_card.html", {"view": view}, card_values(view))
    english = fragments.render("profiles/_card.html", {"view": view}, card_values(view))
    assert french != english


def test_without_the_cache_every_fragment_is_rendered(settings):
    settings.CARNET_FRAGMENT_CACHE = False
    calls = []

    def context():
        calls.append(1)
        return {"view": None, "sections": {}, "part": "none"}

    fragments.render("profiles/_parts.html", context, ("test", 1))
    fragments.render("profiles/_parts.html", context, ("test", 1))
    assert len(calls) == 2
