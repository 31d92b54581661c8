"""The participant list of a training as the chat sends it: the Excel file, its caption and
the button that asks for the CSV too (the same for /ekspor in the chat and for the outbox)."""

from __future__ import annotations

from bot.services.reports import TrainingExport
from bot.texts import t
from bot.texts.callbacks import EXPORT_CSV, pack
from bot.texts.message import Attachment, Button, Outgoing, keyboard


def export_message(export: TrainingExport, lang: str, xlsx: Attachment) -> Outgoing:
    """The Excel file `xlsx` of `export`, with its "also as CSV" button."""
    csv_request = pack(EXPORT_CSV, export.counts.training_id)
    return Outgoing(
        t("staff.export.caption", lang, code=export.code, count=len(export.rows)),
        buttons=keyboard(Button(t("staff.export.csv_button", lang), data=csv_request)),
        document=xlsx,
    )
