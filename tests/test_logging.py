"""Logs never contain the token or a whole phone number."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import RedactingFilter, mask_phone


def test_phone_numbers_are_masked() -> None:
    assert mask_phone("call +6281234567890 now") == "call +62812****890 now"
    assert "1234567" not in mask_phone("082112345678")


def test_token_is_redacted_from_messages_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    token = "123456:TEST-token"
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactingFilter([token]))
    try:
        with caplog.at_level(logging.INFO, logger="test.redact"):
            logger.info("POST https://x/bot%s/getUpdates", token)
            try:
                raise ValueError(f"bad url https://x/bot{token}/sendMessage")
            except ValueError:
                logger.exception("failed")
    finally:
        logger.filters.clear()
    text = caplog.text
    assert token not in text
    assert "[redacted]" in text
