"""`schedule_all` installs every recurring job with a stable id when the bot starts."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from jobs import announcements, reminders, retention


def schedule_all(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Install the recurring jobs."""
    reminders.schedule(application)
    announcements.schedule(application)
    retention.schedule(application)
