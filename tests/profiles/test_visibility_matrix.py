"""The visibility matrix: every profile field × every audience its owner may choose × every
kind of viewer × every surface that shows a member.

Alice's profile holds one distinctive word per field. For each (field, audience) the test
sets that one choice, then asks each surface, as each viewer, and checks the word is there
exactly when the audience admits the viewer. The expectations are written out below, not
computed with the policy under test, so a wrong policy fails here.

Surfaces: the profile page, its JSON-LD (search engines: anonymous only), the API, feed
author cards, notifications and their e-mails, the JSON Resume, vCard and PDF exports.
A surface that does not carry a field must never show it either: those pairs are checked
for leaks (the word must be absent for every viewer). `connections` (whom Alice is connected
to) has its own module, test_visibility_matrix_connections.py, and the photo inside the PDF
CV (an image, not text) test_visibility_matrix_pdf_photo.py.
"""

from __future__ import annotations

import datetime
import io
import json
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client

from carnet.core.visibility import PROFILE_FIELD_DEFAULTS, field_audience_choices
from carnet.notifications.models import Notification
from carnet.profiles.models import (
    Certification,
    Education,
    HistoryEntry,
    Language,
    Position,
    Project,
    Publication,
    Volunteering,
)
from carnet.profiles.portability.selectors import resume_export
from carnet.profiles.services import profile_skill_add
from tests.factories import PostFactory, RecommendationFactory
from tests.profiles import test_visibility_matrix_connections as connections_matrix
from tests.profiles import test_visibility_matrix_pdf_photo as pdf_photo_matrix
from tests.profiles.matrix_oracle import ADMITS, AUDIENCES, VIEWERS
from tests.profiles.pdf_samples import pdf_text

# Who each surface serves: the PDF CV is for signed-in members (anonymous visitors are sent
# to sign in); notifications go to members Alice invites (not already connected).
SURFACE_VIEWERS = {
    "pdf": {"member", "second_degree", "connection", "self"},
    "notification": {"member", "second_degree"},
    "email": {"member", "second_degree"},
}

# The fields each surface carries. Anything else must never appear on it.
PAGE_FIELDS = set(PROFILE_FIELD_DEFAULTS) - {"connections"}
API_FIELDS = PAGE_FIELDS - {"recommendations", "activity"}
CARD_FIELDS = {"name", "headline", "photo", "location"}
SURFACE_FIELDS = {
    "page": PAGE_FIELDS,
    "api": API_FIELDS,
    "jsonld": {"name", "headline", "photo", "location", "current_position", "education", "skills"},
    "feed": CARD_FIELDS,
    "notification": {"name"},
    "email": {"name"},
    "resume": {
        "name",
        "headline",
        "photo",
        "location",
        "about",
        "contact_info",
        "current_position",
        "positions",
        "education",
        "skills",
        "languages",
        "certifications",
        "volunteering",
        "projects",
        "publications",
    },
    "vcard": {"name", "headline", "photo", "location", "contact_info", "current_position"},
    # Images are not text: the PDF's photo is checked by test_visibility_matrix_pdf_photo.py.
    "pdf": {
        "name",
        "headline",
        "location",
        "industry",
        "about",
        "contact_info",
        "current_position",
        "positions",
        "education",
        "skills",
        "languages",
        "certifications",
        "volunteering",
        "projects",
        "publications",
    },
}

FIELDS = list(PROFILE_FIELD_DEFAULTS)


def _rotation(k: int) -> dict[str, str]:
    """Field i gets audience (i + k) mod 5: over k = 0..4 every field meets every audience
    once, and within one case neighbouring fields differ, so a field wired to another
    field's setting shows. An audience a field does not offer leaves it at its default."""
    return {field: AUDIENCES[(i + k) % len(AUDIENCES)] for i, field in enumerate(FIELDS)}


def _offered(field: str) -> set[str]:
    return {audience for audience, _label in field_audience_choices(field)}


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Four members per case, a hundred cases: PBKDF2 would make this file take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(alice, bob, carol, mallory):
    """Alice with one word per field; bob her connection, carol 2nd degree, mallory a stranger."""
    alice.first_name, alice.last_name = "Alice", "Qxname"
    alice.save(update_fields=["first_name", "last_name"])
    profile = alice.profile
    profile.headline = "Qxheadline"
    profile.location = "Qxlocation"
    profile.industry = "Qxindustry"
    profile.pronouns = "qxpronouns"
    profile.about = "Qxabout"
    profile.contact_email = "qxcontact@example.org"
    profile.open_to_work = True
    profile.photo.save("photo.jpg", ContentFile(_jpeg()), save=False)
    profile.banner.save("banner.jpg", ContentFile(_jpeg()), save=False)
    profile.save()
    Position.objects.create(
        profile=profile, title="Qxcurrent", company_name="Acme", start_date=datetime.date(2021, 1, 1), is_current=True
    )
    Position.objects.create(
        profile=profile,
        title="Qxpast",
        company_name="Oldco",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )
    Education.objects.create(profile=profile, school_name="Qxschool", degree="MSc")
    profile_skill_add(profile=profile, name="Qxskill")
    Language.objects.create(profile=profile, name="Qxlanguage")
    Certification.objects.create(profile=profile, name="Qxcertification")
    Volunteering.objects.create(profile=profile, organization_name="Food bank", role="Qxvolunteering")
    Project.objects.create(profile=profile, name="Qxproject")
    Publication.objects.create(profile=profile, title="Qxpublication")
    RecommendationFactory(author=bob, recipient=alice, text="Qxrecommendation", status="accepted")
    HistoryEntry.objects.create(profile=profile, kind="headline", field="headline", summary="Qxactivity")
    PostFactory(author=alice, audience="public")
    members = {"member": mallory, "second_degree": carol, "connection": bob, "self": alice}
    return profile, members


