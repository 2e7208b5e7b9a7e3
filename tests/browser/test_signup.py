"""Journey: a visitor signs up, verifies the e-mail address from the message, and arrives signed in."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long and unusual passphrase"


def test_visitor_signs_up_and_verifies_email(page, live_server):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Join now").click()
    page.get_by_label("First name").fill("Zoé")
    page.get_by_label("Last name").fill("Lambert")
    page.get_by_label("Email").fill("zoe@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Verify Your Email Address"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zoe@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)

    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not any address ending in /
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Zoé Lambert"

    page.locator(".menu summary").click()
    page.get_by_role("link", name="View my profile").click()
    page.wait_for_url(re.compile(r".*/in/zoe-lambert/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Zoé Lambert")
