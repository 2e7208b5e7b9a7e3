"""JSON Resume (https://jsonresume.org, schema 1.x): read a file into an `ImportPlan`, and
write a profile out as a JSON Resume document.

Reading refuses, with a message for the member, anything that is not a JSON Resume: too
large, not UTF-8, not JSON, not an object, not valid against the schema, impossible dates.
It never writes; `services.resume_import` does, in one transaction.

`null` values count as absent (real tools write `"endDate": null` for a current job) and
are reported. The schema itself forbids them; `strict=True` applies it to the letter.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from jsonschema import Draft7Validator, FormatChecker

from carnet.profiles.portability.plan import (
    FLUENCY_EXPORT,
    CertificationIn,
    EducationIn,
    ImportPlan,
    LanguageIn,
    PositionIn,
    ProjectIn,
    PublicationIn,
    VolunteeringIn,
    WebsiteIn,
    proficiency_from_text,
)
from carnet.profiles.portability.report import ImportRefused, ImportReport

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "jsonresume-1.2.1.json"
SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
# Schema errors listed in a refusal; the rest are counted.
MAX_LISTED_ERRORS = 20

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def max_bytes() -> int:
    return settings.CARNET_RESUME_MAX_BYTES


@functools.cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _validator() -> Draft7Validator:
    # Only "email" is checked among the formats: the schema marks `$schema` and every URL
    # as "uri", yet its own valid fixtures hold relative references ("foo-bar-baz").
    return Draft7Validator(schema(), format_checker=FormatChecker(formats=["email"]))


def parse_date(value: str) -> datetime.date:
    """A JSON Resume date (YYYY, YYYY-MM or YYYY-MM-DD) as a date; the missing parts are the
    first month / first day. Raises ValueError for anything else, including 2019-02-30."""
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(value)
    year, month, day = match.groups()
    return datetime.date(int(year), int(month or 1), int(day or 1))


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------
def _json_kind(value) -> str:
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list […]")
    return _("an object {…}")


_TYPE_WORDS = {
    "string": "text",
    "array": "a list […]",
    "object": "an object {…}",
    "number": "a number",
    "integer": "a number",
    "boolean": "true/false",
    "null": "null",
}


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load(data: bytes) -> dict:
    """Bytes to the JSON object of a resume, or ImportRefused saying what is wrong."""
    limit = max_bytes()
    if len(data) > limit:
        raise ImportRefused(
            _("The file is too large (%(size)s KB); a JSON Resume may be at most %(limit)s KB.")
            % {"size": len(data) // 1024, "limit": limit // 1024},
            code="too_large",
        )
    if not data.strip():
        raise ImportRefused(_("The file is empty."), code="empty")
    encoding = json.detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            _(
                "This file is not UTF-8 text (unexpected byte at position %(position)s): a JSON Resume "
                "must be saved as UTF-8."
            )
            % {"position": exc.start},
            code="encoding",
        ) from exc
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            _("This file is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            code="not_json",
        ) from exc
    except ValueError as exc:
        raise ImportRefused(_("This file is not valid JSON (%(error)s).") % {"error": exc}, code="not_json") from exc
    except RecursionError as exc:
        raise ImportRefused(_("This file is nested too deeply to be a resume."), code="not_json") from exc
    if not isinstance(document, dict):
        raise ImportRefused(
            _("A JSON Resume is a JSON object ({…}); this file holds %(kind)s.") % {"kind": _json_kind(document)},
            code="not_object",
        )
    return document


def _refuse_constant(name: str):
    raise ValueError(_("%(name)s is not a JSON value") % {"name": name})


def drop_nulls(value, path: str, report: ImportReport):
    """The document without its nulls, each one reported."""
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if item is None:
                report.skip(where, "null")
            else:
                kept[key] = drop_nulls(item, where, report)
        return kept
    if isinstance(value, list):
        kept_items = []
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if item is None:
                report.skip(where, "null")
            else:
                kept_items.append(drop_nulls(item, where, report))
        return kept_items
    return value


def _describe(error) -> str:
    where = _path(error.absolute_path) or _("the file")
    instance = error.instance
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = _(" or ").join(_(_TYPE_WORDS.get(name, name)) for name in expected)
        return _("%(where)s: expected %(expected)s, found %(found)s.") % {
            "where": where,
            "expected": words,
            "found": _json_kind(instance),
        }
    if error.validator == "pattern" and isinstance(instance, str):
        return _("%(where)s: %(value)s is not a date written YYYY, YYYY-MM or YYYY-MM-DD.") % {
            "where": where,
            "value": json.dumps(instance[:40]),
        }
    if error.validator == "format" and error.validator_value == "email":
        return _("%(where)s: %(value)s is not an e-mail address.") % {
            "where": where,
            "value": json.dumps(instance[:80]) if isinstance(instance, str) else instance,
        }
    return f"{where}: {error.message[:200]}"


def validate(document: dict) -> None:
    """Refuse a document the JSON Resume schema does not accept, listing what is wrong."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    lines = [_describe(error) for error in errors[:MAX_LISTED_ERRORS]]
    if len(errors) > MAX_LISTED_ERRORS:
        lines.append(_("… and %(count)s more problems.") % {"count": len(errors) - MAX_LISTED_ERRORS})
    raise ImportRefused(
        _("This file is not a valid JSON Resume: nothing was imported. Fix these and try again:"),
        code="schema",
        details=lines,
    )


