"""PDF documents people print and hand in: A4, with fonts embedded that render every name.

fpdf2 writes the PDF (pure Python, small, embeds a subset of each TrueType font it uses). The
fonts are the DejaVu family that ships inside matplotlib (already a dependency for the
charts), so "Ni Luh Ayu Pradnyaswari", "Śrī" or "Nguyễn" print as typed, on any machine,
with nothing to install.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Literal

from fpdf import FPDF

FONT = "DejaVu"
_FACES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MARGIN_MM = 15.0


@cache
def font_dir() -> Path:
    """Where matplotlib keeps its DejaVu TrueType files (found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: its fonts are needed for PDFs")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def new_pdf(title: str, orientation: Literal["portrait", "landscape"] = "portrait") -> FPDF:
    """An empty A4 document with the fonts loaded, margins set and its title in the metadata."""
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    for style, filename in _FACES.items():
        pdf.add_font(FONT, style, str(font_dir() / filename))
    pdf.set_font(FONT, size=11)
    pdf.set_title(title)
    pdf.set_creator("pelatihan-bot")
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    """The finished document."""
    return bytes(pdf.output())
