"""`start_jobs` installs every recurring job with a stable id when a process starts."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from jobs import after_training, outbox, reminders, retention


async def start_jobs(application: Application[Any, Any, Any, Any, Any, Any], role: str) -> None:
    """The outbox sender and its share of the budget, reminders, surveys and certificate
    offers, and (in the bot) retention."""
    await outbox.start(application, role)
    reminders.schedule(application)
    after_training.schedule(application)
    if role == "bot":
        retention.schedule(application)


async def stop_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Give back what the jobs hold (the sending share) once the job queue has stopped."""
    await outbox.stop(application)
