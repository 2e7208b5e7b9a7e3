"""What a member's authenticator app shows, for tests of two-factor sign-in."""

from __future__ import annotations

import time


def totp_code(secret: str) -> str:
    """The current code (allauth's own HOTP, 30-second steps), from a window with at least 5
    seconds left: the server accepts only the window it checks in (allauth's TOTP tolerance is
    0), so a code read near the end of one was now and then checked in the next and refused."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
