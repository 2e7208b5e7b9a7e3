"""Export of one's connections as vCard 4.0 and CSV: every field through the policy, as the
exporting member sees each connection."""

import csv
import io

import pytest
import vobject
from django.urls import reverse

from carnet.network.contacts.exporting import CSV_HEADER, connections_csv, connections_vcard
from carnet.network.contacts.parsing import parse_contacts
from carnet.network.services import connection_create
from tests.factories import MemberFactory, OrganizationFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob_details(bob):
    bob.profile.contact_email = "bob.work@example.org"
    bob.profile.phone = "+33 6 12 34 56 78"
    bob.profile.save()
    PositionFactory(profile=bob.profile, organization=OrganizationFactory(name="Acme"), title="Data engineer")
    return bob


def _csv_rows(member):
    return list(csv.reader(io.StringIO("".join(connections_csv(member=member)))))


def test_csv_has_linkedin_columns_and_contact_info_allowed_to_connections(alice, bob_details):
    rows = _csv_rows(alice)
    assert rows[0] == CSV_HEADER
    first, last, url, email, company, position, connected_on, phone = rows[1]
    assert (first, last, email, company, position, phone) == (
        "Bob",
        "Durand",
        "bob.work@example.org",
        "Acme",
        "Data engineer",
        "+33 6 12 34 56 78",
    )
    assert url.endswith(f"/in/{bob_details.profile.slug}/")
    # The export re-imports as a LinkedIn-style CSV.
    [contact] = parse_contacts("".join(connections_csv(member=alice)).encode()).contacts
    assert contact.emails == ["bob.work@example.org"]


def test_contact_info_hidden_by_the_connection_is_not_exported(alice, bob_details):
    bob_details.profile.visibility = {"contact_info": "only_me", "current_position": "only_me"}
    bob_details.profile.save()
    row = _csv_rows(alice)[1]
    assert row[3] == "" and row[7] == "" and row[4] == "" and row[5] == ""
    assert row[0] == "Bob"


def test_login_address_is_never_exported(alice, bob):
    row = _csv_rows(alice)[1]
    assert "bob@example.org" not in row


def test_vcard_40_export(alice, bob_details):
    text = "".join(connections_vcard(member=alice))
    card = vobject.readOne(text)
    assert card.version.value == "4.0"
    assert card.fn.value == "Bob Durand"
    assert card.email.value == "bob.work@example.org"
    assert card.tel.value == "+33 6 12 34 56 78"
    assert card.org.value == ["Acme"] and card.title.value == "Data engineer"
    assert parse_contacts(text.encode()).contacts[0].emails == ["bob.work@example.org"]


def test_csv_cells_cannot_inject_formulas(alice):
    evil = MemberFactory(first_name="=HYPERLINK(1)", last_name="-2+cmd|'/C calc'!A0")
    connection_create(member=alice, other=evil)
    row = _csv_rows(alice)[1]
    assert row[0] == "'=HYPERLINK(1)" and row[1] == "'-2+cmd|'/C calc'!A0"


def test_only_my_connections_are_exported(alice, bob, carol, mallory):
    assert [row[0] for row in _csv_rows(alice)[1:]] == ["Bob"]
    assert _csv_rows(mallory)[1:] == []


@pytest.mark.parametrize("fmt", ["vcf", "csv"])
def test_export_pages_access(client, alice, bob, mallory, fmt):
    url = reverse("network:contacts_export", args=[fmt])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(mallory)
    assert "Bob" not in b"".join(client.get(url).streaming_content).decode()
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "Bob" in b"".join(response.streaming_content).decode()


def test_export_queries_are_chunked_not_per_connection(alice, django_assert_max_num_queries):
    for _ in range(30):
        other = MemberFactory()
        connection_create(member=alice, other=other)
        PositionFactory(profile=other.profile)
    with django_assert_max_num_queries(10):
        rows = _csv_rows(alice)
    assert len(rows) == 31
