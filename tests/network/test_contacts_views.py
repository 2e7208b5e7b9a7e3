"""Contacts pages: upload (size limit before reading, content checks), the import report,
inviting members and (with consent) non-members. Anonymous, mallory, alice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carnet.core.models import Job
from carnet.network.contacts import importing
from carnet.network.contacts.parsing import MAX_FILE_BYTES
from carnet.network.models import EmailInvitation, Invitation
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name="contacts.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def zoe(db):
    return MemberFactory(email="zoe@example.org", first_name="Zoé", last_name="Lambert")


@pytest.fixture
def alice_import(alice, zoe):
    return importing.contacts_import(member=alice, data=b"Name,Email\nZoe,zoe@example.org\nAnn,ann@example.org\n")


def test_anonymous_is_asked_to_sign_in(client, alice_import):
    urls = [
        reverse("network:contacts"),
        reverse("network:contacts_import", args=[alice_import.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name in ("network:contacts_invite_members", "network:contacts_invite_emails", "network:contacts_import_close"):
        response = client.post(reverse(name, args=[alice_import.pk]), {"member": "1", "contact": "0", "consent": "on"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("network:contacts"), {"file": _upload(b"Name,Email\nA,a@example.org\n")})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Job.objects.count() == 1
    assert not Invitation.objects.exists() and not EmailInvitation.objects.exists()


def test_stranger_cannot_see_or_use_someone_elses_import(mallory_client, alice_import, zoe):
    assert mallory_client.get(reverse("network:contacts_import", args=[alice_import.pk])).status_code == 404
    url = reverse("network:contacts_invite_members", args=[alice_import.pk])
    assert mallory_client.post(url, {"member": str(zoe.pk)}).status_code == 404
    url = reverse("network:contacts_invite_emails", args=[alice_import.pk])
    assert mallory_client.post(url, {"contact": "0", "consent": "on"}).status_code == 404
    assert mallory_client.post(reverse("network:contacts_import_close", args=[alice_import.pk])).status_code == 404
    page = mallory_client.get(reverse("network:contacts"))
    assert page.status_code == 200 and "contacts.csv" not in page.content.decode()
    assert not Invitation.objects.exists() and not EmailInvitation.objects.exists()


def test_owner_uploads_and_sees_the_report(alice_client, alice, zoe):
    page = alice_client.get(reverse("network:contacts"))
    assert "at most 24 hours" in page.content.decode()
    response = alice_client.post(
        reverse("network:contacts"), {"file": _upload(b"Name,Email\nZoe,zoe@example.org\nAnn,ann@example.org\n,\n")}
    )
    assert response.status_code == 302
    assert Job.objects.get().owner == alice
    report = alice_client.get(response["Location"]).content.decode()
    assert "Zoé Lambert" in report and "ann@example.org" in report
    assert "Preview of the e-mail" in report and "Alice Martin would like to connect with you" in report


def test_bad_file_shows_a_clear_message_and_writes_nothing(alice_client):
    response = alice_client.post(reverse("network:contacts"), {"file": _upload(b"\x89PNG\r\n\x1a\n\x00\x00", "me.csv")})
    assert response.status_code == 400
    assert "binary data" in response.content.decode()
    response = alice_client.post(
        reverse("network:contacts"), {"file": _upload("Nom,Courriel\né,e@x.org\n".encode("latin-1"))}
    )
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()
    response = alice_client.post(reverse("network:contacts"), {})
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_huge_upload_is_refused_before_reading_it(alice_client):
    response = alice_client.post(
        reverse("network:contacts"), {"file": _upload(b"Name,Email\n" + b"a" * (MAX_FILE_BYTES + 1))}
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not Job.objects.exists()


def test_upload_handler_stops_a_stream_without_content_length(rf, alice):
    from carnet.network.views_relations import _LimitedUploadHandler

    handler = _LimitedUploadHandler(rf.post("/"), 10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    from django.core.files.uploadhandler import StopUpload

    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"123456", 5)
    assert handler.exceeded


def test_owner_invites_members_and_contacts_through_the_page(alice_client, alice, alice_import, zoe, mailoutbox):
    response = alice_client.post(
        reverse("network:contacts_invite_members", args=[alice_import.pk]), {"member": [str(zoe.pk)]}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(sender=alice, recipient=zoe).exists()
    url = reverse("network:contacts_invite_emails", args=[alice_import.pk])
    alice_client.post(url, {"contact": ["0"]})  # no consent: nothing
    assert not EmailInvitation.objects.exists()
    alice_client.post(url, {"all": "1", "consent": "on"})
    assert list(EmailInvitation.objects.values_list("email", flat=True)) == ["ann@example.org"]
    page = alice_client.get(reverse("network:contacts_import", args=[alice_import.pk])).content.decode()
    assert "were erased" in page and "ann@example.org" not in page


def test_report_page_query_count_is_bounded(alice_client, alice, django_assert_max_num_queries):
    members = [MemberFactory(email=f"m{i}@example.org") for i in range(20)]
    rows = "".join(f"M{i},m{i}@example.org\n" for i in range(len(members)))
    job = importing.contacts_import(member=alice, data=f"Name,Email\n{rows}".encode())
    with django_assert_max_num_queries(15):
        response = alice_client.get(reverse("network:contacts_import", args=[job.pk]))
    assert response.content.decode().count('name="member"') == 20
