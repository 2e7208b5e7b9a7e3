"""Read address books: vCard (2.1, 3.0, 4.0), generic CSV and LinkedIn's Connections.csv.

Only what Carnet needs is kept from each contact: a name, the e-mail addresses, the company
and position. Files are recognised by their content, never by their name. Every problem with
the whole file raises `ContactFileError` with a message for the member; a problem with one
contact skips that contact and says why (line number and reason) in the result.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

# 10 MiB holds ~100,000 LinkedIn rows or a few thousand vCards without photos: far beyond a
# real address book. Larger files are refused before any parsing.
MAX_FILE_BYTES = 10 * 1024 * 1024
# Same as the connection cap (30,000): an address book cannot usefully be larger.
MAX_CONTACTS = 30_000
# A ZIP (LinkedIn's archive) may compress a lot; more than this ratio is a bomb, not an export.
MAX_ZIP_RATIO = 100
MAX_NAME = 200
MAX_EMAILS_PER_CONTACT = 10


class ContactFileError(ValueError):
    """The file as a whole cannot be read: nothing is imported."""


@dataclass
class Contact:
    line: int
    name: str
    emails: list[str] = field(default_factory=list)
    company: str = ""
    position: str = ""


@dataclass
class Skipped:
    line: int
    reason: str


@dataclass
class ParseResult:
    format: str  # "vcard", "csv" or "linkedin"
    contacts: list[Contact]
    skipped: list[Skipped]


def parse_contacts(data: bytes) -> ParseResult:
    """Recognise and parse an address book file. Raises ContactFileError for unusable files."""
    if len(data) > MAX_FILE_BYTES:
        raise ContactFileError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB. Export it without photos.")
            % {"size": round(len(data) / 1_048_576, 1), "limit": MAX_FILE_BYTES // 1_048_576}
        )
    if not data.strip():
        raise ContactFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        data = _connections_from_zip(data)
    text = _decode(data)
    result = _parse_vcards(text) if "BEGIN:VCARD" in text[:2000].upper() else _parse_csv(text)
    if len(result.contacts) > MAX_CONTACTS:
        raise ContactFileError(
            _("The file holds %(count)s contacts; at most %(limit)s can be imported at once.")
            % {"count": len(result.contacts), "limit": MAX_CONTACTS}
        )
    return result


def _connections_from_zip(data: bytes) -> bytes:
    """LinkedIn's data archive: read Connections.csv from it, never trusting declared sizes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if info.filename.rsplit("/", 1)[-1] == "Connections.csv"]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ContactFileError(_("This ZIP archive is damaged.")) from exc
    if not entries:
        raise ContactFileError(
            _("This ZIP archive has no Connections.csv: upload a vCard or CSV file, or LinkedIn's data archive.")
        )
    info = entries[0]
    if info.file_size > MAX_FILE_BYTES or info.file_size > max(info.compress_size, 1) * MAX_ZIP_RATIO:
        raise ContactFileError(_("Connections.csv in this archive is too large once uncompressed."))
    try:
        with archive.open(info) as member:
            # Read one byte more than allowed: the header's size may lie.
            content = member.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
        raise ContactFileError(_("Connections.csv cannot be read from this archive.")) from exc
    if len(content) > MAX_FILE_BYTES:
        raise ContactFileError(_("Connections.csv in this archive is too large once uncompressed."))
    return content


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ContactFileError(_("The file is not valid UTF-16 text.")) from exc
    if b"\x00" in data[:4096]:
        raise ContactFileError(_("This is not a vCard or CSV file (it holds binary data)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContactFileError(
            _(
                "The file is not UTF-8 text (byte %(position)s). Export it again choosing UTF-8 "
                "(Unicode) as the encoding."
            )
            % {"position": exc.start}
        ) from exc


def _clean_email(value: str) -> str | None:
    value = value.strip().strip("<>").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if not value or len(value) > 254:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value.lower()


def _add_emails(contact: Contact, values: list[str], skipped: list[Skipped]) -> None:
    bad = []
    for value in values:
        email = _clean_email(value)
        if email and email not in contact.emails:
            if len(contact.emails) < MAX_EMAILS_PER_CONTACT:
                contact.emails.append(email)
        elif not email and value.strip():
            bad.append(value.strip()[:80])
    if bad and not contact.emails:
        skipped.append(Skipped(contact.line, _("invalid e-mail address: %(value)s") % {"value": bad[0]}))


# ---------------------------------------------------------------------------------------
# vCard. Address books carry a lot we do not want (photos of hundreds of kilobytes, 2.1
# base64 blocks without folding, X- properties). Each card is reduced to the few properties
# we read before vobject decodes it, which also keeps one broken photo from losing a card.
# ---------------------------------------------------------------------------------------
_WANTED = {"VERSION", "FN", "N", "EMAIL", "ORG", "TITLE"}
_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)[;:]")


