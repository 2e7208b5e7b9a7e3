"""Journey: a new member fills a complete profile with the inline editors, uploads a CV,
chooses who sees what, checks "view my profile as" for each audience and downloads the
profile as a PDF CV. The last steps compare the previews with what real members see."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, MemberFactory
from tests.profiles.pdf_samples import make_pdf, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(DEFAULT_PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not any address ending in /


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _fill_suggested(page, field, text: str) -> None:
    """Type into a field with server suggestions and let its request finish first: the
    embedded test database (SQLite in memory) locks a table read during a concurrent write."""
    # Only a synchronisation aid: a suggestion the browser answers from its cache emits no
    # response event, so after 5 s the journey goes on (its assertions check the outcome).
    try:
        with page.expect_response(lambda response: "/me/suggest/" in response.url, timeout=5_000):
            field.fill(text)
    except PlaywrightTimeoutError:
        pass


def _preview(page, audience_label: str):
    """Pick an audience in "View my profile as" and return the previewed page's main text."""
    page.get_by_label("Audience").select_option(label=audience_label)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(re.compile(r".*\?as=\w+$"))
    banner = page.get_by_role("status").filter(has_text="You are viewing your profile as")
    assert banner.is_visible()
    return page.locator("main").inner_text()


# What each audience must see (True) or not (False) once the settings below are saved.
EXPECTED = {
    # text on the page: (public, member, 2nd degree, connection)
    "Camille Durand": (True, True, True, True),  # name: public
    "Data engineer building open data pipelines": (True, True, True, True),  # headline: public
    "I design data platforms": (True, True, True, True),  # about: public
    "Lead data engineer": (True, True, True, True),  # current position: public
    "Lyon, France": (False, True, True, True),  # location: members
    "Junior analyst": (False, True, True, True),  # past positions: members
    "Université de Lyon": (False, False, True, True),  # education: my network
    "Python": (True, True, True, True),  # skills: public
    "Native or bilingual proficiency": (False, False, False, True),  # languages: connections
    "camille.pro@example.org": (False, False, False, True),  # contact info: connections
    "Data CV 2026": (False, False, True, True),  # the CV: my network
    "she/her": (False, False, False, False),  # pronouns: only me
}
AUDIENCES = ("public visitor", "member outside my network", "2nd-degree connection", "connection")


