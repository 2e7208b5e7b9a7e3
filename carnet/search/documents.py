"""What a member's search document holds, decided by the visibility policy.

The document is built from `profiles.selectors.profile_view(..., relation=Relation.MEMBER)`:
the projection every signed-in member gets of the profile. So a field hidden from members
(positions for connections only, a location for "only me") is simply not in the index, and no
search, filter or ranking can reveal it. Search needs sign-in (as on LinkedIn), so "members"
is the widest audience a searcher has before their degree to each result is known; fields a
member opened only to their network or connections are not searchable — never found by a
field one may not see, at the price of a connection not finding them by it either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from carnet.core.visibility import Relation

_NOT_WORD = re.compile(r"[\W_]+")
SEPARATOR = " |"


@lru_cache(maxsize=65536)  # company, school and skill names repeat across members
def _normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", stripped).split())


def normalize(text: str) -> str:
    """Lower case, no accents, words of letters and digits separated by single spaces.

    'Zoé Dupont-Martin, C++' -> 'zoe dupont martin c'. Queries and documents go through the same
    function, so 'ZOE' finds 'Zoé' on every engine.
    """
    return _normalize(str(text or ""))


def terms(text: str, *, limit: int = 8) -> list[str]:
    """The distinct words of a query, at most `limit` of them (longer queries are cut)."""
    return list(dict.fromkeys(normalize(text).split()))[:limit]


def column(values) -> str:
    """Several values in one column: ' acme corp | globex', each searchable by word prefix."""
    parts = [normalize(v) for v in values]
    return SEPARATOR.join(" " + p for p in dict.fromkeys(parts) if p)


@dataclass
class DocumentFields:
    name: str
    sort_name: str
    headline: str
    positions: str
    companies: str
    schools: str
    location: str
    skills: str

    @property
    def document(self) -> str:
        parts = (self.name, self.headline, self.positions, self.companies, self.schools, self.location, self.skills)
        return " ".join(p for p in parts if p)


def document_fields(profile) -> DocumentFields:
    """The searchable text of a profile: its "members" projection, normalised.

    `profile` comes from `profiles.selectors.profile_queryset()` (sections prefetched).
    """
    from carnet.profiles.selectors import profile_view

    view = profile_view(profile, relation=Relation.MEMBER)
    user = profile.user
    return DocumentFields(
        name=column([view.name or ""]),
        sort_name=normalize(f"{user.last_name} {user.first_name}")[:300],
        headline=column([view.headline]),
        positions=column(p.title for p in view.positions),
        companies=column(p.employer_name for p in view.positions),
        schools=column(e.institution_name for e in view.education),
        location=column([view.location]),
        skills=column(view.skills),
    )