def _logical_lines(text: str):
    """(line number, unfolded line): RFC folding and vCard 2.1 quoted-printable soft breaks."""
    current: str | None = None
    start = 0
    quoted_printable = False
    for number, line in enumerate(text.splitlines(), start=1):
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
            continue
        if current is not None and quoted_printable and current.endswith("="):
            # A 2.1 soft line break may split a UTF-8 sequence: join before decoding.
            current = current[:-1] + line
            continue
        if current is not None:
            yield start, current
        current, start = line, number
        quoted_printable = "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper()
    if current is not None:
        yield start, current


def _parse_vcards(text: str) -> ParseResult:
    import vobject

    contacts: list[Contact] = []
    skipped: list[Skipped] = []
    card: list[str] | None = None
    card_line = 0
    # vobject logs every line it cannot parse; we report problems per contact ourselves.
    logging.getLogger("vobject").setLevel(logging.CRITICAL)
    for number, line in _logical_lines(text):
        match = _PROPERTY.match(line)
        if not match:
            continue
        name = match.group(1).upper()
        if name == "BEGIN" and line.split(":", 1)[-1].strip().upper() == "VCARD":
            card, card_line = ["BEGIN:VCARD"], number
        elif name == "END" and card is not None:
            card.append("END:VCARD")
            contact = _vcard_contact(vobject, card, card_line, skipped)
            if contact is not None:
                contacts.append(contact)
            card = None
        elif card is not None and name in _WANTED:
            card.append(line)
        if len(contacts) > MAX_CONTACTS:
            break
    if card is not None:
        skipped.append(Skipped(card_line, _("the card is not closed (END:VCARD missing)")))
    if not contacts and not skipped:
        raise ContactFileError(_("No contact was found in this vCard file."))
    return ParseResult("vcard", contacts, skipped)


def _read_card(vobject, lines: list[str]):
    """The card decoded by vobject; if one property is broken (bad quoted-printable, invalid
    UTF-8), the card is rebuilt from the properties that decode on their own."""
    try:
        return vobject.readOne("\r\n".join(lines) + "\r\n")
    except Exception:  # noqa: BLE001, S110 - vobject raises many kinds; a broken card is retried below
        pass
    version = next((item for item in lines if item.upper().startswith("VERSION")), "VERSION:3.0")
    card = None
    for item in lines[1:-1]:
        if item is version:
            continue
        try:
            part = vobject.readOne(f"BEGIN:VCARD\r\n{version}\r\n{item}\r\nEND:VCARD\r\n")
        except Exception:  # noqa: BLE001, S112 - this property is unreadable; the others may still do
            continue
        if card is None:
            card = part
        else:
            for child in part.getChildren():
                if child.name != "VERSION":
                    card.add(child)
    return card


def _vcard_contact(vobject, lines: list[str], line: int, skipped: list[Skipped]) -> Contact | None:
    card = _read_card(vobject, lines)
    if card is None:
        skipped.append(Skipped(line, _("the card cannot be read")))
        return None
    contact = Contact(line=line, name=_vcard_name(card))
    _add_emails(contact, [str(item.value) for item in card.contents.get("email", [])], skipped)
    orgs = card.contents.get("org", [])
    if orgs:
        value = orgs[0].value
        contact.company = _flatten(value[0] if isinstance(value, list) and value else value)[:MAX_NAME]
    titles = card.contents.get("title", [])
    if titles:
        contact.position = _flatten(titles[0].value)[:MAX_NAME]
    if not contact.emails:
        if not any(s.line == line for s in skipped):
            skipped.append(Skipped(line, _("no e-mail address")))
        return None
    return contact


def _flatten(value) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_flatten(v) for v in value if v).strip()
    return " ".join(str(value).split())


def _vcard_name(card) -> str:
    if "fn" in card.contents and str(card.fn.value).strip():
        return _flatten(card.fn.value)[:MAX_NAME]
    if "n" in card.contents:
        n = card.n.value
        return _flatten([n.prefix, n.given, n.additional, n.family, n.suffix])[:MAX_NAME]
    return ""


