"""Texts of the reminders feature: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {}
