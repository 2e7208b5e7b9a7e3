"""What an import did: the counts of what it wrote, and each thing it skipped and why.

Reasons are stored as codes with parameters and turned into sentences when shown, so a
report saved by a background task (core.Job.report) reads in the language of whoever
looks at it later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Section keys of a report, in the order pages list them.
SECTIONS = {
    "basics": _("Profile details"),
    "positions": _("Positions"),
    "education": _("Education"),
    "skills": _("Skills"),
    "languages": _("Languages"),
    "certifications": _("Certifications"),
    "volunteering": _("Volunteering"),
    "projects": _("Projects"),
    "publications": _("Publications"),
}

REASONS = {
    "null": _("the value is null: treated as absent."),
    "unknown_property": _("not part of the JSON Resume schema: ignored."),
    "no_section": _("Carnet has no section for this: skipped."),
    "not_stored": _("Carnet does not keep this detail: skipped."),
    "metadata": _("information about the file, not about you: not imported."),
    "remote_image": _("Carnet does not download pictures from other sites: upload your photo on your profile."),
    "missing": _("skipped: it has no %(what)s."),
    "duplicate": _("already on your profile: skipped."),
    "truncated": _("shortened to %(limit)s characters."),
    "invalid_url": _("%(value)s is not a web address: skipped."),
    "invalid_email": _("%(value)s is not an e-mail address: skipped."),
    "invalid_date": _("%(value)s is not a date Carnet understands: skipped."),
    "invalid": _("skipped: %(errors)s"),
    "unknown_fluency": _("the level %(value)s is not one Carnet knows: the language is kept without a level."),
    "merged": _("added to the description."),
    "file_not_imported": _("this file is not imported: Carnet has no place for it."),
    "file_contacts": _("your connections are imported from the contacts page (address book import)."),
    "file_missing": _("not in the archive: nothing to import from it."),
    "file_duplicate": _("the archive holds this file twice: only the first one is read."),
    "column_ignored": _("the column %(value)s is not imported."),
    "encoding": _("the file is not UTF-8: it was read as %(value)s; check accents and special characters."),
}


@dataclass
class Skip:
    where: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(REASONS[self.code]) % self.params if self.params else str(REASONS[self.code])

    def as_dict(self) -> dict:
        return {"where": self.where, "code": self.code, "params": self.params, "message": self.message}


@dataclass
class ImportReport:
    """Counts of what an import wrote per section, and what it left out."""

    source: str
    imported: dict[str, int] = field(default_factory=dict)
    updated: list[str] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)

    def skip(self, where: str, code: str, **params) -> None:
        self.skipped.append(Skip(where, code, {k: str(v) for k, v in params.items()}))

    def count(self, section: str, n: int = 1) -> None:
        self.imported[section] = self.imported.get(section, 0) + n

    @property
    def total_imported(self) -> int:
        return sum(self.imported.values()) + len(self.updated)

    def as_dict(self) -> dict:
        """A JSON-serialisable form, for core.Job.report and the API. `message` is rendered in
        the active language; pages re-render from `code` and `params` (see `from_dict`)."""
        return {
            "source": self.source,
            "imported": dict(self.imported),
            "updated": list(self.updated),
            "skipped": [skip.as_dict() for skip in self.skipped],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        report = cls(source=data.get("source", ""))
        report.imported = dict(data.get("imported") or {})
        report.updated = list(data.get("updated") or [])
        report.skipped = [
            Skip(item["where"], item["code"], item.get("params") or {})
            for item in data.get("skipped") or []
            if item.get("code") in REASONS
        ]
        return report

    def imported_lines(self) -> list[tuple[str, int]]:
        """(section label, count) for the sections something was written to, in page order."""
        return [(str(label), self.imported[key]) for key, label in SECTIONS.items() if self.imported.get(key)]

    def updated_labels(self) -> list[str]:
        return [str(FIELD_LABELS.get(name, name)) for name in self.updated]


FIELD_LABELS = {
    "first_name": _("first name"),
    "last_name": _("last name"),
    "headline": _("headline"),
    "about": _("about"),
    "location": _("location"),
    "industry": _("industry"),
    "contact_email": _("contact e-mail"),
    "phone": _("phone"),
    "websites": _("websites"),
}


class ImportRefused(Exception):
    """The file cannot be imported at all; nothing was written. `message` is for the member."""

    def __init__(self, message, *, code: str = "invalid_file", details: list[str] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.details = details or []

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return "\n".join([self.message, *(f"  - {line}" for line in self.details)])

    def as_dict(self) -> dict:
        return {"error": self.code, "detail": self.message, "errors": self.details}
