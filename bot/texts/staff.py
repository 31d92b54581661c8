"""Texts of the staff feature: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {}
