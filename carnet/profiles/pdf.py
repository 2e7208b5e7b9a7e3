"""PDF generation with ReportLab platypus: the "download my profile as a PDF CV" and written
cover letters downloaded as PDF.

The CV is rendered from a ProfileView, so it holds exactly what the reader may see: the
owner gets everything, another member (LinkedIn's "Save to PDF") what the policy shows them.
Sections that the projection does not carry yet (languages, certifications...) are read
from the profile only when the policy lets the reader see that field (`view.can_see`).
"""

from __future__ import annotations

import datetime
import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# DejaVu covers Latin, Greek and Cyrillic scripts; Debian ships it with fonts-dejavu-core.
# ReportLab's bundled Vera is the fallback everywhere else (Latin only).
_FONT_CANDIDATES = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"),
    ),
)
ACCENT = "#0a66c2"
MUTED = "#5f6b76"


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str, str]:
    """Register the CV's fonts once; returns (regular, bold, italic) names."""
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold, italic in _FONT_CANDIDATES:
        if regular.exists() and bold.exists() and italic.exists():
            break
    else:
        bundled = Path(reportlab.__file__).parent / "fonts"
        regular, bold, italic = bundled / "Vera.ttf", bundled / "VeraBd.ttf", bundled / "VeraIt.ttf"
    pdfmetrics.registerFont(TTFont("CarnetSans", str(regular)))
    pdfmetrics.registerFont(TTFont("CarnetSans-Bold", str(bold)))
    pdfmetrics.registerFont(TTFont("CarnetSans-Italic", str(italic)))
    addMapping("CarnetSans", 0, 0, "CarnetSans")
    addMapping("CarnetSans", 1, 0, "CarnetSans-Bold")
    addMapping("CarnetSans", 0, 1, "CarnetSans-Italic")
    addMapping("CarnetSans", 1, 1, "CarnetSans-Bold")
    return "CarnetSans", "CarnetSans-Bold", "CarnetSans-Italic"


@lru_cache(maxsize=1)
def _styles() -> dict:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    regular, bold, italic = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=13, textColor=HexColor("#1d2226"))
    return {
        "base": base,
        "name": ParagraphStyle("name", parent=base, fontName=bold, fontSize=22, leading=26, spaceAfter=2),
        "headline": ParagraphStyle("headline", parent=base, fontSize=12, leading=16, textColor=HexColor(MUTED)),
        "contact": ParagraphStyle("contact", parent=base, fontSize=9, leading=12, textColor=HexColor(MUTED)),
        "section": ParagraphStyle(
            "section", parent=base, fontName=bold, fontSize=11, leading=14, textColor=HexColor(ACCENT), spaceBefore=10
        ),
        "item_title": ParagraphStyle("item_title", parent=base, fontName=bold, fontSize=10, leading=13),
        "item_meta": ParagraphStyle("item_meta", parent=base, fontSize=8.5, leading=11, textColor=HexColor(MUTED)),
        "dates": ParagraphStyle("dates", parent=base, fontSize=8.5, leading=13, textColor=HexColor(MUTED), alignment=2),
        "body": ParagraphStyle("body", parent=base, spaceBefore=2, spaceAfter=4),
        "footer": ParagraphStyle("footer", parent=base, fontName=italic, fontSize=7.5, textColor=HexColor(MUTED)),
    }


def _text(value) -> str:
    """Member text as Paragraph markup: escaped, with line breaks kept."""
    return escape(str(value or "")).replace("\n", "<br/>")


def _month(value: datetime.date | None) -> str:
    return formats.date_format(value, "M Y") if value else ""


def _period(start, end, *, current: bool = False) -> str:
    if not start:
        return _month(end)
    finish = _("Present") if (current or not end) else _month(end)
    return f"{_month(start)} – {finish}"


def _section_items(view, attr: str, field: str) -> list:
    """A section of the projection; for sections it does not carry yet, the profile's own
    rows, read only when the policy lets this reader see the field."""
    if hasattr(view, attr):
        return list(getattr(view, attr) or [])
    if not view.can_see(field):
        return []
    return list(getattr(view.profile, attr).all())


def _contact_lines(view) -> list[str]:
    if not view.can_see("contact_info"):
        return []
    profile = view.profile
    email = getattr(view, "contact_email", profile.contact_email)
    phone = getattr(view, "phone", profile.phone)
    websites = getattr(view, "websites", profile.websites) or []
    lines = [value for value in (email, phone) if value]
    for site in websites:
        url = site.get("url") if isinstance(site, dict) else site
        if url:
            lines.append(str(url))
    return lines


def _rule():
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import HRFlowable

    return HRFlowable(width="100%", thickness=0.6, color=HexColor(ACCENT), spaceBefore=1, spaceAfter=5)


