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


def test_main_pages_run_under_the_csp_without_console_errors(page, live_server):
    """Every main page, as a visitor and as a member: no CSP violation, no script error."""
    from tests.browser.conftest import login
    from tests.factories import DEFAULT_PASSWORD, MemberFactory, PostFactory

    member = MemberFactory(email="zoe@example.org", first_name="Zoé", last_name="Lambert")
    PostFactory(author=member, audience="public")
    problems = []
    page.on("console", lambda msg: problems.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

    visitor_pages = ["/", f"/in/{member.profile.slug}/", "/jobs/", "/accounts/login/", "/accounts/signup/"]
    for url in visitor_pages:
        page.goto(url)
    login(page, member.email, DEFAULT_PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    member_pages = [
        nav.get_by_role("link", name=name).get_attribute("href") for name in ("My network", "Notifications")
    ]
    member_pages += ["/", f"/in/{member.profile.slug}/", "/settings/", "/accounts/email/", "/accounts/2fa/"]
    for url in member_pages:
        page.goto(url)
        assert page.get_by_role("main").is_visible()
    assert problems == [], problems
