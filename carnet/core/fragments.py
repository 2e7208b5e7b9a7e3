"""Rendered fragments, cached under a digest of everything they show.

A fragment (a member card, a post, the sections of a profile as one audience sees them) is a
pure function of its inputs: the template, the language, and the values the caller passes.
The cache key is a digest of exactly those inputs, so a fragment is never stale: when a
member edits their headline, changes who can see a field, connects or blocks, the values the
page computes for this request differ, and so does the key. Nothing has to be invalidated;
old entries are simply never asked for again and expire.

What makes it safe:
- The values are computed for this request, after the visibility policy has projected them
  for this viewer (carnet.core.visibility). A fragment holds only what its key's values hold,
  so two viewers share an entry only when the policy gave them the same values.
- Fragments are rendered without the request: no context processor runs, so a fragment
  cannot contain the viewer's name, CSRF token, CSP nonce or anything else the key does not
  name. A template that needs a per-request value (the `next` URL of a link) gets it as a
  value, and the value is part of the key.
- The key also carries a digest of the templates and translation catalogues on disk, so a
  deployment that changes a template or a translation starts from new keys.

The setting `CARNET_FRAGMENT_CACHE = False` (tests) renders every fragment without the cache.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Entries are keyed by content: they only need to live as long as they are useful.
TIMEOUT = 24 * 3600
PREFIX = "frag:"


@lru_cache(maxsize=1)
def _salt() -> str:
    """A digest of the templates and translation catalogues this process renders with."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "templates", *map(Path, getattr(settings, "LOCALE_PATHS", []))]
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".txt", ".mo") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def enabled() -> bool:
    return getattr(settings, "CARNET_FRAGMENT_CACHE", True)


def fragment_key(template_name: str, values: Sequence) -> str:
    """The cache key of `template_name` rendered from `values` in the current language."""
    # pickle is exact about types (1 vs "1" vs True) and handles dates and nested tuples;
    # callers pass plain values only (str, int, bool, None, dates, tuples, lists).
    payload = pickle.dumps(
        (_salt(), template_name, get_language(), timezone.get_current_timezone_name(), tuple(values)), protocol=5
    )
    return PREFIX + hashlib.sha256(payload).hexdigest()


def render_many(template_name: str, items: Iterable[tuple[dict, Sequence]]) -> list[SafeString]:
    """Render `template_name` once per (context, values) pair, reading and writing the cache in
    one round trip each. `values` must determine everything the context shows. A context may
    be a callable returning the context, called only when the fragment must be rendered."""
    items = list(items)
    if not items:
        return []
    template = get_template(template_name)
    if not enabled():
        return [mark_safe(template.render(_resolve(context))) for context, _values in items]
    keys = [fragment_key(template_name, values) for _context, values in items]
    found = cache.get_many(list(dict.fromkeys(keys)))
    missing: dict[str, str] = {}
    html = []
    for (context, _values), key in zip(items, keys, strict=True):
        text = found.get(key)
        if text is None:
            text = missing.get(key)
            if text is None:
                text = missing[key] = template.render(_resolve(context))
        html.append(mark_safe(text))
    if missing:
        cache.set_many(missing, TIMEOUT)
    return html


def _resolve(context):
    return context() if callable(context) else context


def render(template_name: str, context: dict, values: Sequence) -> SafeString:
    """One fragment (see render_many)."""
    return render_many(template_name, [(context, values)])[0]