def _resolve(node: dict) -> dict:
    ref = node.get("$ref", "")
    if ref.startswith("#/definitions/"):
        return schema()["definitions"][ref.rsplit("/", 1)[-1]]
    return node


def report_unknown(value, node: dict, path: str, report: ImportReport) -> None:
    """Report every property the schema does not define (they are ignored)."""
    node = _resolve(node)
    if isinstance(value, dict) and "properties" in node:
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key in node["properties"]:
                report_unknown(item, node["properties"][key], where, report)
            else:
                report.skip(where, "unknown_property")
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for index, item in enumerate(value):
            report_unknown(item, node["items"], f"{path}[{index}]", report)


class _Dates:
    """Collects impossible dates (2019-02-30 passes the schema's pattern) to refuse them together."""

    def __init__(self):
        self.errors: list[str] = []

    def get(self, item: dict, key: str, where: str) -> datetime.date | None:
        value = item.get(key)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.errors.append(
                _("%(where)s: %(value)s is not a real date.") % {"where": f"{where}.{key}", "value": value}
            )
            return None


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    return value.strip() if isinstance(value, str) else ""


def _with_highlights(item: dict, where: str, description: str, report: ImportReport) -> str:
    highlights = [h.strip() for h in item.get("highlights") or [] if isinstance(h, str) and h.strip()]
    if not highlights:
        return description
    report.skip(f"{where}.highlights", "merged")
    bullets = "\n".join(f"• {h}" for h in highlights)
    return f"{description}\n\n{bullets}" if description else bullets


def _not_stored(item: dict, keys: tuple[str, ...], where: str, report: ImportReport) -> None:
    for key in keys:
        if item.get(key) not in (None, "", [], {}):
            report.skip(f"{where}.{key}", "not_stored")


def _basics(basics: dict, plan: ImportPlan, report: ImportReport) -> None:
    name = " ".join(_text(basics, "name").split())
    if name:
        first, _sep, last = name.partition(" ")
        plan.basics["first_name"] = (first, "basics.name")
        plan.basics["last_name"] = (last, "basics.name")
    for key, target in (("label", "headline"), ("summary", "about"), ("email", "contact_email"), ("phone", "phone")):
        if _text(basics, key):
            plan.basics[target] = (_text(basics, key), f"basics.{key}")
    location = basics.get("location") or {}
    parts = [_text(location, key) for key in ("city", "region", "countryCode")]
    if any(parts):
        plan.basics["location"] = (", ".join(p for p in parts if p), "basics.location")
    _not_stored(location, ("address", "postalCode"), "basics.location", report)
    if _text(basics, "image"):
        report.skip("basics.image", "remote_image")
    if _text(basics, "url"):
        plan.websites.append(WebsiteIn("basics.url", _text(basics, "url")))
    for index, item in enumerate(basics.get("profiles") or []):
        where = f"basics.profiles[{index}]"
        if not _text(item, "url"):
            report.skip(where, "missing", what=_("web address (url)"))
            continue
        plan.websites.append(WebsiteIn(where, _text(item, "url"), _text(item, "network")))
        _not_stored(item, ("username",), where, report)


