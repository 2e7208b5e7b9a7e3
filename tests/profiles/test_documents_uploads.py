"""Uploads are checked by content, not by name: what is refused, with which message, and
that nothing is stored when a file is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from carnet.profiles import documents as docs
from carnet.profiles.models import Document, DocumentKind
from carnet.profiles.uploads import check_pdf
from tests.profiles.pdf_samples import HTML_PAGE, WINDOWS_EXE, make_pdf, upload


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_real_pdf_passes():
    content = make_pdf()
    assert check_pdf(upload(content)) == len(content)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (WINDOWS_EXE, "looks like a Windows program"),
        (HTML_PAGE, "looks like a web page"),
        (b"", "The file is empty"),
        (b"just some text, named cv.pdf", "This file is not a PDF"),
        (make_pdf()[:400], "incomplete"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", "could not be read"),
    ],
    ids=["renamed-exe", "html-named-pdf", "empty", "text", "truncated", "broken-inside"],
)
def test_bad_files_are_refused_with_a_clear_message(content, message):
    with pytest.raises(ValidationError) as caught:
        check_pdf(upload(content))
    assert message in " ".join(caught.value.messages)


def test_oversized_file_is_refused(settings):
    settings.CARNET_DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        check_pdf(upload(make_pdf(pages=5)))
    assert "too large" in caught.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [WINDOWS_EXE, HTML_PAGE, b"", make_pdf()[:300]],
    ids=["renamed-exe", "html-named-pdf", "empty", "truncated"],
)
def test_refused_upload_stores_nothing(alice, settings, content):
    with pytest.raises(ValidationError):
        docs.document_create(profile=alice.profile, kind=DocumentKind.CV, name="CV", upload=upload(content))
    assert not Document.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_oversized_upload_through_the_page_keeps_the_name_and_stores_nothing(alice_client, settings):
    settings.CARNET_DOCUMENT_MAX_BYTES = 2000
    response = alice_client.post(
        "/me/documents/",
        {"kind": "cv", "name": "My big CV", "audience": "connections", "file": upload(make_pdf(pages=20))},
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert 'value="My big CV"' in response.content.decode()
    assert not Document.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_html_named_pdf_through_the_page_is_refused(alice_client):
    response = alice_client.post(
        "/me/documents/",
        {"kind": "cv", "name": "CV", "audience": "public", "file": upload(HTML_PAGE, "cv.pdf")},
    )
    assert response.status_code == 400
    assert "it looks like a web page" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_password_protected_pdf_is_refused(alice):
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt("secret-user-password")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as caught:
        check_pdf(upload(buffer.getvalue()))
    assert "password" in caught.value.messages[0]
