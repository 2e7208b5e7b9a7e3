"""Journey: a member signs in through the real form, lands home, and signs out."""

import re

import pytest

from tests.browser.conftest import login
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_signs_in_and_out(page, live_server):
    from tests.factories import MemberFactory

    MemberFactory(email="zoe@example.org", first_name="Zoé", last_name="Lambert")
    login(page, "zoe@example.org", DEFAULT_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Zoé Lambert"
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not any address ending in /
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").is_visible()


def test_wrong_password_is_refused_politely(page, live_server):
    from tests.factories import MemberFactory

    MemberFactory(email="zoe@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("zoe@example.org")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign In").click()
    assert page.get_by_text("not correct").is_visible()
    assert page.url.endswith("/accounts/login/")