def to_plan(document: dict, report: ImportReport) -> ImportPlan:
    """Map a valid JSON Resume document onto Carnet's profile (see the module docstring)."""
    plan = ImportPlan()
    dates = _Dates()
    _basics(document.get("basics") or {}, plan, report)

    for index, item in enumerate(document.get("work") or []):
        where = f"work[{index}]"
        start = dates.get(item, "startDate", where)
        end = dates.get(item, "endDate", where)
        if not _text(item, "position"):
            report.skip(where, "missing", what=_("position title"))
        elif not _text(item, "name"):
            report.skip(where, "missing", what=_("company name"))
        elif start is None and not item.get("startDate"):
            report.skip(where, "missing", what=_("start date"))
        else:
            _not_stored(item, ("url", "description"), where, report)
            description = _with_highlights(item, where, _text(item, "summary"), report)
            plan.positions.append(
                PositionIn(
                    where,
                    company=_text(item, "name"),
                    title=_text(item, "position"),
                    start=start,
                    end=end,
                    location=_text(item, "location"),
                    description=description,
                )
            )

    for index, item in enumerate(document.get("volunteer") or []):
        where = f"volunteer[{index}]"
        start = dates.get(item, "startDate", where)
        end = dates.get(item, "endDate", where)
        if not _text(item, "organization"):
            report.skip(where, "missing", what=_("organization"))
        elif not _text(item, "position"):
            report.skip(where, "missing", what=_("role (position)"))
        else:
            _not_stored(item, ("url",), where, report)
            description = _with_highlights(item, where, _text(item, "summary"), report)
            plan.volunteering.append(
                VolunteeringIn(
                    where, _text(item, "organization"), _text(item, "position"), start, end, description=description
                )
            )

    for index, item in enumerate(document.get("education") or []):
        where = f"education[{index}]"
        start = dates.get(item, "startDate", where)
        end = dates.get(item, "endDate", where)
        if not _text(item, "institution"):
            report.skip(where, "missing", what=_("institution"))
            continue
        _not_stored(item, ("url", "score", "courses"), where, report)
        plan.education.append(
            EducationIn(
                where,
                school=_text(item, "institution"),
                degree=_text(item, "studyType"),
                field_of_study=_text(item, "area"),
                start_year=start.year if start else None,
                end_year=end.year if end else None,
            )
        )

    for index, item in enumerate(document.get("certificates") or []):
        where = f"certificates[{index}]"
        issued = dates.get(item, "date", where)
        if not _text(item, "name"):
            report.skip(where, "missing", what=_("name"))
            continue
        plan.certifications.append(
            CertificationIn(where, _text(item, "name"), _text(item, "issuer"), issued=issued, url=_text(item, "url"))
        )

    for index, item in enumerate(document.get("publications") or []):
        where = f"publications[{index}]"
        released = dates.get(item, "releaseDate", where)
        if not _text(item, "name"):
            report.skip(where, "missing", what=_("name"))
            continue
        plan.publications.append(
            PublicationIn(
                where,
                _text(item, "name"),
                publisher=_text(item, "publisher"),
                date=released,
                url=_text(item, "url"),
                description=_text(item, "summary"),
            )
        )

    for index, item in enumerate(document.get("skills") or []):
        where = f"skills[{index}]"
        names = [_text(item, "name")] + [
            k.strip() for k in item.get("keywords") or [] if isinstance(k, str) and k.strip()
        ]
        names = [n for n in names if n]
        if not names:
            report.skip(where, "missing", what=_("name"))
            continue
        _not_stored(item, ("level",), where, report)
        plan.skills.extend((name, where) for name in names)

    for index, item in enumerate(document.get("languages") or []):
        where = f"languages[{index}]"
        if not _text(item, "language"):
            report.skip(where, "missing", what=_("language"))
            continue
        fluency = _text(item, "fluency")
        level = proficiency_from_text(fluency) if fluency else None
        if fluency and level is None:
            report.skip(f"{where}.fluency", "unknown_fluency", value=fluency[:60])
        plan.languages.append(LanguageIn(where, _text(item, "language"), level or ""))

    for index, item in enumerate(document.get("projects") or []):
        where = f"projects[{index}]"
        start = dates.get(item, "startDate", where)
        end = dates.get(item, "endDate", where)
        if not _text(item, "name"):
            report.skip(where, "missing", what=_("name"))
            continue
        _not_stored(item, ("keywords", "roles", "entity", "type"), where, report)
        description = _with_highlights(item, where, _text(item, "description"), report)
        plan.projects.append(ProjectIn(where, _text(item, "name"), description, _text(item, "url"), start, end))

    for section in ("awards", "interests", "references"):
        if document.get(section):
            report.skip(section, "no_section")
    if document.get("meta"):
        report.skip("meta", "metadata")

    if dates.errors:
        raise ImportRefused(
            _("Some dates in this file do not exist: nothing was imported. Fix these and try again:"),
            code="dates",
            details=dates.errors,
        )
    return plan


