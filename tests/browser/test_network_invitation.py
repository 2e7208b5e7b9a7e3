"""Journey: two members connect through an invitation. Zoé invites Yann from his profile
with a note and "how do you know" (offered from the company they both worked at); Yann
accepts from his invitations page; each then finds the other in "My network"."""

import pytest

from tests.browser.conftest import login
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_members_connect_through_an_invitation(page, live_server):
    from carnet.network.models import Invitation
    from carnet.network.selectors import are_connected
    from tests.factories import MemberFactory, OrganizationFactory, PositionFactory

    page.set_default_timeout(30_000)
    zoe = MemberFactory(email="zoe@example.org", first_name="Zoé", last_name="Lambert")
    yann = MemberFactory(email="yann@example.org", first_name="Yann", last_name="Morel")
    acme = OrganizationFactory(name="Acme Robotics", slug="acme-robotics")
    PositionFactory(profile=zoe.profile, organization=acme)
    PositionFactory(profile=yann.profile, organization=acme)

    login(page, "zoe@example.org", DEFAULT_PASSWORD)
    page.goto(f"/in/{yann.profile.slug}/")
    page.locator("#network-actions").get_by_role("link", name="Connect").click()
    form = page.locator("#invite-form")
    form.get_by_label("We worked together at Acme Robotics").check()
    form.get_by_label("Add a note (optional)").fill("Hello Yann, we met at the Acme robotics fair.")
    form.get_by_role("button", name="Send invitation").click()
    page.locator("#network-actions .status-pill", has_text="Invitation pending").wait_for()

    invitation = Invitation.objects.get(sender=zoe, recipient=yann)
    assert invitation.how_met == "colleague" and invitation.organization == acme

    page.context.clear_cookies()
    login(page, "yann@example.org", DEFAULT_PASSWORD)
    page.goto("/network/invitations/")
    item = page.locator("li.invitation", has_text="Zoé Lambert")
    item.get_by_text("Worked together at Acme Robotics").wait_for()
    item.get_by_text("we met at the Acme robotics fair").wait_for()
    item.get_by_role("button", name="Accept").click()
    page.get_by_text("No pending invitations.").wait_for()
    assert are_connected(zoe.pk, yann.pk)

    page.goto("/network/")
    page.locator(".member-list").get_by_role("link", name="Zoé Lambert", exact=True).wait_for()

    page.context.clear_cookies()
    login(page, "zoe@example.org", DEFAULT_PASSWORD)
    page.goto("/network/")
    page.locator(".member-list").get_by_role("link", name="Yann Morel", exact=True).wait_for()
    page.goto(f"/in/{yann.profile.slug}/")
    page.locator("#network-actions .status-pill", has_text="Connected").wait_for()
