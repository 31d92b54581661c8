"""Settings read from the environment (and `.env`), validated once at start-up."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/pelatihan.sqlite3"
DEFAULT_WEBAPP_PORT = 8080
DEFAULT_ORG_NAME = "Dinas Koperasi dan Usaha Mikro Kota Malang"
MAX_ORG_NAME = 100
MAX_ORG_CONTACT = 300
DEFAULT_DISTRICTS = ("Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru")
LANGUAGES = ("id", "en")
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
# Settings an older version read and this one ignores (start-up names them in a warning).
OBSOLETE_SETTINGS = ("SENDING_PROCESSES",)


# How a setting's text is read: (its name, the text) -> the value, or SettingsError.
Parser = Callable[[str, str], object]


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot is configured with; built by `load_settings`."""

    token: str = field(repr=False)
    api_base_url: str = "https://api.telegram.org"
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: frozenset[int] = frozenset()
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    reminder_time: time = time(16, 0)
    # The morning-of reminder on each training day (None: off).
    morning_reminder_time: time | None = None
    default_language: str = "id"
    broadcast_rate: float = 30.0
    # A claim whose process went silent this long is given up: unsent rows go to another
    # process, rows whose send had begun become "unknown" (never resent).
    stale_claim_seconds: int = 600
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_port: int = 8443
    # The web server's address; unset: every interface in webhook mode (Telegram posts to it),
    # loopback in polling mode (the dashboard and /healthz, behind a proxy on this machine).
    webhook_listen: str | None = None
    # The staff Mini App: its public https address (ends with "/"), the local port of the
    # server that serves it (None: the webhook server's in webhook mode, else 8080), and how
    # long the data Telegram signed when it was opened stays good.
    webapp_url: str | None = None
    webapp_port: int | None = None
    webapp_auth_max_age: int = 3600
    conversation_timeout_minutes: int = 30
    districts: tuple[str, ...] = DEFAULT_DISTRICTS
    data_retention_days: int = 730
    # The audit trail of staff's access and changes is kept this long.
    audit_retention_days: int = 730
    log_level: str = "INFO"
    log_format: str = "text"
    # The office: on posters, attendance sheets, certificates, reports and shared texts.
    org_name: str = DEFAULT_ORG_NAME
    # How people reach the office (phone or WhatsApp, address): in /start and /bantuan.
    org_contact: str | None = None
    # The staff group that gets what participants type outside a step, and whose replies to
    # those messages reach them (None: participants are pointed to `org_contact` instead).
    staff_chat_id: int | None = None
    # Hours after a training's last day ends before its attendees get the feedback survey.
    survey_delay_hours: int = 2
    # Days a participant must attend for a certificate (0: every day of the training).
    certificate_min_days: int = 0
    # Days after a training's last day when its attendees get a follow-up about their business
    # (empty: none, and registration asks no baseline).
    follow_up_days: tuple[int, ...] = (90, 180)
    # Names of obsolete settings found in the environment (ignored; see OBSOLETE_SETTINGS).
    obsolete: tuple[str, ...] = ()
    # The proxy variables (HTTPS_PROXY, NO_PROXY, …) of the environment and .env, for the calls
    # to Telegram (None: the process environment's). A proxy's URL may hold its password.
    proxy_variables: tuple[tuple[str, str], ...] | None = field(default=None, repr=False)

    @property
    def is_sqlite(self) -> bool:
        """Whether the configured database is an SQLite file."""
        return self.database_url.startswith("sqlite")

    @property
    def webhook_mode(self) -> bool:
        """Webhook mode when `WEBHOOK_URL` is set, polling otherwise."""
        return bool(self.webhook_url)

    @property
    def listen_host(self) -> str:
        """The address the web server listens on (`WEBHOOK_LISTEN`, else by mode)."""
        if self.webhook_listen:
            return self.webhook_listen
        return "0.0.0.0" if self.webhook_mode else "127.0.0.1"

    @property
    def webapp_listen_port(self) -> int:
        """The port the Mini App is served on (the webhook server's unless set otherwise)."""
        if self.webapp_port is not None:
            return self.webapp_port
        return self.webhook_port if self.webhook_mode else DEFAULT_WEBAPP_PORT

    def is_admin(self, user_id: int | None) -> bool:
        """Whether a Telegram user id belongs to staff."""
        return user_id is not None and user_id in self.admin_ids


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _parse_int(name: str, raw: str, minimum: int, maximum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise SettingsError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def _parse_admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?\d+", part):
            raise SettingsError(
                f"ADMIN_IDS must be comma-separated numeric Telegram user ids, got {part!r}"
            )
        ids.add(int(part))
    return frozenset(ids)


def _parse_time(raw: str, name: str = "REMINDER_TIME") -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", raw)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise SettingsError(f"{name} must be HH:MM (00:00-23:59), got {raw!r}")
    return time(int(match[1]), int(match[2]))


def _parse_timezone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"TIMEZONE must be an IANA zone such as Asia/Jakarta, got {raw!r}"
        ) from None