def read(data: bytes, *, report: ImportReport, strict: bool = False) -> ImportPlan:
    """A JSON Resume file (bytes) as an import plan; raises ImportRefused when unusable."""
    document = load(data)
    if not strict:
        document = drop_nulls(document, "", report)
    validate(document)
    report_unknown(document, schema(), "", report)
    return to_plan(document, report)


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------
def _absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def _location_out(location: str) -> dict:
    # The inverse of the import, which joins city, region and country code with ", ": a
    # trailing two-letter part is a country code again. Anything else stays one string.
    parts = [p.strip() for p in location.split(",")]
    if 2 <= len(parts) <= 3 and re.fullmatch(r"[A-Z]{2}", parts[-1]) and all(parts):
        out = {"city": parts[0], "countryCode": parts[-1]}
        if len(parts) == 3:
            out["region"] = parts[1]
        return out
    return {"city": location}


def _clean(item: dict) -> dict:
    return {key: value for key, value in item.items() if value not in (None, "", [], {})}


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def export(view) -> dict:
    """A `ProfileView` as a JSON Resume document. The view already holds only what its
    viewer may see (the owner's own view is complete), so this adds no rule of its own."""
    websites = list(view.websites)
    main_site = next((w["url"] for w in websites if not w.get("label")), "")
    basics = _clean(
        {
            "name": view.name,
            "label": view.headline,
            "image": _absolute(view.photo_url),
            "email": view.contact_email,
            "phone": view.phone,
            "url": main_site,
            "summary": view.about,
            "location": _location_out(view.location) if view.location else None,
            "profiles": [
                _clean({"network": w.get("label", ""), "url": w["url"]})
                for w in websites
                if w["url"] != main_site or w.get("label")
            ],
        }
    )
    work = [
        _clean(
            {
                "name": p.employer_name,
                "position": p.title,
                "location": p.location,
                "url": p.organization.website if p.organization_id else "",
                "startDate": _day(p.start_date),
                "endDate": _day(p.end_date),
                "summary": p.description,
            }
        )
        for p in view.positions
    ]
    volunteer = [
        _clean(
            {
                "organization": v.organization_name,
                "position": v.role,
                "startDate": _day(v.start_date),
                "endDate": _day(v.end_date),
                "summary": v.description,
            }
        )
        for v in view.volunteering
    ]
    education = [
        _clean(
            {
                "institution": e.institution_name,
                "url": e.organization.website if e.organization_id else "",
                "area": e.field_of_study,
                "studyType": e.degree,
                "startDate": str(e.start_year) if e.start_year else None,
                "endDate": str(e.end_year) if e.end_year else None,
            }
        )
        for e in view.education
    ]
    certificates = [
        _clean(
            {
                "name": c.name,
                "date": _day(c.issued),
                "issuer": c.authority or (c.organization.name if c.organization_id else ""),
                "url": c.url,
            }
        )
        for c in view.certifications
    ]
    publications = [
        _clean(
            {
                "name": p.title,
                "publisher": p.publisher,
                "releaseDate": _day(p.date),
                "url": p.url,
                "summary": p.description,
            }
        )
        for p in view.publications
    ]
    projects = [
        _clean(
            {
                "name": p.name,
                "description": p.description,
                "url": p.url,
                "startDate": _day(p.start_date),
                "endDate": _day(p.end_date),
            }
        )
        for p in view.projects
    ]
    document = {
        "$schema": SCHEMA_URL,
        "basics": basics,
        "work": work,
        "volunteer": volunteer,
        "education": education,
        "certificates": certificates,
        "publications": publications,
        "skills": [{"name": name} for name in view.skills],
        "languages": [
            _clean({"language": lang.name, "fluency": FLUENCY_EXPORT.get(lang.proficiency, "")})
            for lang in view.languages
        ],
        "projects": projects,
        "meta": {"lastModified": view.profile.updated.replace(microsecond=0, tzinfo=None).isoformat()},
    }
    return {key: value for key, value in document.items() if value or key == "basics"}
