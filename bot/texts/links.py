"""Deep links into the bot (`t.me/<bot>?start=<payload>`), declared once.

A training's code is its own payload (registration opens directly); other payloads carry a
prefix that no training code may start with (`bot.services.training_spec`).
"""

from __future__ import annotations

from bot.services.training_spec import CERTIFICATE_PAYLOAD, CHECKIN_PAYLOAD

# Telegram allows A-Z a-z 0-9 _ - in a start payload, at most 64 characters.
MAX_PAYLOAD = 64


def deep_link(bot_username: str, payload: str) -> str:
    """`https://t.me/<bot>?start=<payload>`."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"start payload too long: {payload!r}")
    return f"https://t.me/{bot_username}?start={payload}"


def training_link(bot_username: str, code: str) -> str:
    """The link that opens registration for one training."""
    return deep_link(bot_username, code)


def checkin_link(bot_username: str, token: str) -> str:
    """The link a participant's check-in QR code holds."""
    return deep_link(bot_username, CHECKIN_PAYLOAD + token)


def certificate_link(bot_username: str, verify_code: str) -> str:
    """The link a certificate's QR code holds: anyone who opens it sees whether it is genuine."""
    return deep_link(bot_username, CERTIFICATE_PAYLOAD + verify_code)
