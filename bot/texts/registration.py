"""Texts of the registration feature: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {}
