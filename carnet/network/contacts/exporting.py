"""Export a member's connections as vCard 4.0 or CSV.

Every field goes through the policy as the exporting member sees each connection: the name,
the current position (field "current_position") and the contact details (field
"contact_info": the profile's contact e-mail and phone, never the login address) are only
written when that connection's settings let the member see them. The CSV has LinkedIn's
Connections.csv columns (plus Phone), so it re-imports anywhere that reads LinkedIn's.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from carnet.core import visibility
from carnet.network.models import Connection

_CHUNK = 500
CSV_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On", "Phone"]


@dataclass
class ExportRow:
    name: str
    first_name: str
    last_name: str
    url: str
    email: str
    phone: str
    company: str
    position: str
    connected_on: str  # "04 Jul 2023", LinkedIn's format


def _current(positions) -> object | None:
    current = [p for p in positions if p.is_current or p.end_date is None]
    return max(current, key=lambda p: p.start_date) if current else None


def connection_export_rows(*, member) -> Iterator[ExportRow]:
    """The member's connections, oldest first, each projected through the policy for the member."""
    from carnet.profiles.models import Position, Profile
    from carnet.profiles.selectors import profile_cards

    links = list(
        Connection.objects.filter(member_id=member.pk).order_by("created", "id").values_list("other_id", "created")
    )
    for start in range(0, len(links), _CHUNK):
        chunk = links[start : start + _CHUNK]
        profiles = {
            p.pk: p
            for p in Profile.objects.filter(pk__in=[other for other, _created in chunk])
            .select_related("user")
            .prefetch_related(Prefetch("positions", queryset=Position.objects.select_related("organization")))
        }
        views = {v.pk: v for v in profile_cards(list(profiles.values()), viewer=member)}
        for other_id, created in chunk:
            view = views.get(other_id)
            if view is None or view.relation == visibility.Relation.BLOCKED or not view.name:
                continue
            profile = profiles[other_id]
            user = profile.user
            contact = "contact_info" in view.fields
            position = _current(profile.positions.all()) if "current_position" in view.fields else None
            yield ExportRow(
                name=view.name,
                first_name=user.first_name,
                last_name=user.last_name,
                url=f"{settings.SITE_URL}{profile.get_absolute_url()}",
                email=profile.contact_email if contact else "",
                phone=profile.phone if contact else "",
                company=position.employer_name if position else "",
                position=position.title if position else "",
                connected_on=created.strftime("%d %b %Y"),
            )


_PHONE = re.compile(r"^\+[\d\s().-]+$")


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection). A
    # phone number ("+33 6 ...") holds no function name, so it stays as written.
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PHONE.match(value):
        return "'" + value
    return value


def connections_csv(*, member) -> Iterator[str]:
    """CSV text, chunk by chunk (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in connection_export_rows(member=member):
        writer.writerow(
            [
                _safe_cell(v)
                for v in (
                    row.first_name,
                    row.last_name,
                    row.url,
                    row.email,
                    row.company,
                    row.position,
                    row.connected_on,
                    row.phone,
                )
            ]
        )
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def connections_vcard(*, member) -> Iterator[str]:
    """vCard 4.0 text, one card per connection."""
    import vobject

    for row in connection_export_rows(member=member):
        card = vobject.vCard()
        card.add("version").value = "4.0"
        card.add("fn").value = row.name
        card.add("n").value = vobject.vcard.Name(family=row.last_name, given=row.first_name)
        if row.email:
            card.add("email").value = row.email
        if row.phone:
            card.add("tel").value = row.phone
        if row.company:
            card.add("org").value = [row.company]
        if row.position:
            card.add("title").value = row.position
        card.add("url").value = row.url
        yield card.serialize()