def _entry(title: str, meta: str, dates: str, description: str = "") -> list:
    """One experience/education line: bold title and dates side by side, then details."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

    styles = _styles()
    head = Table(
        [[Paragraph(title, styles["item_title"]), Paragraph(dates, styles["dates"])]],
        colWidths=["72%", "28%"],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    parts = [head]
    if meta:
        parts.append(Paragraph(meta, styles["item_meta"]))
    if description:
        parts.append(Paragraph(description, styles["body"]))
    from reportlab.platypus import Spacer

    parts.append(Spacer(1, 2 * mm))
    return [KeepTogether(parts)]


def _section(title: str) -> list:
    from reportlab.platypus import Paragraph

    return [Paragraph(escape(title.upper()), _styles()["section"]), _rule()]


def _story(view) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    styles = _styles()
    story: list = [Paragraph(_text(view.name or _("Carnet member")), styles["name"])]
    if view.headline:
        story.append(Paragraph(_text(view.headline), styles["headline"]))
    details = [value for value in (view.location, view.industry) if value]
    contact = _contact_lines(view)
    if details or contact:
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(" · ".join(_text(value) for value in [*details, *contact]), styles["contact"]))
    if view.about:
        story += _section(_("About"))
        story.append(Paragraph(_text(view.about), styles["body"]))

    positions = _section_items(view, "positions", "positions")
    if positions:
        story += _section(_("Experience"))
        for p in positions:
            meta = " · ".join(
                _text(value) for value in (p.employer_name, p.get_employment_type_display(), p.location) if value
            )
            story += _entry(
                _text(p.title), meta, _period(p.start_date, p.end_date, current=p.is_current), _text(p.description)
            )

    education = _section_items(view, "education", "education")
    if education:
        story += _section(_("Education"))
        for e in education:
            meta = ", ".join(_text(value) for value in (e.degree, e.field_of_study) if value)
            years = " – ".join(str(y) for y in (e.start_year, e.end_year) if y)
            story += _entry(_text(e.institution_name), meta, years, _text(e.activities))

    skills = _section_items(view, "skills", "skills")
    if skills:
        story += _section(_("Skills"))
        names = [getattr(getattr(s, "skill", None), "name", None) or str(s) for s in skills]
        story.append(Paragraph(" · ".join(_text(name) for name in names), styles["body"]))

    languages = _section_items(view, "languages", "languages")
    if languages:
        story += _section(_("Languages"))
        story.append(
            Paragraph(
                "<br/>".join(
                    f"<b>{_text(lang.name)}</b>"
                    + (f" — {_text(lang.get_proficiency_display())}" if lang.proficiency else "")
                    for lang in languages
                ),
                styles["body"],
            )
        )

    certifications = _section_items(view, "certifications", "certifications")
    if certifications:
        story += _section(_("Licenses & certifications"))
        for c in certifications:
            meta = " · ".join(_text(v) for v in (c.authority, c.credential_id and f"ID {c.credential_id}") if v)
            story += _entry(_text(c.name), meta, _month(c.issued))

    volunteering = _section_items(view, "volunteering", "volunteering")
    if volunteering:
        story += _section(_("Volunteering"))
        for v in volunteering:
            meta = " · ".join(_text(value) for value in (v.organization_name, v.cause) if value)
            story += _entry(_text(v.role), meta, _period(v.start_date, v.end_date), _text(v.description))

    projects = _section_items(view, "projects", "projects")
    if projects:
        story += _section(_("Projects"))
        for project in projects:
            story += _entry(
                _text(project.name),
                _text(project.url),
                _period(project.start_date, project.end_date),
                _text(project.description),
            )

    publications = _section_items(view, "publications", "publications")
    if publications:
        story += _section(_("Publications"))
        for pub in publications:
            story += _entry(_text(pub.title), _text(pub.publisher), _month(pub.date), _text(pub.description))
    return story


def _footer(text: str):
    from reportlab.lib.units import mm

    def draw(canvas, doc):
        regular, _bold, _italic = _fonts()
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(doc.leftMargin, 10 * mm, text)
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 10 * mm, str(canvas.getPageNumber()))
        canvas.restoreState()

    return draw


def _build(story: list, *, title: str, author: str, footer: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        creator=settings.SITE_NAME,
        # ReportLab otherwise writes random document ids: identical input, identical bytes.
        invariant=True,
    )
    on_page = _footer(footer)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def profile_cv_pdf(view) -> bytes:
    """A CV of the profile as `view` (a ProfileView) shows it to its reader."""
    name = view.name or _("Carnet member")
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    footer = _("%(name)s — profile on %(site)s, %(date)s") % {"name": name, "site": settings.SITE_NAME, "date": today}
    return _build(_story(view), title=_("CV of %(name)s") % {"name": name}, author=name, footer=footer)


def letter_pdf(*, title: str, text: str, author: str) -> bytes:
    """A written cover letter as a PDF."""
    from reportlab.platypus import Paragraph

    styles = _styles()
    story = [Paragraph(_text(title), styles["name"]), *_section(author)]
    story += [Paragraph(_text(paragraph), styles["body"]) for paragraph in text.split("\n\n") if paragraph.strip()]
    return _build(story, title=title, author=author, footer=f"{author} — {settings.SITE_NAME}")
