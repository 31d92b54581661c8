"""Settings read from the environment (and `.env`), validated once at start-up."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
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


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = None
) -> Settings:
    """Read settings from `environ` (default: the process environment) over the `.env` file.

    The file is `env_file`, else `ENV_FILE` from the environment, else `.env`; an empty
    `ENV_FILE` reads no file.
    """
    if env_file is None:
        env_file = (os.environ if environ is None else environ).get("ENV_FILE", ".env")
    merged: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(os.environ if environ is None else environ)

    token = _env(merged, "TELEGRAM_BOT_TOKEN")
    if token is None:
        raise SettingsError("TELEGRAM_BOT_TOKEN is required (put it in .env or the environment)")
    if not _TOKEN_RE.match(token):
        raise SettingsError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters)")

    kwargs: dict[str, object] = {"token": token}
    kwargs["obsolete"] = tuple(name for name in OBSOLETE_SETTINGS if _env(merged, name))
    kwargs["proxy_variables"] = tuple(
        (name, value) for name, value in merged.items() if name.lower().endswith("_proxy")
    )
    if raw := _env(merged, "TELEGRAM_API_BASE_URL"):
        kwargs["api_base_url"] = _parse_http_url("TELEGRAM_API_BASE_URL", raw)
    if raw := _env(merged, "DATABASE_URL"):
        kwargs["database_url"] = parse_database_url(raw)
    if raw := _env(merged, "ADMIN_IDS"):
        kwargs["admin_ids"] = _parse_admin_ids(raw)
    if raw := _env(merged, "TIMEZONE"):
        kwargs["timezone"] = _parse_timezone(raw)
    if raw := _env(merged, "REMINDER_TIME"):
        kwargs["reminder_time"] = _parse_time(raw)
    if raw := _env(merged, "REMINDER_MORNING_TIME"):
        kwargs["morning_reminder_time"] = _parse_time(raw, "REMINDER_MORNING_TIME")
    if raw := _env(merged, "DEFAULT_LANGUAGE"):
        if raw not in LANGUAGES:
            raise SettingsError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
        kwargs["default_language"] = raw
    if raw := _env(merged, "BROADCAST_RATE"):
        try:
            rate = float(raw)
        except ValueError:
            raise SettingsError(f"BROADCAST_RATE must be a number, got {raw!r}") from None
        if not 0 < rate <= 1000:
            raise SettingsError("BROADCAST_RATE must be between 0 and 1000 messages per second")
        kwargs["broadcast_rate"] = rate
    if raw := _env(merged, "STALE_CLAIM_SECONDS"):
        kwargs["stale_claim_seconds"] = _parse_int("STALE_CLAIM_SECONDS", raw, 10, 86400)
    if raw := _env(merged, "WEBHOOK_URL"):
        kwargs["webhook_url"] = _parse_http_url("WEBHOOK_URL", raw)
        secret = _env(merged, "WEBHOOK_SECRET")
        if secret is None or not re.fullmatch(r"[A-Za-z0-9_-]{8,256}", secret):
            raise SettingsError(
                "WEBHOOK_SECRET is required in webhook mode: 8-256 characters of A-Z a-z 0-9 _ -"
            )
        kwargs["webhook_secret"] = secret
    if raw := _env(merged, "WEBHOOK_PORT"):
        kwargs["webhook_port"] = _parse_int("WEBHOOK_PORT", raw, 1, 65535)
    if raw := _env(merged, "WEBHOOK_LISTEN"):
        kwargs["webhook_listen"] = raw
    if raw := _env(merged, "WEBAPP_URL"):
        kwargs["webapp_url"] = _parse_webapp_url(raw)
    if raw := _env(merged, "WEBAPP_PORT"):
        kwargs["webapp_port"] = _parse_int("WEBAPP_PORT", raw, 1, 65535)
    if raw := _env(merged, "WEBAPP_AUTH_MAX_AGE"):
        kwargs["webapp_auth_max_age"] = _parse_int("WEBAPP_AUTH_MAX_AGE", raw, 60, 7 * 86400)
    if raw := _env(merged, "CONVERSATION_TIMEOUT_MINUTES"):
        kwargs["conversation_timeout_minutes"] = _parse_int(
            "CONVERSATION_TIMEOUT_MINUTES", raw, 1, 24 * 60
        )
    if raw := _env(merged, "DISTRICTS"):
        districts = tuple(d.strip() for d in raw.split(",") if d.strip())
        if not districts or any(len(d) > 40 for d in districts):
            raise SettingsError("DISTRICTS must be a comma-separated list of names (max 40 chars)")
        kwargs["districts"] = districts
    if raw := _env(merged, "DATA_RETENTION_DAYS"):
        kwargs["data_retention_days"] = _parse_int("DATA_RETENTION_DAYS", raw, 30, 36500)
    if raw := _env(merged, "LOG_LEVEL"):
        if raw.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
        kwargs["log_level"] = raw.upper()
    if raw := _env(merged, "LOG_FORMAT"):
        if raw.lower() not in ("text", "json"):
            raise SettingsError(f"LOG_FORMAT must be text or json, got {raw!r}")
        kwargs["log_format"] = raw.lower()
    kwargs.update(_after_training_settings(merged))
    return Settings(**kwargs)  # type: ignore[arg-type]


def _parse_staff_chat(raw: str) -> int:
    """A group's chat id: negative (a supergroup's starts with -100)."""
    if not re.fullmatch(r"-\d{1,19}", raw) or int(raw) == 0:
        raise SettingsError(
            f"STAFF_CHAT_ID must be a group's chat id, a negative number such as "
            f"-1001234567890, got {raw!r}"
        )
    return int(raw)


def _after_training_settings(merged: Mapping[str, str]) -> dict[str, object]:
    """The office's name and contact, the staff group, the survey delay and the certificate
    rule."""
    kwargs: dict[str, object] = {}
    if raw := _env(merged, "ORG_NAME"):
        if len(raw) > MAX_ORG_NAME or "\n" in raw:
            raise SettingsError(f"ORG_NAME must be one line of at most {MAX_ORG_NAME} characters")
        kwargs["org_name"] = raw
    if raw := _env(merged, "ORG_CONTACT"):
        if len(raw) > MAX_ORG_CONTACT or "\n" in raw:
            raise SettingsError(
                f"ORG_CONTACT must be one line of at most {MAX_ORG_CONTACT} characters"
            )
        kwargs["org_contact"] = raw
    if raw := _env(merged, "STAFF_CHAT_ID"):
        kwargs["staff_chat_id"] = _parse_staff_chat(raw)
    if raw := _env(merged, "SURVEY_DELAY_HOURS"):
        kwargs["survey_delay_hours"] = _parse_int("SURVEY_DELAY_HOURS", raw, 0, 24 * 30)
    if raw := _env(merged, "CERTIFICATE_MIN_DAYS"):
        kwargs["certificate_min_days"] = _parse_int("CERTIFICATE_MIN_DAYS", raw, 0, 365)
    return kwargs
