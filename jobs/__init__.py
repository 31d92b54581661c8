"""Scheduled work (reminders, bulk sending); `jobs.schedule.schedule_all` installs it."""
