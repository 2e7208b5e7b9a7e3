"""The profile as a PDF CV: a real PDF, typeset from the reader's projection of the profile."""

from __future__ import annotations

import datetime

import pytest

from carnet.core.visibility import Audience, Relation
from carnet.profiles import pdf
from carnet.profiles.models import Certification, Language, LanguageProficiency
from carnet.profiles.selectors import profile_get, profile_view
from tests.factories import EducationFactory, PositionFactory, ProfileSkillFactory, SkillFactory
from tests.profiles.pdf_samples import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_alice(alice):
    profile = alice.profile
    profile.headline = "Data engineer building pipelines"
    profile.location = "Lyon, France"
    profile.about = "I turn messy data into reliable products."
    profile.contact_email = "alice.contact@example.org"
    profile.phone = "+33 6 12 34 56 78"
    # Languages visible to connections only, to check a hidden section stays out.
    profile.visibility = {"languages": Audience.CONNECTIONS}
    profile.save()
    PositionFactory(profile=profile, title="Lead data engineer", organization__name="Acme Analytics")
    PositionFactory(
        profile=profile,
        title="Junior analyst",
        organization__name="Old Corp",
        start_date=datetime.date(2015, 3, 1),
        end_date=datetime.date(2018, 12, 1),
        is_current=False,
    )
    EducationFactory(profile=profile, organization__name="Université de Lyon", degree="Master")
    ProfileSkillFactory(profile=profile, skill=SkillFactory(name="Apache Spark", normalized="apache spark"))
    Language.objects.create(profile=profile, name="Portuguese", proficiency=LanguageProficiency.PROFESSIONAL)
    Certification.objects.create(profile=profile, name="Certified Kubernetes Administrator", authority="CNCF")
    return alice


def _cv_text(member, relation=None, viewer=None) -> str:
    profile = profile_get(slug=member.profile.slug)
    view = profile_view(profile, viewer=viewer, relation=relation)
    content = pdf.profile_cv_pdf(view)
    assert content.startswith(b"%PDF-")
    return pdf_text(content)


def test_owner_gets_everything(rich_alice):
    text = _cv_text(rich_alice, viewer=rich_alice)
    for expected in (
        "Alice Martin",
        "Data engineer building pipelines",
        "Lyon, France",
        "alice.contact@example.org",
        "I turn messy data into reliable products.",
        "Lead data engineer",
        "Acme Analytics",
        "Junior analyst",
        "Université de Lyon",
        "Apache Spark",
        "Portuguese",
        "Certified Kubernetes Administrator",
    ):
        assert expected in text, expected


def test_a_member_gets_only_what_they_may_see(rich_alice, mallory):
    text = _cv_text(rich_alice, viewer=mallory)
    assert "Alice Martin" in text and "Lead data engineer" in text
    # Contact info is for connections, languages were set to connections.
    assert "alice.contact@example.org" not in text
    assert "+33 6 12 34 56 78" not in text
    assert "Portuguese" not in text


def test_a_connection_sees_contact_info(rich_alice, bob):
    text = _cv_text(rich_alice, viewer=bob)
    assert "alice.contact@example.org" in text and "Portuguese" in text


def test_same_input_gives_the_same_bytes(rich_alice):
    profile = profile_get(slug=rich_alice.profile.slug)
    view = profile_view(profile, relation=Relation.MEMBER)
    assert pdf.profile_cv_pdf(view) == pdf.profile_cv_pdf(view)


def test_member_text_is_escaped_not_interpreted(alice):
    alice.profile.headline = "R&D <b>bold</b> & <font size=40>big</font>"
    alice.profile.save()
    text = _cv_text(alice, viewer=alice)
    assert "R&D <b>bold</b> & <font size=40>big</font>" in text


def test_pdf_cv_view_access(client, rich_alice, mallory):
    url = f"/in/{rich_alice.profile.slug}/cv.pdf"
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(mallory)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Alice Martin CV.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "alice.contact@example.org" not in pdf_text(response.content)
    client.force_login(rich_alice)
    assert "alice.contact@example.org" in pdf_text(client.get(url).content)
    assert client.get("/in/nobody-here/cv.pdf").status_code == 404


def test_written_letter_pdf():
    content = pdf.letter_pdf(title="Letter to Acme", text="Dear team,\n\nÇa me plaît.", author="Zoé")
    text = pdf_text(content)
    assert "Letter to Acme" in text and "Ça me plaît." in text
