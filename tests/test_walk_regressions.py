"""Regressions found by walking through the product as users (tests/walkthrough.py)."""

from __future__ import annotations

from tests.factories import make_participant, make_training
from tests.harness import BotHarness


async def test_my_data_shows_sector_and_district_labels_in_the_users_language(
    harness: BotHarness,
) -> None:
    async with harness.sessions() as s:
        await make_participant(s, 801, language="en", sector="jasa", district="luar kota")
        await make_participant(s, 802, sector="kuliner", district="Sukun")
    [view] = await harness.send(harness.user(801), "/mydata")
    assert "Business sector: 🛠 Services" in view.text
    assert "District: Outside the city" in view.text
    assert "jasa" not in view.text and "luar kota" not in view.text
    [view] = await harness.send(harness.user(802), "/datasaya")
    assert "Bidang usaha: 🍲 Kuliner" in view.text
    assert "Kecamatan: Sukun" in view.text


async def test_training_details_without_a_description_have_no_empty_line(
    harness: BotHarness,
) -> None:
    async with harness.sessions() as s:
        await make_training(s, code="DIG-02", title="Pemasaran Digital", description="")
        await make_training(s, code="KP-01", title="Kain Perca", description="Tentang <kain>")
    [details] = await harness.send(harness.user(803), "/start DIG-02")
    assert details.text.startswith("Pemasaran Digital\n📍 Hotel Sahid Montana Dua")
    [details] = await harness.send(harness.user(804), "/start KP-01")
    assert details.text.startswith("Kain Perca\nTentang <kain>\n📍 ")
