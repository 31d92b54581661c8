"""Logs never contain the token or a whole phone number."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import httpx
import pytest

from bot.runtime.logging_setup import RedactingFilter, configure_logging, mask_phone
from bot.settings import SettingsError, load_settings
from tests.conftest import TOKEN
from tests.harness import BotHarness


def test_phone_numbers_are_masked() -> None:
    assert mask_phone("call +6281234567890 now") == "call +62812****890 now"
    assert "1234567" not in mask_phone("082112345678")


def test_token_is_redacted_from_messages_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    token = TOKEN
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


SECRET = "webhook-secret-123"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger and the quietened libraries back as they were."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    names = ("httpx", "httpcore", "telegram.Bot", "telegram.ext.ExtBot")
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    root.handlers[:], level = saved
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def _log_everything(logger: logging.Logger) -> None:
    logger.info("sent to %s\nsecond line", "+6281234567890", extra={"chat": 42, "note": "a b"})
    try:
        raise ValueError(f"bad url http://127.0.0.1:8081/bot{TOKEN}/sendMessage")
    except ValueError:
        logger.exception("failed with secret %s", SECRET)


@pytest.mark.usefixtures("restore_logging")
def test_text_format_is_one_line_per_event(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", [TOKEN, SECRET], "text")
    _log_everything(logging.getLogger("bot.jobs.test"))
    first, second = _lines(capsys)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO bot\.jobs\.test sent to \+62812\*\*\*\*890 "
        r'\| second line chat=42 note="a b"',
        first,
    ), first
    assert second.split(" ", 3)[1:3] == ["ERROR", "bot.jobs.test"]
    assert "Traceback (most recent call last): | " in second and "ValueError" in second
    for line in (first, second):
        assert TOKEN not in line and SECRET not in line and "1234567" not in line


@pytest.mark.usefixtures("restore_logging")
def test_json_format_is_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", [TOKEN, SECRET], "json")
    _log_everything(logging.getLogger("bot.jobs.test"))
    lines = _lines(capsys)
    events = [json.loads(line) for line in lines]
    assert [sorted(e) for e in events] == [
        ["chat", "level", "logger", "msg", "note", "ts"],
        ["exc", "level", "logger", "msg", "ts"],
    ]
    info, error = events
    assert info["msg"] == "sent to +62812****890\nsecond line"
    assert (info["level"], info["logger"], info["chat"]) == ("INFO", "bot.jobs.test", 42)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info["ts"])
    assert error["msg"] == "failed with secret [redacted]"
    assert "\n" not in error["exc"] and error["exc"].endswith("/sendMessage")
    assert "bot[redacted]/sendMessage" in error["exc"]
    for line in lines:
        assert TOKEN not in line and SECRET not in line


@pytest.mark.usefixtures("restore_logging")
async def test_httpx_request_logs_do_not_leak_the_token_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("DEBUG", [TOKEN], "text")
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    async with httpx.AsyncClient(transport=transport) as client:
        await client.post(f"http://127.0.0.1:8081/bot{TOKEN}/getMe")
    logging.getLogger("httpx").warning("retrying http://127.0.0.1:8081/bot%s/getMe", TOKEN)
    lines = _lines(capsys)
    assert not any("HTTP Request" in line for line in lines)  # request logs stay quiet
    assert len(lines) == 1 and "bot[redacted]/getMe" in lines[0]


def test_log_format_setting() -> None:
    base = {"TELEGRAM_BOT_TOKEN": TOKEN}
    assert load_settings(base, env_file="").log_format == "text"
    assert load_settings({**base, "LOG_FORMAT": "JSON"}, env_file="").log_format == "json"
    with pytest.raises(SettingsError, match=r"^LOG_FORMAT must be text or json, got 'xml'$"):
        load_settings({**base, "LOG_FORMAT": "xml"}, env_file="")


@pytest.mark.parametrize(
    "written",
    [
        "0812-3456-7801", "0812 3456 7801", "081234567801", "+6281234567801", "6281234567801",
        "+62 812-3456-7801", "(021) 5551234", "0812.3456.7801",
    ],
)  # fmt: skip
def test_every_form_of_a_phone_number_is_masked(written: str) -> None:
    masked = mask_phone(f"nomor {written}, ok")
    digits = "".join(ch for ch in masked if ch.isdigit())
    assert "****" in masked and masked.endswith(", ok"), masked
    assert len(digits) <= 8 and "3456" not in masked and "555" not in masked, masked


async def test_the_library_does_not_log_message_texts_at_debug(
    harness: BotHarness, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging("DEBUG", [TOKEN])
    user = harness.user(515151, "Ratna")
    answer = await harness.send(user, "/start")
    lines = capsys.readouterr().err.splitlines()
    assert lines  # DEBUG is on: the bot's own loggers talk
    first_words = answer[0].text.split("\n")[0][:30]
    assert first_words and not [line for line in lines if first_words in line]
    assert not [line for line in lines if "Ratna" in line]
