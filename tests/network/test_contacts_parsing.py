"""Reading address books written by real software (tests/fixtures/vcard, linkedin_connections),
and refusing bad files with a clear message."""

import io
import zipfile
from pathlib import Path

import pytest

from carnet.network.contacts.parsing import MAX_FILE_BYTES, ContactFileError, parse_contacts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VCARD = FIXTURES / "vcard"
LINKEDIN = FIXTURES / "linkedin_connections"


def _vcf(name: str):
    return parse_contacts((VCARD / name).read_bytes())


# ---------------------------------------------------------------------------------------
# vCard
# ---------------------------------------------------------------------------------------
def test_vcard_40_with_several_emails():
    result = _vcf("fullcontact.vcf")
    assert result.format == "vcard"
    [contact] = result.contacts
    assert contact.name == "Prefix FirstName MiddleName LastName Suffix"
    assert contact.emails == [
        "home@example.com",
        "work@example.com",
        "school@example.com",
        "other@example.com",
        "custom@example.com",
    ]
    assert (contact.company, contact.position) == ("Organization1", "Title1")


def test_rfc_examples_30_and_40():
    result = _vcf("rfc2426-example.vcf")
    assert [(c.name, c.emails) for c in result.contacts] == [
        ("Frank Dawson", ["frank_dawson@lotus.com", "fdawson@earthlink.net"]),
        ("Tim Howes", ["howes@netscape.com"]),
    ]
    [simon] = _vcf("rfc6350-example.vcf").contacts
    assert (simon.name, simon.emails, simon.company) == ("Simon Perreault", ["simon.perreault@viagenie.ca"], "Viagenie")


def test_gmail_list_of_cards():
    names = [c.name for c in _vcf("gmail-list.vcf").contacts]
    assert names == ["Arnold Smith", "Chris Beatle", "Doug White"]


def test_iphone_card_with_a_big_folded_photo():
    [contact] = _vcf("John_Doe_IPHONE.vcf").contacts
    assert contact.emails == ["john.doe@ibm.com"] and contact.company == "IBM"


def test_lotus_notes_card_with_two_emails_and_item_groups():
    [contact] = _vcf("John_Doe_LOTUS_NOTES.vcf").contacts
    assert contact.emails == ["john.doe@ibm.com", "billy_bob@gmail.com"]


def test_utf8_names_and_groups():
    [contact] = _vcf("radicale_1238_0.vcf").contacts
    assert contact.name == "Fàn Tông" and contact.emails == ["nihao@fantong.com.au"]
    [mayor] = _vcf("vcard_with_groups.vcf").contacts
    assert (mayor.name, mayor.emails, mayor.position) == ("Meister Berger", ["mb@goerlitz.de"], "Mayor")


def test_vcard_21_quoted_printable_with_soft_breaks_and_broken_properties():
    result = _vcf("John_Doe_ANDROID.vcf")
    emails = [c.emails[0] for c in result.contacts]
    assert emails == ["john.doe@company.com", "jane.doe@company.com", "bob@company.com", "henry@company.com"]
    bob = result.contacts[2]
    assert bob.name == "Ñ Ñ Ñ Ñ"  # QUOTED-PRINTABLE, CHARSET=UTF-8
    # The last card has an ORG whose quoted-printable ends in invalid UTF-8: the card is kept.
    assert result.contacts[3].name == "ÑÑÑÑ"
    assert [(s.line, s.reason) for s in result.skipped] == [(11, "no e-mail address"), (18, "no e-mail address")]


def test_quoted_printable_soft_break_inside_a_utf8_character_is_joined_before_decoding():
    # radicale_1238_1: the soft line break splits "测" in two; with an e-mail it imports.
    data = (
        (VCARD / "radicale_1238_1.vcf")
        .read_bytes()
        .replace(b"TEL;CELL:12 345 678 90", b"TEL;CELL:12 345 678 90\r\nEMAIL:ceshi@example.org")
    )
    [contact] = parse_contacts(data).contacts
    assert contact.name == "测试测试测试测试测试测"
    assert contact.emails == ["ceshi@example.org"]


def test_outlook_21_cards():
    [contact] = _vcf("outlook-2007.vcf").contacts
    assert (contact.name, contact.emails, contact.company) == (
        "Mr. Michael Angstadt Jr.",
        ["mike.angstadt@gmail.com"],
        "TheCompany",
    )
    [outlook] = _vcf("John_Doe_MS_OUTLOOK.vcf").contacts
    assert outlook.emails == ["john.doe@ibm.cm"]


def test_card_without_end_is_reported():
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEMAIL:a@example.org\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:B\r\n"
    result = parse_contacts(data)
    assert [c.name for c in result.contacts] == ["A"]
    assert [s.reason for s in result.skipped] == ["the card is not closed (END:VCARD missing)"]


def test_invalid_email_is_reported_with_its_value():
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEMAIL:not-an-address\r\nEND:VCARD\r\n"
    result = parse_contacts(data)
    assert result.contacts == []
    assert result.skipped[0].reason == "invalid e-mail address: not-an-address"


