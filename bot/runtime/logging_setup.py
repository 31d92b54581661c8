"""Logging: one line per event, the token and webhook secret never written, phones masked."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

# An Indonesian number in every form the bot and people write it: +6281234567801,
# 6281234567801, 081234567801, 0812-3456-7801 (the bot's own), +62 812-3456-7801, (021) 5551234.
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+62|62|\(0|0)(?:[\s\-.()]{0,2}\d)+(?!\w)")
_PHONE_MIN_DIGITS = 9
_KEPT = 3  # digits kept after the prefix, and at the end


def _masked(match: re.Match[str]) -> str:
    number = match[0]
    digits = [i for i, ch in enumerate(number) if ch.isdigit()]
    if len(digits) < _PHONE_MIN_DIGITS:
        return number
    prefix = 2 if number.startswith(("+62", "62")) else 1
    return f"{number[: digits[prefix + _KEPT - 1] + 1]}****{number[digits[-_KEPT] :]}"


def mask_phone(text: str) -> str:
    """Replace the middle digits of Indonesian phone numbers with asterisks."""
    return _PHONE_RE.sub(_masked, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with secrets removed and phone numbers masked."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        """The text with every secret replaced and phone numbers masked."""
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return mask_phone(text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        return True


LOG_FORMATS = ("text", "json")
# Attributes every LogRecord has; anything else was passed as `extra=` and is printed as a field.
_STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _one_line(text: str) -> str:
    # One event, one line: a newline in a message (user input, a traceback) must not be able to
    # fake a second log entry.
    return text.replace("\r", "").replace("\n", " | ")


def _text_value(value: Any) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not text or re.search(r'[\s="]', text) else text


class LineFormatter(logging.Formatter):
    """One line per event, `text` (`ts LEVEL logger message key=value`) or `json`, redacted."""

    def __init__(self, fmt: str = "text", redact: Callable[[str], str] = mask_phone) -> None:
        super().__init__()
        if fmt not in LOG_FORMATS:
            raise ValueError(f"unknown log format {fmt!r}")
        self.fmt = fmt
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        extras = {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS}
        if self.fmt == "json":
            event: dict[str, Any] = {
                "ts": ts,
                "level": record.levelname,
                "logger": record.name,
                "msg": message,
            }
            event.update(
                {k: v if isinstance(v, int | float | bool) else str(v) for k, v in extras.items()}
            )
            if record.exc_text:
                event["exc"] = _one_line(record.exc_text)
            line = json.dumps(event, ensure_ascii=False)
        else:
            fields = "".join(f" {k}={_text_value(v)}" for k, v in extras.items())
            line = f"{ts} {record.levelname} {record.name} {message}{fields}"
            if record.exc_text:
                line += f" | {record.exc_text}"
            line = _one_line(line)
        # Last line of defence: whatever reached the line (extras included) is redacted too.
        return self.redact(line)


class QuietStartupRetries(logging.Filter):
    """Drop the traceback of the library's start-up retry loop: the command line prints the
    reason in one line (`start-up failed: ...`), and the stack says nothing more to an operator."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram.ext") and record.getMessage().startswith(
            "Network Retry Loop"
        ):
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging(level: str, secrets: Iterable[str], fmt: str = "text") -> None:
    """Log to stderr, one line per event in `fmt` (text or json), secrets and phones redacted."""
    redacting = RedactingFilter(secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LineFormatter(fmt, redacting.redact))
    handler.addFilter(redacting)
    handler.addFilter(QuietStartupRetries())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Request logs carry the full URL, which contains the token: keep them quiet (and redacted).
    # The Bot API client logs every call's parameters at DEBUG: message texts, names, phones.
    # fontTools logs every table of each font it subsets for a PDF (a poster), and Alembic each
    # of its plugins as it loads them (when a schema is checked): noise.
    quiet = (
        "httpx", "httpcore", "apscheduler", "telegram.ext.Updater", "aiosqlite", "fontTools",
        "alembic.runtime.plugins", "telegram.Bot", "telegram.ext.ExtBot",
    )  # fmt: skip
    for noisy in quiet:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
