"""The suite's own guard: an error logged by the bot's error handler fails the test."""

from __future__ import annotations

import pytest

from tests.harness import ROOT

pytest_plugins = ["pytester"]

TESTS = """
import logging

import pytest


def test_quiet():
    pass


def test_a_handler_failed():
    logging.getLogger("bot.errors").error("update 1 from user 2 failed: KeyError: 'x'")


@pytest.mark.handler_error
def test_provokes_one_on_purpose():
    logging.getLogger("bot.errors").error("update 3 from user 4 failed: KeyError: 'y'")
"""


# The inner run logs to the same logger in this process: this test provokes them on purpose.
@pytest.mark.handler_error
def test_an_error_of_the_error_handler_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.syspathinsert(ROOT)
    pytester.makeconftest("from tests.conftest import fail_on_handler_errors  # noqa: F401\n")
    pytester.makepyfile(test_guarded=TESTS)
    result = pytester.runpytest(
        "-p",
        "no:xdist",
        "-p",
        "no:cacheprovider",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
    )
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_a_handler_failed*"])
    result.stdout.fnmatch_lines(["*update 1 from user 2 failed: KeyError*"])
