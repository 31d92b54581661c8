"""Scheduled work: the outbox sender, reminders, retention; `jobs.schedule` installs it."""
