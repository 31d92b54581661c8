"""Who opened the staff Mini App: the initData Telegram signed, checked as Telegram documents.

Telegram hands the Mini App a query string (`initData`) with the user, `auth_date` and `hash`.
The key is HMAC-SHA256 of the bot token with the key "WebAppData"; `hash` is HMAC-SHA256 of the
data-check-string (every other field as `key=value`, sorted by key, joined by newlines) with
that key, in hex. Whoever does not hold the token cannot make a `hash` that matches, so a
matching one proves that Telegram gave this data to this user, at `auth_date`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode

# A real initData is well under 1 KB; anything much longer is not worth parsing.
MAX_INIT_DATA = 8192
# Telegram's clock and ours may differ a little; an auth_date further ahead is refused.
CLOCK_SKEW_SECONDS = 60


class AccessRefusal(StrEnum):
    """Why a request is refused; `NOT_STAFF` is the one with a genuine user (403)."""

    MISSING = "missing"
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_STAFF = "not_staff"


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user who opened the Mini App, as Telegram signed it."""

    id: int
    first_name: str
    language_code: str | None


@dataclass(frozen=True)
class Access:
    """The answer for one request: the staff member, or why not."""

    user: WebAppUser | None = None
    refusal: AccessRefusal | None = None

    @property
    def authenticated(self) -> bool:
        """Whether the data is Telegram's and fresh (staff or not)."""
        return self.refusal in (None, AccessRefusal.NOT_STAFF)


def _secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _data_check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign_init_data(fields: Mapping[str, str], token: str) -> str:
    """initData for `fields` signed with `token`, as Telegram makes it (for tests and tools)."""
    digest = hmac.new(_secret_key(token), _data_check_string(fields).encode(), hashlib.sha256)
    return urlencode({**fields, "hash": digest.hexdigest()})


def _fields(init_data: str) -> dict[str, str] | None:
    """The fields of the query string, or None when it is not one (or names a field twice)."""
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    return fields if len(fields) == len(pairs) else None


def _signed(fields: Mapping[str, str], token: str) -> bool:
    given = fields.get("hash", "")
    expected = hmac.new(_secret_key(token), _data_check_string(fields).encode(), hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest().encode(), given.encode("ascii", "replace"))


def _user(raw: str) -> WebAppUser | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or type(data.get("id")) is not int:
        return None
    language = data.get("language_code")
    return WebAppUser(
        id=data["id"],
        first_name=str(data.get("first_name") or ""),
        language_code=language if isinstance(language, str) else None,
    )


def check_init_data(
    init_data: str | None,
    *,
    token: str,
    admin_ids: frozenset[int] | None,
    now: datetime,
    max_age_seconds: int,
) -> Access:
    """Check one request's initData: signed with `token`, at most `max_age_seconds` old, from
    a user in `admin_ids` (None: any user; whether they are staff, and what they may do, is
    then `bot.services.access`'s to say). The signature is checked before anything in the
    data is believed."""
    if not init_data:
        return Access(refusal=AccessRefusal.MISSING)
    fields = _fields(init_data) if len(init_data) <= MAX_INIT_DATA else None
    if fields is None or "hash" not in fields:
        return Access(refusal=AccessRefusal.MALFORMED)
    if not _signed(fields, token):
        return Access(refusal=AccessRefusal.BAD_SIGNATURE)
    auth_date = fields.get("auth_date", "")
    user = _user(fields.get("user", ""))
    if not auth_date.isdigit() or user is None:
        return Access(refusal=AccessRefusal.MALFORMED)
    age = now.timestamp() - int(auth_date)
    if age > max_age_seconds or age < -CLOCK_SKEW_SECONDS:
        return Access(refusal=AccessRefusal.EXPIRED)
    if admin_ids is not None and user.id not in admin_ids:
        return Access(user=user, refusal=AccessRefusal.NOT_STAFF)
    return Access(user=user)
