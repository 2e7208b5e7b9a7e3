"""Reading pages in tests: their HTML with what changes on every request blanked out (CSRF
tokens, nonces), so that two answers can be compared."""

from __future__ import annotations

import re

_PER_REQUEST = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]*')
_PER_REQUEST_AND_NEXT = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce="|next=)[^"]*')


def blank_per_request(html: str, *, blank_next: bool = False) -> str:
    """`html` with its CSRF tokens and nonces emptied (and its `next=` addresses)."""
    return (_PER_REQUEST_AND_NEXT if blank_next else _PER_REQUEST).sub(r"\1", html)


def page_html(client, url: str, *, blank_next: bool = False) -> str:
    """The page at `url` (status 200), its per-request values blanked."""
    response = client.get(url)
    assert response.status_code == 200
    return blank_per_request(response.content.decode(), blank_next=blank_next)
