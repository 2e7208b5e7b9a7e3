"""Journey: a member who turned on two-factor sign-in reads their recovery codes; the "Unused
codes" label names the box and sits above it, on a wide screen too (it used to sit beside
the box's last line, as if it labelled what follows)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login
from tests.factories import DEFAULT_PASSWORD, MemberFactory
from tests.mfa import totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_recovery_codes_label_precedes_the_codes(page, live_server):
    member = MemberFactory(email="zoe@example.org")
    login(page, member.email, DEFAULT_PASSWORD)
    page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile(r"^Authenticator code")).fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.get_by_text("Authenticator app activated.").wait_for()

    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto("/accounts/2fa/recovery-codes/")
    codes = page.get_by_label("Unused codes")
    assert len(codes.input_value().split()) == 10
    label = page.locator("label[for=recovery_codes]").bounding_box()
    box = codes.bounding_box()
    assert label["y"] + label["height"] <= box["y"], (label, box)
    assert abs(label["x"] - box["x"]) < 2, (label, box)
