"""Journey: a member uploads a CV, sets who can see it and downloads their PDF CV; a
connection sees and downloads the CV, a stranger does not see it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD, MemberFactory
from tests.profiles.pdf_samples import make_pdf, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, email: str) -> None:
    # By field name, not label: the journey is about documents, not the sign-in form's wording.
    page.goto("/accounts/login/")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not any address ending in /


def _as(browser, live_server, member):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, member.email)
    return page


def test_cv_upload_visibility_and_downloads(page, browser, live_server, tmp_path):
    from carnet.network.services import connection_create

    alice = MemberFactory(email="alice@example.org", first_name="Alice", last_name="Martin")
    bob = MemberFactory(email="bob@example.org", first_name="Bob", last_name="Durand")
    mallory = MemberFactory(email="mallory@example.org", first_name="Mallory", last_name="Stranger")
    connection_create(member=alice, other=bob)
    cv_file = tmp_path / "my-cv.pdf"
    cv_file.write_bytes(make_pdf("Alice's real CV"))
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    # Alice uploads a CV, visible to herself only at first.
    login(page, alice.email)
    page.goto("/me/documents/")
    page.get_by_label("Type").select_option("cv")
    page.get_by_label("Name").fill("Data engineering CV")
    page.get_by_label("PDF file").set_input_files(str(cv_file))
    page.get_by_label("Who can see it").select_option("only_me")
    page.get_by_role("button", name="Add the document").click()
    page.wait_for_url(re.compile(r".*/me/documents/$"))
    assert page.get_by_text("Your document was added.").is_visible()
    assert page.locator(".documents-list").get_by_text("Only me").is_visible()

    # She opens it to her connections.
    page.get_by_role("link", name="Edit Data engineering CV").click()
    page.get_by_label("Who can see it").select_option("connections")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".documents-list").get_by_text("My connections").is_visible()

    # She downloads her profile as a PDF CV, from her profile page.
    page.goto(f"/in/{alice.profile.slug}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my profile as a PDF CV").click()
    download = download_info.value
    assert download.suggested_filename == "Alice Martin CV.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-") and "Alice Martin" in pdf_text(content)
    assert violations == []

    # Bob, her connection, sees the CV and downloads it.
    bob_page = _as(browser, live_server, bob)
    bob_page.goto(f"/in/{alice.profile.slug}/")
    documents = bob_page.locator("#documents")
    assert documents.get_by_text("Data engineering CV", exact=True).first.is_visible()
    with bob_page.expect_download() as download_info:
        documents.get_by_role("link", name="Download (PDF) Data engineering CV").click()
    assert download_info.value.suggested_filename == "Data engineering CV.pdf"
    assert Path(download_info.value.path()).read_bytes() == cv_file.read_bytes()

    # Mallory, a stranger, does not see it, and the direct address gives her nothing.
    mallory_page = _as(browser, live_server, mallory)
    mallory_page.goto(f"/in/{alice.profile.slug}/")
    assert mallory_page.get_by_role("heading", level=1).inner_text().startswith("Alice Martin")
    assert mallory_page.get_by_text("Data engineering CV").count() == 0
    document_id = alice.profile.documents.get().pk
    response = mallory_page.request.get(f"/documents/{document_id}/download/")
    assert response.status == 404
