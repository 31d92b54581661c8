"""The Mini App's initData check on its own: Telegram's signature, freshness, staff only."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from bot.services.webapp_auth import (
    MAX_INIT_DATA,
    Access,
    AccessRefusal,
    check_init_data,
    sign_init_data,
)
from tests.conftest import ADMIN_ID, TOKEN
from tests.dashboard_data import signed_init_data

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
STAFF = frozenset({ADMIN_ID})


def check(init_data: str | None, *, max_age: int = 3600, token: str = TOKEN) -> Access:
    """The check as the server makes it, at NOW."""
    return check_init_data(
        init_data, token=token, admin_ids=STAFF, now=NOW, max_age_seconds=max_age
    )


def test_the_signature_is_the_one_telegram_documents() -> None:
    # Worked out step by step as Telegram's page describes it, independently of the module.
    user = '{"id":9000001,"first_name":"Staf & Co","language_code":"en"}'
    fields = {"auth_date": str(int(NOW.timestamp()) - 30), "query_id": "AAH", "user": user}
    check_string = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    init_data = urlencode({**fields, "hash": expected}, quote_via=quote)

    access = check(init_data)
    assert access.refusal is None and access.user is not None
    assert (access.user.id, access.user.first_name) == (ADMIN_ID, "Staf & Co")
    assert access.user.language_code == "en"
    assert dict(parse_qsl(sign_init_data(fields, TOKEN)))["hash"] == expected


def test_every_field_is_signed_including_ones_added_later() -> None:
    # Newer clients add fields (signature, chat_instance...): they are part of the check string.
    fields = {
        "auth_date": str(int(NOW.timestamp())),
        "chat_instance": "-123",
        "signature": "abc",
        "user": f'{{"id":{ADMIN_ID}}}',
    }
    assert check(sign_init_data(fields, TOKEN)).refusal is None
    forged = dict(parse_qsl(sign_init_data(fields, TOKEN)))
    forged["chat_instance"] = "-124"
    assert check(urlencode(forged)).refusal == AccessRefusal.BAD_SIGNATURE


def _hash(init_data: str) -> str:
    return dict(parse_qsl(init_data))["hash"]


def _with(init_data: str, **changes: str) -> str:
    fields = dict(parse_qsl(init_data))
    fields.update(changes)
    return urlencode(fields)


@pytest.mark.parametrize(
    ("make", "refusal"),
    [
        (lambda good: None, AccessRefusal.MISSING),
        (lambda good: "", AccessRefusal.MISSING),
        (lambda good: "not a query string", AccessRefusal.MALFORMED),
        pytest.param(lambda good: good + "&junk", AccessRefusal.MALFORMED, id="a-field-without-="),
        (lambda good: _with(good, hash="").replace("hash=", "hush="), AccessRefusal.MALFORMED),
        (lambda good: good + "&user=%7B%7D", AccessRefusal.MALFORMED),  # a field twice
        (lambda good: "user=x&" * 2000 + good, AccessRefusal.MALFORMED),  # absurdly long
        (lambda good: _with(good, hash="0" * 64), AccessRefusal.BAD_SIGNATURE),
        # The right hash cut short, or nothing at all: a prefix of it proves nothing.
        pytest.param(
            lambda good: _with(good, hash=""), AccessRefusal.BAD_SIGNATURE, id="empty-hash"
        ),
        pytest.param(
            lambda good: _with(good, hash=_hash(good)[:1]),
            AccessRefusal.BAD_SIGNATURE,
            id="1-char-hash",
        ),
        pytest.param(
            lambda good: _with(good, hash=_hash(good)[:32]),
            AccessRefusal.BAD_SIGNATURE,
            id="half-hash",
        ),
        pytest.param(
            lambda good: _with(good, hash=_hash(good)[:-1]),
            AccessRefusal.BAD_SIGNATURE,
            id="63-chars",
        ),
        pytest.param(
            lambda good: _with(good, hash=_hash(good) + "0"),
            AccessRefusal.BAD_SIGNATURE,
            id="65-chars",
        ),
        (lambda good: _with(good, hash="ä" * 64), AccessRefusal.BAD_SIGNATURE),
        (lambda good: _with(good, user=f'{{"id":{ADMIN_ID + 1}}}'), AccessRefusal.BAD_SIGNATURE),
        (
            lambda good: _with(good, auth_date=str(int(NOW.timestamp()))),
            AccessRefusal.BAD_SIGNATURE,
        ),
    ],
)
def test_missing_malformed_and_forged_data_is_refused(
    make: Callable[[str], str | None], refusal: AccessRefusal
) -> None:
    good = signed_init_data(ADMIN_ID, NOW)
    access = check(make(good))
    assert access.refusal == refusal
    assert access.user is None
    assert not access.authenticated


def test_the_untouched_data_passes_the_check_the_forgeries_fail() -> None:
    # The forgeries above differ from this only in what they change.
    assert check(_with(signed_init_data(ADMIN_ID, NOW))).refusal is None


def test_data_signed_with_another_bots_token_is_forged() -> None:
    other = signed_init_data(ADMIN_ID, NOW, token="654321:OTHER-token")
    assert check(other).refusal == AccessRefusal.BAD_SIGNATURE


def test_data_older_than_the_limit_is_expired() -> None:
    assert check(signed_init_data(ADMIN_ID, NOW, age=timedelta(minutes=59))).refusal is None
    # The limits themselves still pass: an hour old, or a minute ahead of our clock.
    assert check(signed_init_data(ADMIN_ID, NOW, age=timedelta(hours=1))).refusal is None
    assert check(signed_init_data(ADMIN_ID, NOW, age=-timedelta(minutes=1))).refusal is None
    assert check(signed_init_data(ADMIN_ID, NOW, age=-timedelta(seconds=61))).refusal == (
        AccessRefusal.EXPIRED
    )
    old = signed_init_data(ADMIN_ID, NOW, age=timedelta(minutes=61))
    assert check(old).refusal == AccessRefusal.EXPIRED
    assert check(old, max_age=2 * 3600).refusal is None
    ahead = signed_init_data(ADMIN_ID, NOW, age=-timedelta(minutes=10))
    assert check(ahead).refusal == AccessRefusal.EXPIRED


def test_signed_fields_that_make_no_sense_are_malformed() -> None:
    for fields in (
        {"auth_date": "yesterday", "user": f'{{"id":{ADMIN_ID}}}'},
        {"auth_date": str(int(NOW.timestamp())), "user": "{not json"},
        {"auth_date": str(int(NOW.timestamp())), "user": '{"id":"9000001"}'},
        {"auth_date": str(int(NOW.timestamp()))},
        {"user": f'{{"id":{ADMIN_ID}}}'},  # no auth_date
    ):
        assert check(sign_init_data(fields, TOKEN)).refusal == AccessRefusal.MALFORMED


def test_data_up_to_the_size_limit_is_read_and_longer_data_is_not() -> None:
    def signed_of_length(length: int) -> str:
        fields = {"auth_date": str(int(NOW.timestamp())), "user": f'{{"id":{ADMIN_ID}}}'}
        padding = length - len(sign_init_data({**fields, "pad": ""}, TOKEN))
        init_data = sign_init_data({**fields, "pad": "a" * padding}, TOKEN)
        assert len(init_data) == length
        return init_data

    assert check(signed_of_length(MAX_INIT_DATA)).refusal is None
    assert check(signed_of_length(MAX_INIT_DATA + 1)).refusal == AccessRefusal.MALFORMED


def test_the_user_fields_telegram_may_leave_out() -> None:
    fields = {"auth_date": str(int(NOW.timestamp())), "user": f'{{"id":{ADMIN_ID}}}'}
    user = check(sign_init_data(fields, TOKEN)).user
    assert user is not None and (user.first_name, user.language_code) == ("", None)
    odd = {**fields, "user": f'{{"id":{ADMIN_ID},"language_code":5}}'}
    user = check(sign_init_data(odd, TOKEN)).user
    assert user is not None and user.language_code is None


def test_a_genuine_user_who_is_not_staff_is_known_but_refused() -> None:
    access = check(signed_init_data(4242, NOW))
    assert access.refusal == AccessRefusal.NOT_STAFF
    assert access.authenticated
    assert access.user is not None and access.user.id == 4242
