"""CVs and cover letters: services, the management page, and who may download what."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carnet.core.visibility import Audience
from carnet.profiles import documents as docs
from carnet.profiles.models import Document, DocumentKind, HistoryEntry, HistoryKind
from tests.profiles.pdf_samples import make_pdf, upload

pytestmark = pytest.mark.django_db


def _cv(member, name="CV", audience=Audience.CONNECTIONS, **kwargs):
    return docs.document_create(
        profile=member.profile,
        kind=DocumentKind.CV,
        name=name,
        audience=audience,
        upload=upload(make_pdf(name)),
        **kwargs,
    )


# ---------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------
def test_first_cv_becomes_default_and_is_stored_under_a_random_name(alice, settings):
    cv = _cv(alice, "Data engineering CV")
    assert cv.is_default
    assert cv.file.name.startswith(f"documents/{alice.pk}/") and "Data" not in cv.file.name
    assert (settings.MEDIA_ROOT / cv.file.name).read_bytes().startswith(b"%PDF-")
    assert cv.size == (settings.MEDIA_ROOT / cv.file.name).stat().st_size


def test_one_default_cv_per_member(alice):
    first = _cv(alice, "First")
    second = _cv(alice, "Second")
    assert not second.is_default
    third = _cv(alice, "Third", is_default=True)
    first.refresh_from_db()
    assert third.is_default and not first.is_default
    docs.document_set_default(document=second)
    assert list(Document.objects.filter(is_default=True).values_list("name", flat=True)) == ["Second"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=first.pk).update(is_default=True)


def test_deleting_the_default_cv_promotes_the_newest(alice, settings, django_capture_on_commit_callbacks):
    older = _cv(alice, "Older")
    newer = _cv(alice, "Newer")
    default = _cv(alice, "Default", is_default=True)
    path = settings.MEDIA_ROOT / default.file.name
    with django_capture_on_commit_callbacks(execute=True):
        docs.document_delete(document=default)
    newer.refresh_from_db()
    older.refresh_from_db()
    assert newer.is_default and not older.is_default
    assert not path.exists()


def test_cover_letter_as_written_text(alice):
    letter = docs.document_create(
        profile=alice.profile, kind=DocumentKind.COVER_LETTER, name="Letter to Acme", text="Dear Acme,\n\nHire me."
    )
    assert not letter.file and not letter.is_default
    assert not HistoryEntry.objects.filter(profile=alice.profile).exists()


@pytest.mark.parametrize(
    ("kind", "with_file", "text", "field"),
    [
        (DocumentKind.CV, False, "", "file"),
        (DocumentKind.CV, True, "some text", "text"),
        (DocumentKind.COVER_LETTER, False, "", "file"),
        (DocumentKind.COVER_LETTER, True, "Dear...", "text"),
        ("photo", True, "", "kind"),
    ],
)
def test_bad_combinations_are_refused(alice, kind, with_file, text, field):
    with pytest.raises(ValidationError) as caught:
        docs.document_create(
            profile=alice.profile, kind=kind, name="Doc", upload=upload(make_pdf()) if with_file else None, text=text
        )
    assert field in caught.value.message_dict
    assert not Document.objects.exists()


def test_count_limit_per_member(alice, settings):
    settings.CARNET_MAX_DOCUMENTS = 2
    _cv(alice, "One")
    _cv(alice, "Two")
    with pytest.raises(ValidationError) as caught:
        _cv(alice, "Three")
    assert "delete one" in caught.value.message_dict["file"][0]
    assert Document.objects.count() == 2
    assert len([p for p in (settings.MEDIA_ROOT / "documents").rglob("*.pdf")]) == 2


def test_new_cv_is_recorded_with_its_audience_and_follows_it(alice):
    cv = _cv(alice, "Product CV", audience=Audience.PUBLIC)
    entry = HistoryEntry.objects.get(profile=alice.profile)
    assert (entry.kind, entry.summary, entry.item_audience, entry.document) == (
        HistoryKind.NEW_CV,
        "Product CV",
        Audience.PUBLIC,
        cv,
    )
    docs.document_update(document=cv, audience=Audience.ONLY_ME)
    entry.refresh_from_db()
    assert entry.item_audience == Audience.ONLY_ME


def test_safe_filename_strips_what_could_break_the_header():
    assert docs.safe_filename('Zoé "CV"/../\r\nX-Evil: 1') == "Zoe CV..X-Evil 1.pdf"
    assert docs.safe_filename("???") == "document.pdf"


# ---------------------------------------------------------------------------------------
# Downloads: each audience x anonymous, mallory (stranger), carol (2nd), bob (1st), alice
# ---------------------------------------------------------------------------------------
ACCESS = {
    Audience.PUBLIC: {"anonymous": True, "mallory": True, "carol": True, "bob": True, "alice": True},
    Audience.MEMBERS: {"anonymous": False, "mallory": True, "carol": True, "bob": True, "alice": True},
    Audience.NETWORK: {"anonymous": False, "mallory": False, "carol": True, "bob": True, "alice": True},
    Audience.CONNECTIONS: {"anonymous": False, "mallory": False, "carol": False, "bob": True, "alice": True},
    Audience.ONLY_ME: {"anonymous": False, "mallory": False, "carol": False, "bob": False, "alice": True},
}


@pytest.mark.parametrize("audience", list(ACCESS))
def test_download_follows_the_documents_audience(client, alice, bob, carol, mallory, audience):
    cv = _cv(alice, "Alice CV", audience=audience)
    url = f"/documents/{cv.pk}/download/"
    members = {"mallory": mallory, "carol": carol, "bob": bob, "alice": alice}
    for who, allowed in ACCESS[audience].items():
        client.logout()
        if who != "anonymous":
            client.force_login(members[who])
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, who
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == 'attachment; filename="Alice CV.pdf"'
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
        elif who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], who
        else:
            assert response.status_code == 404, who


def test_documents_are_not_served_by_the_media_url(client, alice, settings):
    cv = _cv(alice, "Public CV", audience=Audience.PUBLIC)
    assert client.get(settings.MEDIA_URL + cv.file.name).status_code == 404


def test_written_letter_downloads_as_pdf_to_allowed_viewers(client, alice, bob, mallory):
    from tests.profiles.pdf_samples import pdf_text

    letter = docs.document_create(
        profile=alice.profile,
        kind=DocumentKind.COVER_LETTER,
        name="Letter to Acme",
        text="Dear Acme team,\n\nI would love to join.",
        audience=Audience.CONNECTIONS,
    )
    client.force_login(bob)
    response = client.get(f"/documents/{letter.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "I would love to join." in pdf_text(response.content)
    assert "Dear Acme team" in client.get(f"/documents/{letter.pk}/").content.decode()
    client.force_login(mallory)
    assert client.get(f"/documents/{letter.pk}/download/").status_code == 404
    assert client.get(f"/documents/{letter.pk}/").status_code == 404


def test_missing_document_is_404(mallory_client):
    assert mallory_client.get("/documents/999999/download/").status_code == 404


# ---------------------------------------------------------------------------------------
# The management page
# ---------------------------------------------------------------------------------------
def test_manage_page_access(client, alice, mallory):
    response = client.get("/me/documents/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(alice)
    response = client.get("/me/documents/")
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_upload_through_the_page(alice_client, alice):
    response = alice_client.post(
        "/me/documents/",
        {"kind": "cv", "name": "Main CV", "audience": "network", "file": upload(make_pdf())},
    )
    assert response.status_code == 302
    cv = Document.objects.get(profile=alice.profile)
    assert (cv.name, cv.audience, cv.is_default) == ("Main CV", Audience.NETWORK, True)


def test_members_cannot_touch_others_documents(client, alice, mallory):
    cv = _cv(alice)
    client.force_login(mallory)
    assert client.get(f"/me/documents/{cv.pk}/edit/").status_code == 404
    assert client.post(f"/me/documents/{cv.pk}/edit/", {"name": "Pwned", "audience": "public"}).status_code == 404
    assert client.post(f"/me/documents/{cv.pk}/delete/").status_code == 404
    assert client.post(f"/me/documents/{cv.pk}/default/").status_code == 404
    cv.refresh_from_db()
    assert (cv.name, cv.audience) == ("CV", Audience.CONNECTIONS)


def test_owner_edits_audience_and_deletes(alice_client, alice):
    cv = _cv(alice)
    response = alice_client.post(f"/me/documents/{cv.pk}/edit/", {"name": "Renamed", "audience": "public"})
    assert response.status_code == 302
    cv.refresh_from_db()
    assert (cv.name, cv.audience) == ("Renamed", Audience.PUBLIC)
    response = alice_client.post(f"/me/documents/{cv.pk}/edit/", {"name": "", "audience": "public"})
    assert response.status_code == 400
    assert alice_client.post(f"/me/documents/{cv.pk}/delete/").status_code == 302
    assert not Document.objects.exists()


def test_manage_page_queries_are_bounded(alice_client, alice, django_assert_max_num_queries):
    for n in range(8):
        _cv(alice, f"CV {n}")
    with django_assert_max_num_queries(12):
        response = alice_client.get("/me/documents/")
    assert response.content.decode().count("Make default") == 7


def test_profile_page_lists_only_visible_documents(client, alice, bob, mallory):
    _cv(alice, "Connections CV", audience=Audience.CONNECTIONS)
    _cv(alice, "Public CV", audience=Audience.PUBLIC)
    client.force_login(bob)
    page = client.get(alice.profile.get_absolute_url()).content.decode()
    assert "Connections CV" in page and "Public CV" in page
    client.force_login(mallory)
    page = client.get(alice.profile.get_absolute_url()).content.decode()
    assert "Public CV" in page and "Connections CV" not in page
