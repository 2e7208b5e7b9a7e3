"""Journey: Ana asks her connection Ben to introduce her to Chloé (Ben's connection, 2nd
degree for Ana) with a message; Ben forwards it with a note of his own; Chloé reads both
and accepts; Ana and Chloé are connected at the end and Ana is told."""

import pytest

from tests.browser.conftest import login
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_is_introduced_and_connected(page, live_server):
    from carnet.network.models import Introduction
    from carnet.network.selectors import are_connected
    from carnet.network.services import connection_create
    from carnet.notifications.models import Notification
    from tests.factories import MemberFactory

    page.set_default_timeout(30_000)
    ana = MemberFactory(email="ana@example.org", first_name="Ana", last_name="Roux")
    ben = MemberFactory(email="ben@example.org", first_name="Ben", last_name="Faure")
    chloe = MemberFactory(email="chloe@example.org", first_name="Chloé", last_name="Garnier")
    connection_create(member=ana, other=ben)
    connection_create(member=ben, other=chloe)

    login(page, "ana@example.org", DEFAULT_PASSWORD)
    page.goto(f"/in/{chloe.profile.slug}/")
    page.locator(".how-connected").get_by_text("1 mutual connection").wait_for()
    page.get_by_role("link", name="Ask for an introduction").click()
    page.get_by_label("Ben Faure").check()
    page.get_by_label("Your message").fill("Chloé leads the data team I would love to learn from.")
    page.get_by_role("button", name="Send the request").click()
    page.locator(".intro-item", has_text="You asked Ben Faure to introduce you to Chloé Garnier.").wait_for()
    introduction = Introduction.objects.get(requester=ana)
    assert (introduction.intermediary, introduction.target, introduction.status) == (ben, chloe, "requested")

    page.context.clear_cookies()
    login(page, "ben@example.org", DEFAULT_PASSWORD)
    page.goto("/network/introductions/")
    item = page.locator(".intro-item", has_text="Ana Roux asks you to introduce them to Chloé Garnier.")
    item.get_by_role("link", name="Answer").click()
    page.get_by_text("Chloé leads the data team").wait_for()
    page.get_by_label("Your note for them (optional)").fill("Ana is a great engineer, you two should talk.")
    page.get_by_role("button", name="Forward").click()
    page.locator(".status-forwarded").first.wait_for()
    introduction.refresh_from_db()
    assert introduction.status == "forwarded"

    page.context.clear_cookies()
    login(page, "chloe@example.org", DEFAULT_PASSWORD)
    page.goto("/network/introductions/?box=received")
    item = page.locator(".intro-item", has_text="Ben Faure introduces you to Ana Roux.")
    item.get_by_role("link", name="Answer").click()
    page.locator(".intro-message", has_text="Chloé leads the data team").wait_for()
    page.locator(".intro-note", has_text="Ana is a great engineer").wait_for()
    page.get_by_role("button", name="Accept and connect").click()
    page.locator(".status-accepted").first.wait_for()
    assert are_connected(ana.pk, chloe.pk)
    page.goto("/network/")
    page.locator(".member-list").get_by_role("link", name="Ana Roux", exact=True).wait_for()

    page.context.clear_cookies()
    login(page, "ana@example.org", DEFAULT_PASSWORD)
    page.goto(f"/in/{chloe.profile.slug}/")
    page.locator("#network-actions .status-pill", has_text="Connected").wait_for()
    assert Notification.objects.filter(recipient=ana, kind__startswith="introduction").exists()
