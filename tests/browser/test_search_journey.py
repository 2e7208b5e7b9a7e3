"""Journey: a member searches people from the site header, narrows the results to her 2nd-degree
network with the degree filter, and opens a profile. The index is kept by the real on-commit
hooks (this test commits), not rebuilt by hand. Run twice: with the degree filter (and badges)
answered by SQL, and by the graph engine (built from the database, kept by the same hooks)."""

import pytest

from tests.browser.conftest import login
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["sql", "engine"])
def answered_by(request):
    from carnet.network.graph.runtime import GraphRuntime, set_runtime

    runtime = GraphRuntime(mode="sync" if request.param == "engine" else "off")
    previous = set_runtime(runtime)
    yield request.param
    runtime.stop()
    set_runtime(previous)


def test_search_from_the_header_filter_by_degree_and_open_a_profile(page, live_server, answered_by):
    from carnet.network.services import connection_create
    from tests.factories import MemberFactory, OrganizationFactory, PositionFactory

    page.set_default_timeout(30_000)
    zoe = MemberFactory(email="zoe@example.org", first_name="Zoé", last_name="Lambert")
    yann = MemberFactory(email="yann@example.org", first_name="Yann", last_name="Morel")
    ines = MemberFactory(email="ines@example.org", first_name="Inès", last_name="Garnier")
    hugo = MemberFactory(email="hugo@example.org", first_name="Hugo", last_name="Perrin")
    acme = OrganizationFactory(name="Acme Robotics", slug="acme-robotics")
    for member, title in ((yann, "Welder"), (ines, "Robotics engineer"), (hugo, "Buyer")):
        PositionFactory(profile=member.profile, organization=acme, title=title)
    connection_create(member=zoe, other=yann)
    connection_create(member=yann, other=ines)  # Inès: 2nd degree for Zoé; Hugo: out of network

    login(page, "zoe@example.org", DEFAULT_PASSWORD)
    search_box = page.get_by_role("search").get_by_label("Search people")
    search_box.fill("acme")
    search_box.press("Enter")
    page.wait_for_url("**/search/?q=acme")
    results = page.locator(".search-results")
    page.get_by_role("heading", name="3 results").wait_for()
    for name in ("Yann Morel", "Inès Garnier", "Hugo Perrin"):
        results.get_by_role("link", name=name, exact=True).wait_for()
    results.locator("li", has_text="Yann Morel").get_by_text("1st-degree connection").wait_for(state="attached")

    filters = page.get_by_role("search", name="Search and filter")
    filters.get_by_label("2nd").check()
    filters.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 result").wait_for()
    assert results.get_by_role("link").count() == 1
    results.locator("li", has_text="Inès Garnier").get_by_text("2nd-degree connection").wait_for(state="attached")

    results.get_by_role("link", name="Inès Garnier", exact=True).click()
    page.wait_for_url(f"**/in/{ines.profile.slug}/")
    page.get_by_role("heading", name="Inès Garnier", level=1).wait_for()
    if answered_by == "engine":
        from carnet.network.graph.runtime import Status, get_runtime

        assert get_runtime().status == Status.READY  # the pages above were the engine's
