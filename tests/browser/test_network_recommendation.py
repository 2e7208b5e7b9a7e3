"""Journey: Lou recommends her connection Max from his profile; the recommendation is not on
Max's profile until he accepts it from his recommendations page, then it is, for everyone."""

import pytest

from tests.browser.conftest import login
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Max rebuilt our billing pipeline in three months and mentored two juniors along the way."


def test_recommendation_shows_after_acceptance(page, live_server):
    from carnet.network.models import Recommendation
    from carnet.network.services import connection_create
    from tests.factories import MemberFactory

    page.set_default_timeout(30_000)
    lou = MemberFactory(email="lou@example.org", first_name="Lou", last_name="Perrin")
    max_ = MemberFactory(email="max@example.org", first_name="Max", last_name="Bonnet")
    connection_create(member=lou, other=max_)

    login(page, "lou@example.org", DEFAULT_PASSWORD)
    page.goto(f"/in/{max_.profile.slug}/")
    page.get_by_role("link", name="Recommend", exact=True).click()
    page.get_by_label("How do you know each other?").select_option("same_team")
    page.get_by_label("Position or context").fill("Billing team at Acme, 2021–2023")
    page.get_by_label("Recommendation", exact=True).fill(TEXT)
    page.get_by_role("button", name="Send the recommendation").click()
    page.wait_for_url("**/network/recommendations/**")
    assert Recommendation.objects.get(author=lou, recipient=max_).status == "pending"

    page.goto(f"/in/{max_.profile.slug}/")
    page.locator("#intro").wait_for()
    assert page.get_by_text(TEXT).count() == 0  # not before Max accepts

    page.context.clear_cookies()
    login(page, "max@example.org", DEFAULT_PASSWORD)
    page.goto(f"/in/{max_.profile.slug}/")
    page.locator("#intro").wait_for()
    assert page.get_by_text(TEXT).count() == 0
    page.goto("/network/recommendations/")
    review = page.locator("section", has=page.get_by_role("heading", name="Written for you, waiting for your decision"))
    review.get_by_text(TEXT).wait_for()
    review.get_by_role("button", name="Accept and show on my profile").click()
    page.locator("section", has=page.get_by_role("heading", name="Received")).get_by_text(TEXT).wait_for()
    assert Recommendation.objects.get(author=lou, recipient=max_).status == "accepted"

    page.goto(f"/in/{max_.profile.slug}/")
    page.locator("#recommendations-title + .items", has_text=TEXT).wait_for()

    page.context.clear_cookies()
    login(page, "lou@example.org", DEFAULT_PASSWORD)
    page.goto(f"/in/{max_.profile.slug}/")
    section = page.locator("section", has=page.locator("#recommendations-title"))
    section.get_by_text(TEXT).wait_for()
    section.get_by_role("link", name="Lou Perrin", exact=True).wait_for()
