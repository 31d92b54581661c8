"""Logging: one line per event, the token and webhook secret never written, phones masked."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

_PHONE_RE = re.compile(r"(\+?62|0)(\d{2,3})\d{3,6}(\d{3})\b")


def mask_phone(text: str) -> str:
    """Replace the middle digits of Indonesian phone numbers with asterisks."""
    return _PHONE_RE.sub(lambda m: f"{m[1]}{m[2]}****{m[3]}", text)


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


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """Log to stderr as `time level logger: message`, redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z")
    )
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Request logs carry the full URL, which contains the token: keep them quiet (and redacted).
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater", "aiosqlite"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
