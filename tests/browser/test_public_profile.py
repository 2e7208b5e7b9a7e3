import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_visitor_sees_public_profile(page, live_server):
    from tests.factories import MemberFactory

    member = MemberFactory(first_name="Zoé", last_name="Lambert")
    member.profile.headline = "Data engineer in Lyon"
    member.profile.save()
    page.goto(f"/in/{member.profile.slug}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Zoé Lambert")
    assert page.get_by_text("Data engineer in Lyon").is_visible()
