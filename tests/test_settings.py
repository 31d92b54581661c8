"""Settings: defaults, and one clear line for each bad value."""

from __future__ import annotations

import dataclasses
import re
from datetime import time
from pathlib import Path

import pytest

from bot.settings import OTHER_VARIABLES, VARIABLES, Settings, SettingsError, load_settings
from tests.harness import ROOT, run_cli, subprocess_env

TOKEN = "123456:TEST-token"


def test_defaults_follow_the_product_brief() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, env_file="")
    assert settings.api_base_url == "https://api.telegram.org"
    assert settings.database_url.startswith("sqlite+aiosqlite:///data/")
    assert settings.timezone.key == "Asia/Jakarta"
    assert settings.reminder_time == time(16, 0)
    assert settings.morning_reminder_time is None  # off unless set
    assert settings.default_language == "id"
    assert settings.broadcast_rate == 30
    assert not settings.webhook_mode
    assert settings.admin_ids == frozenset()
    assert settings.org_name == "Dinas Koperasi dan Usaha Mikro Kota Malang"
    assert settings.org_contact is None and settings.staff_chat_id is None
    assert TOKEN not in repr(settings)


def test_values_are_parsed() -> None:
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "ADMIN_IDS": "11, 22,",
            "TIMEZONE": "Asia/Jayapura",
            "REMINDER_TIME": "07:30",
            "REMINDER_MORNING_TIME": "6:15",
            "DATABASE_URL": "postgresql://u@localhost/db",
            "BROADCAST_RATE": "25.5",
            "WEBHOOK_URL": "https://bot.example.org/",
            "WEBHOOK_SECRET": "s3cret-value",
            "DEFAULT_LANGUAGE": "en",
            "ORG_NAME": " Dinas Koperasi dan UKM Kota Malang ",
            "ORG_CONTACT": "WA 0812-3333-4444 · Jl. Tugu No. 1",
            "STAFF_CHAT_ID": "-1001234567890",
        },
        env_file="",
    )
    assert settings.org_name == "Dinas Koperasi dan UKM Kota Malang"
    assert settings.org_contact == "WA 0812-3333-4444 · Jl. Tugu No. 1"
    assert settings.staff_chat_id == -1001234567890
    assert settings.admin_ids == {11, 22}
    assert settings.timezone.key == "Asia/Jayapura"
    assert settings.reminder_time == time(7, 30)
    assert settings.morning_reminder_time == time(6, 15)
    assert settings.database_url == "postgresql+asyncpg://u@localhost/db"
    assert settings.webhook_url == "https://bot.example.org"
    assert settings.webhook_mode
    assert settings.default_language == "en"


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nREMINDER_TIME=15:00\nADMIN_IDS=5\n")
    settings = load_settings({"ADMIN_IDS": "6"}, env_file=env_file)
    assert settings.reminder_time == time(15, 0)
    assert settings.admin_ids == {6}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "not a token"}, "TELEGRAM_BOT_TOKEN"),
        ({"REMINDER_TIME": "25:00"}, "REMINDER_TIME"),
        ({"REMINDER_TIME": "4pm"}, "REMINDER_TIME"),
        ({"REMINDER_MORNING_TIME": "07:60"}, "REMINDER_MORNING_TIME"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"ADMIN_IDS": "abc"}, "ADMIN_IDS"),
        ({"ADMIN_IDS": "@staff"}, "ADMIN_IDS"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"BROADCAST_RATE": "fast"}, "BROADCAST_RATE"),
        ({"BROADCAST_RATE": "0"}, "BROADCAST_RATE"),
        ({"DEFAULT_LANGUAGE": "jv"}, "DEFAULT_LANGUAGE"),
        ({"WEBHOOK_URL": "ftp://x"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://x.org"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_PORT": "99999"}, "WEBHOOK_PORT"),
        ({"TELEGRAM_API_BASE_URL": "localhost:8081"}, "TELEGRAM_API_BASE_URL"),
        ({"WEBAPP_URL": "http://bot.example.org/app/"}, "WEBAPP_URL"),
        ({"WEBAPP_URL": "bot.example.org"}, "WEBAPP_URL"),
        ({"WEBAPP_PORT": "0"}, "WEBAPP_PORT"),
        ({"WEBAPP_AUTH_MAX_AGE": "an hour"}, "WEBAPP_AUTH_MAX_AGE"),
        ({"ORG_NAME": "Dinas " * 30}, "ORG_NAME"),
        ({"ORG_CONTACT": "0812 " * 70}, "ORG_CONTACT"),
        ({"STAFF_CHAT_ID": "1234567"}, "STAFF_CHAT_ID"),
        ({"STAFF_CHAT_ID": "@staf_dinas"}, "STAFF_CHAT_ID"),
    ],
)
def test_bad_setting_is_named(env: dict[str, str], named: str) -> None:
    base = {} if named == "TELEGRAM_BOT_TOKEN" and not env else {"TELEGRAM_BOT_TOKEN": TOKEN}
    with pytest.raises(SettingsError) as error:
        load_settings({**base, **env}, env_file="")
    message = str(error.value)
    assert named in message
    assert "\n" not in message


