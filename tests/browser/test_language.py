"""Journey: a visitor switches the interface to French with the footer's language menu, and back."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_switches_language(page, live_server):
    page.goto("/jobs/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url(re.compile(r".*/jobs/$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    nav = page.get_by_role("navigation", name=re.compile(r"Main|Principal", re.I))
    assert nav.get_by_role("link", name="Accueil").is_visible()
    assert any(c["name"] == "django_language" and c["value"] == "fr" for c in page.context.cookies())

    page.get_by_label(re.compile(r"^Langue")).select_option("en")
    page.locator(".language-form button").click()
    page.wait_for_url(re.compile(r".*/jobs/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Home").first.is_visible()
