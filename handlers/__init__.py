"""Telegram-facing code, one module per feature; `register_all` adds them in priority order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import attendance, common, errors, fallback, staff, staff_trainings

# Earlier modules win when two handlers match the same update (e.g. `/start <payload>`).
# `attendance` first: its `/start ci_<token>` goes before any other deep link; `staff` last of
# the staff modules: it ends with the catch-all for leftover staff buttons.
FEATURES = (attendance, staff_trainings, staff, common)


def register_all(application: Application) -> None:
    """Add every feature's handlers, then the catch-alls and the error handler."""
    for feature in FEATURES:
        feature.register(application)
    fallback.register(application)
    application.add_error_handler(errors.handle_error)