# ---------------------------------------------------------------------------------------
# CSV: LinkedIn's Connections.csv (a "Notes:" preamble before the header in 2021+ exports),
# Google and Outlook exports, or any sheet with name and e-mail columns.
# ---------------------------------------------------------------------------------------
_HEADER_SCAN_LINES = 10


def _norm(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower()).split())


_FIRST = {"first name", "given name", "firstname", "prenom", "prénom"}
_LAST = {"last name", "family name", "surname", "lastname", "nom de famille"}
_FULL = {"name", "full name", "display name", "nom", "contact", "fullname"}
_COMPANY = {"company", "organization", "organisation", "entreprise", "societe", "organization 1 name", "companies"}
_POSITION = {"position", "title", "job title", "poste", "fonction", "organization 1 title"}


@dataclass
class _Columns:
    first: int | None = None
    last: int | None = None
    full: int | None = None
    company: int | None = None
    position: int | None = None
    emails: list[int] = field(default_factory=list)


def _columns(header: list[str]) -> _Columns | None:
    columns = _Columns()
    for index, raw in enumerate(header):
        name = _norm(raw)
        if name in _FIRST and columns.first is None:
            columns.first = index
        elif name in _LAST and columns.last is None:
            columns.last = index
        elif name in _FULL and columns.full is None:
            columns.full = index
        elif name in _COMPANY and columns.company is None:
            columns.company = index
        elif name in _POSITION and columns.position is None:
            columns.position = index
        elif re.search(r"\b(e ?mail|courriel|mail)\b", name) and not re.search(r"\b(type|label|display)\b", name):
            columns.emails.append(index)
    if not columns.emails:
        return None
    return columns


def _dialect(sample: str):
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _parse_csv(text: str) -> ParseResult:
    lines = text.splitlines()
    linkedin = bool(lines) and lines[0].strip().strip('"').lower() == "notes:"
    header_index, columns, dialect = None, None, csv.excel
    for index, line in enumerate(lines[:_HEADER_SCAN_LINES]):
        if not line.strip() or (linkedin and index < 2):
            continue
        dialect = _dialect(line)
        try:
            header = next(csv.reader([line], dialect))
        except csv.Error:
            continue
        columns = _columns(header)
        if columns is not None:
            header_index = index
            break
    if header_index is None or columns is None:
        raise ContactFileError(
            _(
                "This is not a vCard file, and no e-mail column was found in its first lines. A CSV file "
                "needs a header line with a name and an e-mail column (e.g. First Name, Last Name, Email Address)."
            )
        )
    # The 2018 export has no preamble; its "Connected On" column still gives it away.
    linkedin = linkedin or "connected on" in {_norm(h) for h in header}
    contacts: list[Contact] = []
    skipped: list[Skipped] = []
    body = io.StringIO("\n".join(lines[header_index + 1 :]))
    reader = csv.reader(body, dialect)
    width = len(header)
    try:
        for row in reader:
            number = header_index + 1 + reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > width + 5:
                skipped.append(Skipped(number, _("the line has more columns than the header")))
                continue
            contact = _csv_contact(row, columns, number, skipped, linkedin=linkedin)
            if contact is not None:
                contacts.append(contact)
            if len(contacts) > MAX_CONTACTS:
                break
    except csv.Error as exc:
        raise ContactFileError(
            _("The CSV file is malformed near line %(line)s: %(error)s")
            % {"line": header_index + 1 + reader.line_num, "error": exc}
        ) from exc
    return ParseResult("linkedin" if linkedin else "csv", contacts, skipped)


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return " ".join(row[index].split())


def _csv_contact(
    row: list[str], columns: _Columns, line: int, skipped: list[Skipped], *, linkedin: bool
) -> Contact | None:
    name = _cell(row, columns.full) or f"{_cell(row, columns.first)} {_cell(row, columns.last)}".strip()
    contact = Contact(
        line=line,
        name=name[:MAX_NAME],
        company=_cell(row, columns.company)[:MAX_NAME],
        position=_cell(row, columns.position)[:MAX_NAME],
    )
    values: list[str] = []
    for index in columns.emails:
        # Google Contacts joins several addresses in one cell with " ::: ".
        values.extend(v for v in re.split(r":::|;|,|\s+", _cell(row, index)) if v.strip())
    _add_emails(contact, values, skipped)
    if not contact.emails:
        if not any(s.line == line for s in skipped):
            reason = (
                _("no e-mail address (LinkedIn exports only the addresses your connections allow)")
                if linkedin
                else _("no e-mail address")
            )
            skipped.append(Skipped(line, reason))
        return None
    return contact
