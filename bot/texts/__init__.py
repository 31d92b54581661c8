"""The text catalog: every user-facing sentence, keyed, in Indonesian first and English second.

Each feature keeps its texts in a module of this package as ``TEXTS = {key: (id, en)}``.
Messages are sent as HTML: `t` escapes every value it fills in unless it is wrapped in `Safe`
(for markup the bot itself built), so user-typed text can never inject markup.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from bot.texts.catalog import (
    announcements,
    colleague,
    common,
    documents,
    helpdesk,
    impact,
    miniapp,
    my,
    notices,
    registration,
    reminders,
    roles,
    sharing,
    staff,
    trainings,
)

_MODULES = (
    common,
    registration,
    reminders,
    staff,
    trainings,
    my,
    announcements,
    notices,
    miniapp,
    documents,
    sharing,
    colleague,
    helpdesk,
    roles,
    impact,
)


class Safe(str):
    """A string of HTML the bot built itself; `t` inserts it without escaping."""

    __slots__ = ()


def _build() -> dict[str, tuple[str, str]]:
    catalog: dict[str, tuple[str, str]] = {}
    for module in _MODULES:
        texts: Mapping[str, tuple[str, str]] = module.TEXTS
        duplicated = catalog.keys() & texts.keys()
        if duplicated:
            raise RuntimeError(f"text keys defined twice: {sorted(duplicated)}")
        catalog.update(texts)
    return catalog


CATALOG = _build()


def escape(value: object) -> str:
    """Escape a value for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=False)


def t(key: str, lang: str | None = "id", /, **values: object) -> str:
    """The text `key` in `lang` (Indonesian when unknown), with `values` escaped and filled in."""
    pair = CATALOG[key]
    template = pair[1] if lang == "en" else pair[0]
    if not values:
        return template
    filled = {k: v if isinstance(v, Safe) else escape(v) for k, v in values.items()}
    return template.format(**filled)


def unescape(text: str) -> str:
    """A rendered text back to what it reads, without HTML escapes (for the command line and
    plain-text messages; the catalog's texts hold no tags where this is used)."""
    return html.unescape(text)


def plain(key: str, lang: str | None = "id", /, **values: object) -> str:
    """The text `key` filled in without escaping: for printed documents, which are not HTML."""
    pair = CATALOG[key]
    template = pair[1] if lang == "en" else pair[0]
    return template.format(**values) if values else template


def has(key: str) -> bool:
    """Whether the catalog has `key`."""
    return key in CATALOG
