"""Journey: a member edits the headline of their profile in place (htmx) and sees it saved."""

import re

import pytest

from tests.browser.conftest import login
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_edits_headline_in_place(page, live_server):
    from carnet.profiles.models import Profile
    from tests.factories import MemberFactory

    member = MemberFactory(email="zoe@example.org", first_name="Zoé", last_name="Lambert")
    login(page, "zoe@example.org", DEFAULT_PASSWORD)
    page.goto(f"/in/{member.profile.slug}/")
    profile_url = page.url

    intro = page.locator("#intro")
    intro.get_by_role("link", name="Edit intro").click()
    headline = intro.get_by_label(re.compile(r"^Headline"))
    headline.fill("Data engineer in Lyon")
    intro.get_by_role("button", name="Save").click()

    page.locator("#intro .headline", has_text="Data engineer in Lyon").wait_for()
    assert page.url == profile_url  # swapped in place, no page load
    assert Profile.objects.get(pk=member.pk).headline == "Data engineer in Lyon"
    page.reload()
    assert page.locator("#intro .headline").inner_text() == "Data engineer in Lyon"
