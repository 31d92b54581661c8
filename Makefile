# The two commands of the README: `make run` (the demo until a token is in .env) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests wait on subprocesses and sockets as well as on the CPU: twice the cores pays (6 does
# not: measured). The tests that start processes come first (tests/conftest.py), handed out two
# at a time so that no worker is left with a queue of them at the end.
TEST_WORKERS ?= 4
# The staff dashboard's tests drive Debian's chromium (Playwright's own browser download does
# not work everywhere); the emoji font makes their screenshots look as on a phone.
CHROMIUM := /usr/bin/chromium
BROWSER_PACKAGES := chromium fonts-noto-color-emoji
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)

.PHONY: run test test-at lint install browser clean mutate

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Missing chromium is installed, never skipped: without apt-get this fails and says why.
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "$(CHROMIUM) is missing and apt-get is not available:" \
		"install Debian's chromium (the staff dashboard's browser tests need it)" >&2; exit 1; }
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES)
	test -x $(CHROMIUM)

browser: $(CHROMIUM)

install: $(STAMP) $(CHROMIUM)

# Without a token (no .env, or none in it) `make run` is the demo: the real bot in a web page on
# this machine (`python -m bot demo`, which says how to go live). `python -m bot` never is.
run: $(STAMP)
	@if $(BIN)/python -c 'import sys; from bot.settings import token_configured as t; sys.exit(not t())'; \
	then $(BIN)/python -m bot; else $(BIN)/python -m bot demo; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) $(CHROMIUM) lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxschedchunk 2

# The suite on another day and hour: libfaketime moves the clock of pytest and of every process it
# starts by one offset, so they agree (faketime's "@" form would restart the clock in each process).
# Chromium cannot run on a moved clock, so the browser tests are left out.
#   make test-at MOMENT="2027-03-31 23:50 +07:00"
test-at: $(STAMP)
	@test -n "$(MOMENT)" || { echo 'usage: make test-at MOMENT="2027-03-31 23:50 +07:00"' >&2; exit 2; }
	@command -v faketime >/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime
	offset=$$(( $$(date -d "$(MOMENT)" +%s) - $$(date +%s) )); \
	FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$$(printf '%+d' $$offset)s" \
		$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxschedchunk 2 -p no:cacheprovider \
		--ignore=tests/test_dashboard_browser.py $(PYTEST_ARGS)

# Mutation testing (docs/testing.md), not part of `make test` or .ci/run: mutmut plants small
# bugs in the modules that hold the rules and runs each module's tests against them.
# MUTATE= some of the modules of tests/mutation.py (all by default, smallest first);
# MUTATE_ARGS=--postgres runs the tests on both engines. One mutant at a time by default.
MUTATE ?=
MUTATE_ARGS ?=
MUTATE_CHILDREN ?= 1

mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,mutate]'
	$(BIN)/python -m tests.mutation --children $(MUTATE_CHILDREN) $(MUTATE_ARGS) $(MUTATE)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants
