"""Journeys of account security, in a real browser: password reset and change, e-mail change,
TOTP two-factor set-up and sign-in, no account enumeration, failed-login throttling on the site
and the admin. Every e-mail link is read from the outbox, as a member would from their inbox."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import login
from tests.factories import DEFAULT_PASSWORD, MemberFactory
from tests.mfa import totp_code

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "another long and unusual passphrase"


def _link(message, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+/)", message.body).group(1)


def _sign_out(page) -> None:
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not any address ending in /


def test_forgotten_password_is_reset_from_the_emailed_link(page, live_server):
    member = MemberFactory(email="zoe@example.org", first_name="Zoé", last_name="Lambert")
    page.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("Forgot", re.I)).click()
    page.get_by_label("Email").fill(member.email)
    page.get_by_role("button", name="Reset My Password").click()
    page.wait_for_url(re.compile(r".*/accounts/password/reset/done/$"))
    assert [m.to for m in mail.outbox] == [["zoe@example.org"]]

    page.goto(_link(mail.outbox[0], "/accounts/password/reset/key/"))
    page.get_by_label(re.compile(r"^New Password:?$", re.I)).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^New Password \(again\):?$", re.I)).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    page.wait_for_url(re.compile(r".*/accounts/password/reset/key/done/$"))

    login(page, member.email, NEW_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Zoé Lambert"


def test_member_changes_password_then_email(page, live_server):
    member = MemberFactory(email="zoe@example.org")
    login(page, member.email, DEFAULT_PASSWORD)

    page.goto("/accounts/password/change/")
    page.get_by_label(re.compile(r"^Current Password:?$", re.I)).fill(DEFAULT_PASSWORD)
    page.get_by_label(re.compile(r"^New Password:?$", re.I)).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^New Password \(again\):?$", re.I)).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    page.get_by_text("Password successfully changed.").wait_for()
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)

    page.goto("/accounts/email/")
    page.locator('input[name="email"]').fill("zoe@new.example.org")
    page.get_by_role("button", name="Change Email").click()
    page.get_by_text("Your email address is still pending verification.").wait_for()
    assert mail.outbox[-1].to == ["zoe@new.example.org"]
    page.goto(_link(mail.outbox[-1], "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    member.refresh_from_db()
    assert member.email == "zoe@new.example.org"

    _sign_out(page)
    login(page, "zoe@new.example.org", NEW_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_member_sets_up_totp_and_signs_in_with_a_code(page, live_server):
    from allauth.mfa.models import Authenticator

    member = MemberFactory(email="zoe@example.org")
    login(page, member.email, DEFAULT_PASSWORD)
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Activate").first.click()
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    page.get_by_label(re.compile(r"^Authenticator code")).fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.get_by_text("Authenticator app activated.").wait_for()
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    _sign_out(page)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/$"))
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not any address ending in /
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_signup_and_reset_do_not_reveal_who_has_an_account(page, live_server):
    MemberFactory(email="taken@example.org")

    def sign_up(email: str) -> str:
        page.goto("/accounts/signup/")
        page.get_by_label("First name").fill("Someone")
        page.get_by_label("Last name").fill("Else")
        page.get_by_label("Email").fill(email)
        page.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
        page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign Up").click()
        page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
        return page.locator("main").inner_text().replace(email, "EMAIL")

    assert sign_up("taken@example.org") == sign_up("new@example.org")
    # The owner of the taken address is told by e-mail, not the visitor on the page.
    assert sorted(m.to[0] for m in mail.outbox) == ["new@example.org", "taken@example.org"]

    def reset(email: str) -> str:
        page.goto("/accounts/password/reset/")
        page.get_by_label("Email").fill(email)
        page.get_by_role("button", name="Reset My Password").click()
        page.wait_for_url(re.compile(r".*/accounts/password/reset/done/$"))
        return page.locator("main").inner_text()

    assert reset("taken@example.org") == reset("nobody@example.org")


@pytest.mark.parametrize(
    ("url", "field", "button"),
    [("/accounts/login/", "login", "Sign In"), ("/admin/login/", "username", "Log in")],
    ids=["site", "admin"],
)
def test_repeated_failed_logins_are_locked_out(page, live_server, url, field, button):
    member = MemberFactory(email="target@example.org", is_staff=True)
    for _attempt in range(5):
        page.goto(url)
        page.locator(f'input[name="{field}"]').fill(member.email)
        page.get_by_label("Password").fill("not my password")
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
    page.goto(url)
    page.locator(f'input[name="{field}"]').fill(member.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=button).click()
    page.get_by_text("Too many failed sign-in attempts").wait_for()
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