def _needles(profile) -> dict[str, str]:
    return {
        "name": "Qxname",
        "headline": "Qxheadline",
        "photo": profile.photo.name.rsplit("/", 1)[-1],
        "banner": profile.banner.name.rsplit("/", 1)[-1],
        "location": "Qxlocation",
        "industry": "Qxindustry",
        "pronouns": "qxpronouns",
        "about": "Qxabout",
        "current_position": "Qxcurrent",
        "positions": "Qxpast",
        "education": "Qxschool",
        "skills": "Qxskill",
        "recommendations": "Qxrecommendation",
        "languages": "Qxlanguage",
        "certifications": "Qxcertification",
        "volunteering": "Qxvolunteering",
        "projects": "Qxproject",
        "publications": "Qxpublication",
        "contact_info": "qxcontact@example.org",
        "open_to_work": "data-open-to-work",
        "activity": "Qxactivity",
    }


def _client(member) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def _body(response) -> str:
    return response.content.decode() if response.status_code == 200 else ""


def _surfaces(profile, viewer, member) -> dict[str, str]:
    """What each surface shows `member` (None: an anonymous visitor) of Alice's profile."""
    client = _client(member)
    slug = profile.slug
    page = _body(client.get(f"/in/{slug}/"))
    api = client.get(f"/api/v1/profiles/{slug}")
    api_text = json.dumps(api.json()) if api.status_code == 200 else ""
    if api.status_code == 200 and api.json().get("open_to_work"):
        api_text += " data-open-to-work"  # the boolean, under the word the other surfaces use
    pdf = client.get(f"/in/{slug}/cv.pdf")
    return {
        "page": page,
        "api": api_text,
        "feed": _body(client.get("/")),
        "resume": json.dumps(resume_export(profile=profile, viewer=member)),
        "vcard": _body(client.get(f"/in/{slug}/vcard")),
        "pdf": pdf_text(pdf.content) if pdf.status_code == 200 else "",
    }


def _notifications(alice, member, django_capture_on_commit_callbacks) -> dict[str, str]:
    """Alice invites `member`: what the in-app notification and the e-mail say of her."""
    from carnet.network.services import invitation_send

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(sender=alice, recipient=member)
    notification = Notification.objects.filter(recipient=member, actor=alice).latest("pk")
    emails = [f"{m.subject}\n{m.body}" for m in mail.outbox if member.email in m.to]
    assert emails, "the invitation is e-mailed"
    return {"notification": notification.text, "email": "\n".join(emails)}


@pytest.mark.parametrize("k", range(len(AUDIENCES)), ids=[f"rotation-{k}" for k in range(len(AUDIENCES))])
def test_each_field_shows_exactly_to_its_audience_on_every_surface(k, world, django_capture_on_commit_callbacks):
    profile, members = world
    chosen = {field: audience for field, audience in _rotation(k).items() if audience in _offered(field)}
    profile.visibility = chosen
    profile.save(update_fields=["visibility"])
    audiences = {field: chosen.get(field, PROFILE_FIELD_DEFAULTS[field]) for field in FIELDS}
    needles = _needles(profile)
    anonymous_page = _body(Client().get(f"/in/{profile.slug}/"))
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', anonymous_page, re.S)
    jsonld = match[1] if match else ""
    assert (jsonld != "") is (audiences["name"] == "public")

    texts: dict[tuple[str, str], str] = {}
    for viewer in VIEWERS:
        member = members.get(viewer)
        shown = _surfaces(profile, viewer, member)
        if viewer in ("member", "second_degree"):
            shown.update(_notifications(members["self"], member, django_capture_on_commit_callbacks))
        shown["jsonld"] = jsonld  # the same for everyone: built for the public
        for surface, text in shown.items():
            texts[surface, viewer] = text

    failures = []
    for field in FIELDS:
        if field == "connections":
            continue  # shown by the network app's pages (see the module docstring)
        for (surface, viewer), text in sorted(texts.items()):
            present = needles[field] in text
            carried = field in SURFACE_FIELDS[surface]
            served = viewer in SURFACE_VIEWERS.get(surface, VIEWERS)
            audience_for_surface = "anonymous" if surface == "jsonld" else viewer
            expected = carried and served and audience_for_surface in ADMITS[audiences[field]]
            if audience_for_surface == "anonymous" and audiences["name"] != "public":
                expected = False  # a profile without a public name shows the public nothing
            if present != expected:
                state = "shown" if present else "hidden"
                failures.append(f"{field} ({audiences[field]}) on {surface} as {viewer}: {state}")
    assert not failures, "\n".join(failures)


def test_the_rotations_cover_every_field_with_every_offered_audience():
    covered = {(field, audience) for k in range(len(AUDIENCES)) for field, audience in _rotation(k).items()}
    offered = {(field, audience) for field in FIELDS for audience in _offered(field)}
    assert offered <= covered
    assert {audience for (audience,) in [(a,) for a in AUDIENCES]} == set(ADMITS)
    # Every field is carried by at least one surface, but `connections`, whose module runs
    # every audience it offers, as the PDF photo module does for the photo.
    carried = set().union(*SURFACE_FIELDS.values())
    assert set(PROFILE_FIELD_DEFAULTS) - carried == {"connections"}
    assert _offered("connections") <= set(connections_matrix.AUDIENCES)
    assert _offered("photo") <= set(pdf_photo_matrix.AUDIENCES)
