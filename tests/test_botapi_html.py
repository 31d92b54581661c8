"""The project's Bot API reads HTML as strictly as Telegram: a value that was not escaped makes
the send fail in every test, as it would for a participant."""

from __future__ import annotations

import pytest

from bot.playground.botapi import ApiError, visible_text


def test_what_telegram_shows_of_well_formed_html() -> None:
    assert visible_text("<b>Batik</b> &amp; <i>kain perca</i> &lt;3", "HTML") == (
        "Batik & kain perca <3"
    )
    assert visible_text("a < b & c", None) == "a < b & c"  # plain text is shown as it is


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>a</i>", "unmatched end tag i"),
        ("a </b>", "unmatched end tag b"),
        ("<script>a</script>", "unsupported start tag at 0"),
        ("<b>a", "unclosed tag b"),
        ("Toko A & B", "bare & at 7"),
        ("umur > 1 tahun", "bare > at 5"),
    ],
)
def test_html_telegram_refuses_is_refused(text: str, error: str) -> None:
    with pytest.raises(ApiError) as refused:
        visible_text(text, "HTML")
    assert refused.value.code == 400 and error in str(refused.value)
