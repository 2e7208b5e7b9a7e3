"""Company and school pages: open to everyone, their people through the visibility policy."""

import pytest

from tests.factories import EducationFactory, OrganizationFactory, PositionFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(alice):
    acme = OrganizationFactory(name="Acme Robotics", slug="acme")
    PositionFactory(profile=alice.profile, organization=acme, title="Engineer")
    return acme


@pytest.mark.parametrize("who", ["anonymous", "mallory", "alice"])
def test_company_page_is_open_to_everyone_and_lists_current_staff(request, client, acme, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    page = client.get("/company/acme/").content.decode()
    assert "Acme Robotics" in page
    assert "Alice Martin" in page


def test_former_staff_are_not_listed_as_working_here(client, acme, mallory):
    PositionFactory(profile=mallory.profile, organization=acme, is_current=False, end_date="2020-01-01")
    page = client.get("/company/acme/").content.decode()
    assert "Alice Martin" in page and "Mallory" not in page


@pytest.mark.parametrize("who", ["anonymous", "mallory", "alice"])
def test_school_page_lists_alumni(request, client, alice, who):
    school = SchoolFactory(name="École Centrale", slug="centrale")
    EducationFactory(profile=alice.profile, organization=school)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    page = client.get("/school/centrale/").content.decode()
    assert "École Centrale" in page and "Alice Martin" in page


def test_unknown_or_wrong_kind_is_404(client, acme):
    assert client.get("/company/nowhere/").status_code == 404
    assert client.get("/school/acme/").status_code == 404


def test_people_block_in_a_bounded_number_of_queries(mallory_client, acme, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_member:
        mallory_client.get("/company/acme/")
    for _ in range(20):
        PositionFactory(organization=acme)
    with django_assert_max_num_queries(len(one_member.captured_queries)):
        page = mallory_client.get("/company/acme/").content.decode()
    assert page.count('class="member-card"') == 21