# ---------------------------------------------------------------------------------------
# LinkedIn Connections.csv: real headers (three export versions) + synthetic rows
# ---------------------------------------------------------------------------------------
ROWS_2023 = (
    "Zoé,Lambert,https://www.linkedin.com/in/zoe-lambert,zoe@example.org,Acme,Data engineer,04 Jul 2023\n"
    "Paul,Martin,https://www.linkedin.com/in/pmartin,,Globex,CTO,01 Feb 2022\n"
    '"Rezaee, PhD",Ali,https://www.linkedin.com/in/ali,ali@example.org,"Acme, Inc.","Lead, data",10 Jan 2021\n'
)


@pytest.mark.parametrize("export", ["2023-07_basic_export", "2024-12_full_export"])
def test_linkedin_connections_with_notes_preamble(export):
    header = (LINKEDIN / f"Connections-{export}.csv").read_bytes()
    result = parse_contacts(header + ROWS_2023.encode())
    assert result.format == "linkedin"
    assert [(c.name, c.emails, c.company, c.position) for c in result.contacts] == [
        ("Zoé Lambert", ["zoe@example.org"], "Acme", "Data engineer"),
        ("Rezaee, PhD Ali", ["ali@example.org"], "Acme, Inc.", "Lead, data"),
    ]
    # Line numbers are the file's: 4 header lines, Paul on line 6.
    assert [(s.line, s.reason) for s in result.skipped] == [
        (6, "no e-mail address (LinkedIn exports only the addresses your connections allow)")
    ]


def test_linkedin_2018_connections_without_preamble_or_url():
    header = (LINKEDIN / "Connections-2018-11_full_export.csv").read_bytes()
    rows = 'Jean,Dupont,jean@example.org,Acme,Engineer,"1/8/18, 6:14 PM"\n'
    result = parse_contacts(header + rows.encode())
    assert result.format == "linkedin"
    assert [(c.name, c.emails, c.position) for c in result.contacts] == [
        ("Jean Dupont", ["jean@example.org"], "Engineer")
    ]


def test_linkedin_header_only_file_is_empty_not_an_error():
    result = parse_contacts((LINKEDIN / "Connections-2024-12_full_export.csv").read_bytes())
    assert result.contacts == [] and result.skipped == []


def test_linkedin_data_archive_zip_is_read():
    header = (LINKEDIN / "Connections-2024-12_full_export.csv").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Profile.csv", "First Name,Last Name\n")
        archive.writestr("Connections.csv", header + ROWS_2023.encode())
    result = parse_contacts(buffer.getvalue())
    assert len(result.contacts) == 2


# ---------------------------------------------------------------------------------------
# Generic CSV
# ---------------------------------------------------------------------------------------
def test_generic_csv_columns_are_detected_semicolons_and_bom_included():
    data = "\ufeffNom;Courriel;Entreprise\nÉlise Roux;elise@example.org;Acme\n;;\nSans Mail;;\n".encode()
    result = parse_contacts(data)
    assert result.format == "csv"
    assert [(c.name, c.emails, c.company) for c in result.contacts] == [("Élise Roux", ["elise@example.org"], "Acme")]
    assert [(s.line, s.reason) for s in result.skipped] == [(4, "no e-mail address")]


def test_google_contacts_csv_with_several_addresses_in_one_cell():
    data = (
        b"Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Value\n"
        b"Ada Lovelace,Ada,Lovelace,* Home,ada@example.org ::: ada@work.example.org,countess@example.org\n"
    )
    [ada] = parse_contacts(data).contacts
    assert ada.name == "Ada Lovelace"
    assert ada.emails == ["ada@example.org", "ada@work.example.org", "countess@example.org"]


def test_utf16_csv_with_bom_is_read():
    data = "First Name\tLast Name\tEmail Address\nAnna\tKarl\tanna@example.org\n".encode("utf-16")
    [anna] = parse_contacts(data).contacts
    assert (anna.name, anna.emails) == ("Anna Karl", ["anna@example.org"])


# ---------------------------------------------------------------------------------------
# Bad files: a clear message, nothing read
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Nom,Courriel\nÉlise,elise@example.org\n".encode("latin-1"), "not UTF-8"),
        (b"just some text\nwithout columns\n", "no e-mail column"),
        (b"PK\x03\x04garbage", "damaged"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ContactFileError, match=message):
        parse_contacts(data)


def test_too_large_file_is_refused_before_parsing():
    with pytest.raises(ContactFileError, match="too large"):
        parse_contacts(b"BEGIN:VCARD\r\n" + b"x" * MAX_FILE_BYTES)


def test_zip_bomb_is_refused_without_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", b"First Name,Last Name,Email Address\n" + b"0" * (MAX_FILE_BYTES + 1))
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ContactFileError, match="too large once uncompressed"):
        parse_contacts(buffer.getvalue())


def test_zip_without_connections_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Profile.csv", "First Name\n")
    with pytest.raises(ContactFileError, match="no Connections.csv"):
        parse_contacts(buffer.getvalue())


def test_too_many_contacts_are_refused(monkeypatch):
    from carnet.network.contacts import parsing

    monkeypatch.setattr(parsing, "MAX_CONTACTS", 2)
    data = "Name,Email\n" + "".join(f"P{i},p{i}@example.org\n" for i in range(5))
    with pytest.raises(ContactFileError, match="at most 2"):
        parse_contacts(data.encode())