def parse_database_url(raw: str) -> str:
    """A supported database URL, normalised (drivers added); SettingsError names what is wrong."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise SettingsError(
            "DATABASE_URL is not a database URL; use sqlite+aiosqlite:///data/file.sqlite3 "
            "or postgresql+asyncpg://user@host/db"
        ) from None
    if url.drivername == "sqlite":
        url = url.set(drivername="sqlite+aiosqlite")
    elif url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+asyncpg")
    if url.drivername not in _SUPPORTED_DRIVERS:
        raise SettingsError(
            f"DATABASE_URL driver {url.drivername!r} is not supported; "
            "use sqlite+aiosqlite or postgresql+asyncpg"
        )
    if url.drivername.startswith("sqlite") and not url.database:
        raise SettingsError("DATABASE_URL for SQLite must name a file")
    if url.drivername.startswith("postgresql") and not url.database:
        raise SettingsError("DATABASE_URL for PostgreSQL must name a database")
    return url.render_as_string(hide_password=False)


def _parse_http_url(name: str, raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name} must be an http(s) URL, got {raw!r}")
    return raw.rstrip("/")


def _parse_webapp_url(raw: str) -> str:
    """The Mini App's public address: https (Telegram opens no other), ending with "/" so
    that the page's relative links stay under it; a bare host gets the page's path `/app/`."""
    parts = urlsplit(raw)
    if parts.scheme != "https" or not parts.netloc:
        raise SettingsError(f"WEBAPP_URL must be an https URL (Telegram opens no other): {raw!r}")
    if parts.path in ("", "/"):
        return raw.rstrip("/") + "/app/"
    return raw if raw.endswith("/") else raw + "/"


def _parse_language(raw: str) -> str:
    if raw not in LANGUAGES:
        raise SettingsError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
    return raw


def _parse_rate(raw: str) -> float:
    try:
        rate = float(raw)
    except ValueError:
        raise SettingsError(f"BROADCAST_RATE must be a number, got {raw!r}") from None
    if not 0 < rate <= 1000:
        raise SettingsError("BROADCAST_RATE must be between 0 and 1000 messages per second")
    return rate


def _parse_districts(raw: str) -> tuple[str, ...]:
    districts = tuple(d.strip() for d in raw.split(",") if d.strip())
    if not districts or any(len(d) > 40 for d in districts):
        raise SettingsError("DISTRICTS must be a comma-separated list of names (max 40 chars)")
    return districts


def _parse_log_level(raw: str) -> str:
    if raw.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
    return raw.upper()


def _parse_log_format(raw: str) -> str:
    if raw.lower() not in ("text", "json"):
        raise SettingsError(f"LOG_FORMAT must be text or json, got {raw!r}")
    return raw.lower()


def _parse_follow_up_days(raw: str) -> tuple[int, ...]:
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not all(part.isdigit() and 1 <= int(part) <= 3650 for part in parts):
        raise SettingsError(
            f"FOLLOW_UP_DAYS must be comma-separated days (1-3650) such as 90,180, got {raw!r}"
        )
    return tuple(sorted({int(part) for part in parts}))


def _whole(minimum: int, maximum: int) -> Parser:
    return lambda name, raw: _parse_int(name, raw, minimum, maximum)


def _line(limit: int) -> Parser:
    def parse(name: str, raw: str) -> str:
        if len(raw) > limit or "\n" in raw:
            raise SettingsError(f"{name} must be one line of at most {limit} characters")
        return raw

    return parse


def _text(parse: Callable[[str], object]) -> Parser:
    """A parser of the text alone (its messages name the setting themselves)."""
    return lambda _name, raw: parse(raw)


@dataclass(frozen=True)
class Variable:
    """One setting: its environment variable, the `Settings` field it fills (whose default
    holds when it is unset or empty), and how its text is read (SettingsError names it)."""

    name: str
    field: str
    parse: Parser
    # What a variable set to an empty value means, when not its default ("off").
    when_empty: object = None


VARIABLES = (
    Variable("TELEGRAM_API_BASE_URL", "api_base_url", _parse_http_url),
    Variable("DATABASE_URL", "database_url", _text(parse_database_url)),
    Variable("ADMIN_IDS", "admin_ids", _text(_parse_admin_ids)),
    Variable("TIMEZONE", "timezone", _text(_parse_timezone)),
    Variable("REMINDER_TIME", "reminder_time", lambda name, raw: _parse_time(raw, name)),
    Variable("REMINDER_MORNING_TIME", "morning_reminder_time", lambda n, raw: _parse_time(raw, n)),
    Variable("DEFAULT_LANGUAGE", "default_language", _text(_parse_language)),
    Variable("BROADCAST_RATE", "broadcast_rate", _text(_parse_rate)),
    Variable("STALE_CLAIM_SECONDS", "stale_claim_seconds", _whole(10, 86400)),
    Variable("WEBHOOK_URL", "webhook_url", _parse_http_url),
    # Read only in webhook mode, where it is required (`_check_webhook`).
    Variable("WEBHOOK_SECRET", "webhook_secret", _text(str)),
    Variable("WEBHOOK_PORT", "webhook_port", _whole(1, 65535)),
    Variable("WEBHOOK_LISTEN", "webhook_listen", _text(str)),
    Variable("WEBAPP_URL", "webapp_url", _text(_parse_webapp_url)),
    Variable("WEBAPP_PORT", "webapp_port", _whole(1, 65535)),
    Variable("WEBAPP_AUTH_MAX_AGE", "webapp_auth_max_age", _whole(60, 7 * 86400)),
    Variable("CONVERSATION_TIMEOUT_MINUTES", "conversation_timeout_minutes", _whole(1, 24 * 60)),
    Variable("DISTRICTS", "districts", _text(_parse_districts)),
    Variable("DATA_RETENTION_DAYS", "data_retention_days", _whole(30, 36500)),
    Variable("AUDIT_RETENTION_DAYS", "audit_retention_days", _whole(30, 36500)),
    Variable("LOG_LEVEL", "log_level", _text(_parse_log_level)),
    Variable("LOG_FORMAT", "log_format", _text(_parse_log_format)),
    Variable("ORG_NAME", "org_name", _line(MAX_ORG_NAME)),
    Variable("ORG_CONTACT", "org_contact", _line(MAX_ORG_CONTACT)),
    Variable("STAFF_CHAT_ID", "staff_chat_id", _text(lambda raw: _parse_staff_chat(raw))),
    Variable("SURVEY_DELAY_HOURS", "survey_delay_hours", _whole(0, 24 * 30)),
    Variable("CERTIFICATE_MIN_DAYS", "certificate_min_days", _whole(0, 365)),
    Variable("FOLLOW_UP_DAYS", "follow_up_days", _text(_parse_follow_up_days), when_empty=()),
)
# Read by the process, not kept in `Settings` the same way: the token (required), the proxy
# variables for the calls to Telegram, and which `.env` file is read.
OTHER_VARIABLES = ("TELEGRAM_BOT_TOKEN", "HTTPS_PROXY", "NO_PROXY", "ENV_FILE")


def _read_token(merged: Mapping[str, str]) -> str:
    token = _env(merged, "TELEGRAM_BOT_TOKEN")
    if token is None:
        raise SettingsError("TELEGRAM_BOT_TOKEN is required (put it in .env or the environment)")
    if not _TOKEN_RE.match(token):
        raise SettingsError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters)")
    return token


def _check_webhook(values: dict[str, object]) -> None:
    """Webhook mode needs its secret; without it the secret is not read."""
    if "webhook_url" not in values:
        values.pop("webhook_secret", None)
        return
    secret = values.get("webhook_secret")
    if not isinstance(secret, str) or not re.fullmatch(r"[A-Za-z0-9_-]{8,256}", secret):
        raise SettingsError(
            "WEBHOOK_SECRET is required in webhook mode: 8-256 characters of A-Z a-z 0-9 _ -"
        )


def _merged(environ: Mapping[str, str] | None, env_file: str | Path | None) -> dict[str, str]:
    """The environment over the `.env` file (`env_file`, else `ENV_FILE`, else `.env`)."""
    if env_file is None:
        env_file = (os.environ if environ is None else environ).get("ENV_FILE", ".env")
    merged: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(os.environ if environ is None else environ)
    return merged


def token_configured(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = None
) -> bool:
    """Whether TELEGRAM_BOT_TOKEN is given at all, where `load_settings` reads it: `make run`
    starts the demo when it is not (a malformed one still stops with its error)."""
    return _env(_merged(environ, env_file), "TELEGRAM_BOT_TOKEN") is not None


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = None
) -> Settings:
    """Read settings from `environ` (default: the process environment) over the `.env` file.

    The file is `env_file`, else `ENV_FILE` from the environment, else `.env`; an empty
    `ENV_FILE` reads no file.
    """
    merged = _merged(environ, env_file)
    values: dict[str, object] = {"token": _read_token(merged)}
    for variable in VARIABLES:
        if (raw := _env(merged, variable.name)) is not None:
            values[variable.field] = variable.parse(variable.name, raw)
        elif variable.when_empty is not None and variable.name in merged:
            values[variable.field] = variable.when_empty
    _check_webhook(values)
    values["obsolete"] = tuple(name for name in OBSOLETE_SETTINGS if _env(merged, name))
    values["proxy_variables"] = tuple(
        (name, value) for name, value in merged.items() if name.lower().endswith("_proxy")
    )
    return Settings(**values)  # type: ignore[arg-type]


def _parse_staff_chat(raw: str) -> int:
    """A group's chat id: negative (a supergroup's starts with -100)."""
    if not re.fullmatch(r"-\d{1,19}", raw) or int(raw) == 0:
        raise SettingsError(
            f"STAFF_CHAT_ID must be a group's chat id, a negative number such as "
            f"-1001234567890, got {raw!r}"
        )
    return int(raw)