# Each setting's message is checked in-process above; these two walk the whole way out of a
# real process (no setting at all, and a bad one with the token given).
@pytest.mark.e2e
@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "::bad::"}, "DATABASE_URL"),
    ],
)
async def test_bot_refuses_to_start_with_one_clear_line(env: dict[str, str], named: str) -> None:
    code, out, err = await run_cli(subprocess_env(**env), timeout=60)
    assert code == 2
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert named in lines[0]
    assert "Traceback" not in err
    assert TOKEN not in err


@pytest.mark.e2e
async def test_help_lists_the_commands() -> None:
    code, out, _ = await run_cli(subprocess_env(), "--help", timeout=60)
    assert code == 0
    assert "run" in out and "poster" in out


def test_stale_claim_and_no_arithmetic_left_to_the_operator() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, env_file="")
    assert (settings.broadcast_rate, settings.stale_claim_seconds) == (30, 600)
    assert settings.obsolete == ()
    settings = load_settings(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "SENDING_PROCESSES": "3", "STALE_CLAIM_SECONDS": "60"},
        env_file="",
    )
    # Processes share BROADCAST_RATE by themselves now: the old split is named, not used.
    assert (settings.broadcast_rate, settings.stale_claim_seconds) == (30, 60)
    assert settings.obsolete == ("SENDING_PROCESSES",)


@pytest.mark.parametrize(("name", "raw"), [("STALE_CLAIM_SECONDS", "1")])
def test_bad_sending_settings_are_named(name: str, raw: str) -> None:
    with pytest.raises(SettingsError, match=name) as error:
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, name: raw}, env_file="")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("https://bot.example.org", "https://bot.example.org/app/"),
        ("https://bot.example.org/", "https://bot.example.org/app/"),
        ("https://bot.example.org/app", "https://bot.example.org/app/"),
        ("https://bot.example.org/dinas/app/", "https://bot.example.org/dinas/app/"),
    ],
)
def test_webapp_url_ends_with_a_slash(raw: str, url: str) -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBAPP_URL": raw}, env_file="")
    assert settings.webapp_url == url
    assert settings.webapp_auth_max_age == 3600


def test_webapp_port_is_the_webhook_servers_unless_set() -> None:
    base = {"TELEGRAM_BOT_TOKEN": TOKEN, "WEBAPP_URL": "https://bot.example.org/app/"}
    assert load_settings(base, env_file="").webapp_listen_port == 8080
    webhook = {**base, "WEBHOOK_URL": "https://bot.example.org", "WEBHOOK_SECRET": "s3cret-value"}
    assert (
        load_settings({**webhook, "WEBHOOK_PORT": "8443"}, env_file="").webapp_listen_port == 8443
    )
    own = load_settings({**webhook, "WEBAPP_PORT": "9000"}, env_file="")
    assert own.webapp_listen_port == 9000


def test_the_web_server_listens_on_loopback_unless_told_otherwise() -> None:
    polling = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, env_file="")
    assert polling.listen_host == "127.0.0.1"  # the dashboard behind a proxy on this machine
    webhook = {"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://bot.example.go.id"}
    webhook["WEBHOOK_SECRET"] = "s3cret-value"
    assert load_settings(webhook, env_file="").listen_host == "0.0.0.0"
    told = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_LISTEN": "10.0.0.5"}, env_file="")
    assert told.listen_host == "10.0.0.5"


def test_the_nginx_example_sends_hsts_on_https() -> None:
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    https = config[config.index("listen 443") :]
    match = re.search(r'add_header Strict-Transport-Security "max-age=(\d+)[^"]*" always;', https)
    assert match is not None and int(match[1]) >= 365 * 24 * 3600
    assert "Strict-Transport-Security" in (ROOT / "docs" / "deploy.md").read_text()


def _first_column_names(markdown: str, heading: str) -> set[str]:
    """The `NAMES` in the first column of the table under `heading`."""
    section = markdown.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}


def test_the_settings_table_fills_real_fields_once_each() -> None:
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert {v.field for v in VARIABLES} <= fields
    assert len({v.name for v in VARIABLES}) == len({v.field for v in VARIABLES}) == len(VARIABLES)


def test_the_reference_and_env_example_name_every_setting_and_no_other() -> None:
    names = {v.name for v in VARIABLES} | set(OTHER_VARIABLES) - {"ENV_FILE"}
    reference = _first_column_names((ROOT / "docs" / "reference.md").read_text(), "## Settings")
    assert reference == names, (sorted(names - reference), sorted(reference - names))
    example = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert example == names, (sorted(names - example), sorted(example - names))


def test_follow_up_days_default_set_and_empty_turns_them_off() -> None:
    base = {"TELEGRAM_BOT_TOKEN": TOKEN}
    assert load_settings(base, env_file="").follow_up_days == (90, 180)
    chosen = load_settings({**base, "FOLLOW_UP_DAYS": "180, 30,90"}, env_file="")
    assert chosen.follow_up_days == (30, 90, 180)
    assert load_settings({**base, "FOLLOW_UP_DAYS": ""}, env_file="").follow_up_days == ()
    with pytest.raises(SettingsError, match="FOLLOW_UP_DAYS"):
        load_settings({**base, "FOLLOW_UP_DAYS": "90,enam bulan"}, env_file="")