def test_new_member_fills_profile_sets_visibility_previews_and_downloads_pdf(page, browser, live_server, tmp_path):
    from carnet.network.services import connection_create
    from carnet.profiles.models import Skill

    camille = MemberFactory(email="camille@example.org", first_name="Camille", last_name="Durand")
    bob = MemberFactory(email="bob@example.org", first_name="Bob", last_name="Martin")
    carol = MemberFactory(email="carol@example.org", first_name="Carol", last_name="Petit")
    connection_create(member=camille, other=bob)
    connection_create(member=bob, other=carol)
    Skill.objects.create(name="Python", normalized="python")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    _login(page, camille.email)
    page.goto("/me/")
    slug = camille.profile.slug
    page.wait_for_url(re.compile(rf".*/in/{slug}/$"))
    strength = page.locator("#strength .strength-percent")
    assert strength.inner_text() == "0 % complete"

    # Intro, inline: the form swaps into the card and the saved card swaps back.
    intro = page.locator("#intro")
    intro.get_by_role("link", name="Edit intro").click()
    form = page.locator("#intro-form")
    form.get_by_label("Pronouns").fill("she/her")
    form.get_by_label("Headline").fill("Data engineer building open data pipelines")
    form.get_by_label("Location").fill("Lyon, France")
    form.get_by_label("Industry").fill("Software")
    form.get_by_role("button", name="Save").click()
    assert intro.locator(".headline").inner_text() == "Data engineer building open data pipelines"
    assert page.locator("#intro-form").count() == 0

    # A photo.
    photo = tmp_path / "me.png"
    photo.write_bytes(_png())
    intro.get_by_role("link", name="Add a photo").click()
    page.locator("#image-form").get_by_label("Photo").set_input_files(str(photo))
    page.locator("#image-form").get_by_role("button", name="Upload").click()
    page.get_by_role("img", name="Photo of Camille Durand").wait_for()

    # About.
    page.get_by_role("link", name="Edit about").click()
    page.get_by_label("About you").fill("I design data platforms for public services, from ingestion to open data.")
    page.locator("#about-form").get_by_role("button", name="Save").click()
    page.locator("#section-about p.about").wait_for()

    # Contact info.
    page.get_by_role("link", name="Edit contact info").click()
    page.get_by_label("Contact e-mail").fill("camille.pro@example.org")
    page.get_by_label("Phone").fill("+33 6 12 34 56 78")
    page.locator("#contact-form").get_by_role("button", name="Save").click()
    page.locator("#section-contact").get_by_text("camille.pro@example.org").wait_for()

    # Two positions: a past one, then the current one.
    experience = page.locator("#section-positions")
    for title, company, start, end in (
        ("Junior analyst", "Insee", "2016-09", "2019-12"),
        ("Lead data engineer", "Etalab", "2020-01", None),
    ):
        experience.get_by_role("link", name="Add a position").click()
        form = page.locator("#form-positions-new")
        form.get_by_label("Title").fill(title)
        _fill_suggested(page, form.get_by_label("Company"), company)
        form.get_by_label("Start month").fill(start)
        if end:
            form.get_by_label("End month").fill(end)
        else:
            form.get_by_label("I currently work here").check()
        form.get_by_role("button", name="Save").click()
        experience.get_by_role("heading", name=title).wait_for()
    # A date error is shown in the form, nothing is saved.
    experience.get_by_role("link", name="Add a position").click()
    form = page.locator("#form-positions-new")
    form.get_by_label("Title").fill("Time traveller")
    _fill_suggested(page, form.get_by_label("Company"), "Nowhere")
    form.get_by_label("Start month").fill("2021-05")
    form.get_by_label("End month").fill("2020-05")
    form.get_by_role("button", name="Save").click()
    form.get_by_text("The end date must be after the start date.").wait_for()
    form.get_by_role("link", name="Cancel").click()
    assert experience.get_by_role("heading", name="Time traveller").count() == 0
    # Reorder: the past position moves up, with the keyboard-friendly buttons.
    titles = experience.locator("h3.item-title")
    assert titles.all_inner_texts() == ["Lead data engineer", "Junior analyst"]
    experience.get_by_role("button", name="Move “Junior analyst @ Insee” up").click()
    expect(titles).to_have_text(["Junior analyst", "Lead data engineer"])

    # Education.
    page.locator("#section-education").get_by_role("link", name="Add education").click()
    form = page.locator("#form-education-new")
    _fill_suggested(page, form.get_by_label("School"), "Université de Lyon")
    form.get_by_label("Degree").fill("Master")
    form.get_by_label("Field of study").fill("Statistics")
    form.get_by_label("Start year").fill("2011")
    form.get_by_label("End year").fill("2016")
    form.get_by_role("button", name="Save").click()
    page.locator("#section-education").get_by_role("heading", name="Université de Lyon").wait_for()

    # Skills, with the catalogue's autocomplete: "PYTHON" becomes the catalogue's "Python".
    skills = page.locator("#section-skills")
    skills.get_by_role("link", name="Edit skills").click()
    name = page.locator("#skills-form").get_by_label("Skill")
    name.press_sequentially("pyth")
    expect(page.locator("#skills-name-suggestions option")).to_have_attribute("value", "Python")
    _fill_suggested(page, name, "PYTHON")
    page.locator("#skills-form").get_by_role("button", name="Add").click()
    skills.locator(".skill-editor .item-body", has_text="Python").wait_for()
    for skill in ("SQL", "Airflow", "dbt", "PostgreSQL"):
        _fill_suggested(page, page.locator("#skills-form").get_by_label("Skill"), skill)
        page.locator("#skills-form").get_by_role("button", name="Add").click()
        skills.locator(".skill-editor .item-body", has_text=skill).first.wait_for()
    _fill_suggested(page, page.locator("#skills-form").get_by_label("Skill"), "python")
    page.locator("#skills-form").get_by_role("button", name="Add").click()
    page.locator("#skills-form .errorlist").wait_for()
    assert skills.locator(".skill-editor .item-body").all_inner_texts() == [
        "Python",
        "SQL",
        "Airflow",
        "dbt",
        "PostgreSQL",
    ]
    skills.get_by_role("link", name="Done").click()
    skills.locator("ul.tags").wait_for()

    # A language.
    page.locator("#section-languages").get_by_role("link", name="Add a language").click()
    form = page.locator("#form-languages-new")
    form.get_by_label("Language").fill("French")
    form.get_by_label("Proficiency").select_option(label="Native or bilingual proficiency")
    form.get_by_role("button", name="Save").click()
    page.locator("#section-languages").get_by_text("Native or bilingual proficiency").wait_for()

    # The meter counted all of it, without a reload.
    expect(strength).to_have_text("100 % complete")

    # A CV, for her network.
    cv_file = tmp_path / "camille-cv.pdf"
    cv_file.write_bytes(make_pdf("Camille Durand curriculum"))
    page.goto("/me/documents/")
    page.get_by_label("Type").select_option("cv")
    page.get_by_label("Name").fill("Data CV 2026")
    page.get_by_label("PDF file").set_input_files(str(cv_file))
    page.get_by_label("Who can see it").select_option("network")
    page.get_by_role("button", name="Add the document").click()
    assert page.get_by_text("Your document was added.").is_visible()

    # Visibility: location and past positions for members, education for the network,
    # languages for connections, pronouns for herself.
    page.goto("/me/visibility/")
    page.get_by_label("Location").select_option("members")
    page.get_by_label("Past experience").select_option("members")
    page.get_by_label("Education").select_option("network")
    page.get_by_label("Languages").select_option("connections")
    page.get_by_label("Pronouns").select_option("only_me")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your visibility settings were saved.").is_visible()
    assert page.get_by_label("Education").input_value() == "network"

    # "View my profile as", for each audience.
    page.goto(f"/in/{slug}/")
    previews = {}
    for index, audience in enumerate(AUDIENCES):
        text = _preview(page, audience.capitalize())
        previews[audience] = text
        for expected_text, visible in EXPECTED.items():
            assert (expected_text in text) is visible[index], (audience, expected_text)
        # A preview is what the audience sees: no editing controls, no strength meter.
        assert page.get_by_role("link", name="Edit intro").count() == 0
        assert page.locator("#strength").count() == 0
        page.get_by_role("link", name="Back to my profile").click()
        page.wait_for_url(re.compile(rf".*/in/{slug}/$"))
    assert "Save this profile as PDF" not in previews["public visitor"]

    # The PDF CV.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my profile as a PDF CV").click()
    download = download_info.value
    assert download.suggested_filename == "Camille Durand CV.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for expected_text in ("Camille Durand", "Lead data engineer", "Junior analyst", "Université de Lyon", "Python"):
        assert expected_text in text, expected_text
    assert errors == []

    # What real members see matches the previews: Carol (2nd degree) and Bob (connection).
    for member, audience in ((carol, "2nd-degree connection"), (bob, "connection")):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        other = context.new_page()
        _login(other, member.email)
        other.goto(f"/in/{slug}/")
        text = other.locator("main").inner_text()
        index = AUDIENCES.index(audience)
        for expected_text, visible in EXPECTED.items():
            assert (expected_text in text) is visible[index], (member.email, expected_text)
        context.close()

    # And an anonymous visitor sees the public preview.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    anonymous = context.new_page()
    anonymous.goto(f"/in/{slug}/")
    text = anonymous.locator("main").inner_text()
    for expected_text, visible in EXPECTED.items():
        assert (expected_text in text) is visible[0], ("anonymous", expected_text)
    context.close()
