"""Reading the CSV files of LinkedIn's data export, whatever the year they were made.

Plain functions with no database access, for every importer of LinkedIn files (the profile
archive here, Connections.csv in the address-book import):
- `decode`: UTF-8 (with or without BOM), UTF-16 with BOM (2018 exports), else Windows-1252 /
  Latin-1, saying which was used; binary data is refused.
- `read_table`: finds the header line after any "Notes:" preamble (Connections.csv since
  2021) and yields each row as a dict keyed by column name, with its line number.
- `parse_date`: every date style seen in the exports ("Jan 2019", "2019", "Apr 3, 2023",
  "04 Jul 2023", "1/8/18, 6:14 PM", "2023/07/04 12:00:00 UTC"...).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# A "Notes:" preamble is three lines; a dozen leaves room for what LinkedIn may add.
MAX_PREAMBLE_ROWS = 12


class CsvError(ValueError):
    """The file cannot be read as the LinkedIn table it should be; the message is for the member."""


@dataclass
class CsvTable:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, row)
    encoding: str = "utf-8"

    @property
    def fell_back(self) -> bool:
        """True when the file was not UTF-8/UTF-16 and was read as a legacy 8-bit encoding."""
        return self.encoding in ("cp1252", "latin-1")


def decode(data: bytes, *, name: str = "") -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise CsvError(_("%(name)s is not readable UTF-16 text.") % {"name": name}) from exc
    if b"\x00" in data[:65536]:
        raise CsvError(_("%(name)s holds binary data, not text.") % {"name": name})
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    # Latin-1 decodes any byte: the last resort for bytes Windows-1252 leaves undefined.
    return data.decode("latin-1"), "latin-1"


def _cells(row: list[str]) -> list[str]:
    return [cell.strip().lstrip("\ufeff") for cell in row]


def read_table(data: bytes, *, name: str, required: Iterable[str], max_rows: int = 100_000) -> CsvTable:
    """Parse one LinkedIn CSV file. `required` are the columns that identify its header line."""
    text, encoding = decode(data, name=name)
    first_line = text.split("\n", 1)[0]
    # 2018's UTF-16 files are tab-separated; every other file uses commas.
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    required = set(required)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: CsvTable | None = None
    last_line = 0
    try:
        for row in reader:
            # A row may span lines (a quoted description); the report points at its first.
            first_line, last_line = last_line + 1, reader.line_num
            if table is None:
                cells = _cells(row)
                if required <= set(cells):
                    table = CsvTable(name=name, header=cells, encoding=encoding)
                elif reader.line_num > MAX_PREAMBLE_ROWS:
                    break
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(table.rows) >= max_rows:
                raise CsvError(_("%(name)s has more than %(limit)s rows.") % {"name": name, "limit": max_rows})
            values = {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(table.header)}
            table.rows.append((first_line, values))
    except csv.Error as exc:
        raise CsvError(
            _("%(name)s is not a readable CSV file (line %(line)s: %(error)s).")
            % {"name": name, "line": reader.line_num, "error": exc}
        ) from exc
    if table is None:
        raise CsvError(
            _("%(name)s does not start with LinkedIn's header line (columns %(columns)s).")
            % {"name": name, "columns": ", ".join(sorted(required))}
        )
    return table


# ---------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})$"),
    re.compile(r"^(?P<m>[A-Za-z]+)\.? (?P<y>\d{4})$"),
    re.compile(r"^(?P<m>[A-Za-z]+)\.? (?P<d>\d{1,2}),? (?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2}) (?P<m>[A-Za-z]+)\.? (?P<y>\d{4})$"),
    re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2}|\d{4})(?:,? .*)?$"),
    re.compile(r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})(?:[-/](?P<d>\d{1,2}))?(?:[ T].*)?$"),
    # "Tue Jun 20 12:25:51 UTC 2023" (Company Follows.csv)
    re.compile(r"^[A-Za-z]{3} (?P<m>[A-Za-z]{3}) (?P<d>\d{1,2}) [\d:]+ [A-Z]+ (?P<y>\d{4})$"),
)


def _year(text: str, today: datetime.date) -> int:
    year = int(text)
    if len(text) == 2:
        # "1/8/18": the 2000s unless that would be in the future.
        year += 2000 if 2000 + year <= today.year + 1 else 1900
    return year


def parse_date(value: str, *, today: datetime.date | None = None) -> datetime.date | None:
    """The date in a LinkedIn cell; None for an empty cell. Raises ValueError when the cell
    holds something that is not a date. A month without a day is its first day."""
    value = " ".join((value or "").split())
    if not value:
        return None
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar year pivot, no time zone involved
    for pattern in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        parts = match.groupdict()
        month_text = parts.get("m")
        if month_text is None:
            month = 1
        elif month_text.isdigit():
            month = int(month_text)
        else:
            month = _MONTHS.get(month_text.casefold())
            if month is None:
                raise ValueError(value)
        day = int(parts["d"]) if parts.get("d") else 1
        try:
            return datetime.date(_year(parts["y"], today), month, day)
        except ValueError:
            raise ValueError(value) from None
    raise ValueError(value)
