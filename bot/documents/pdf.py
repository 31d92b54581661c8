"""PDF documents people print and hand in: A4, with fonts embedded that render every name.

fpdf2 writes the PDF (pure Python, small, embeds a subset of each TrueType font it uses). The
fonts are the DejaVu family that ships inside matplotlib (already a dependency for the
charts), so "Ni Luh Ayu Pradnyaswari", "Śrī" or "Nguyễn" print as typed, on any machine,
with nothing to install. A name in a script DejaVu cannot draw (Javanese, Chinese, …) is not
printed as empty boxes: `printable` keeps what the fonts draw and says the rest cannot be
printed; the name itself stays in the data as typed.
"""

from __future__ import annotations

import importlib.util
import logging
import string
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Literal

from fontTools import subset
from fpdf import FPDF

from bot.texts import plain

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


@contextmanager
def fonts_for(texts: Iterable[str]) -> Iterator[Path]:
    """A folder with the DejaVu faces cut down to the characters of `texts` (and printable
    ASCII), for a batch of documents: each then loads its fonts in a fraction of the time that
    the full faces take (6,000 glyphs each), and prints the same."""
    characters = set(string.printable) | {"—", "–", "…", "•", "✓", "“", "”", "’"}
    for text in texts:
        characters.update(text)
    options = subset.Options()
    options.notdef_outline = True
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    # fontTools says, per face, which tables it drops (FFTM): nothing an operator needs.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="fonts-") as folder:
        for filename in _FACES.values():
            font = subset.load_font(str(font_dir() / filename), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(text="".join(sorted(characters)))
            subsetter.subset(font)
            subset.save_font(font, str(Path(folder) / filename), options)
        yield Path(folder)


@cache
def _drawable() -> frozenset[int]:
    """The characters every face has a glyph for."""
    from fontTools.ttLib import TTFont

    faces = [set(TTFont(str(font_dir() / f), lazy=True).getBestCmap()) for f in _FACES.values()]
    return frozenset(set.intersection(*faces))


def drawable(text: str) -> bool:
    """Whether the fonts draw every character of `text`."""
    glyphs = _drawable()
    return all(ord(ch) in glyphs for ch in text if not ch.isspace())


def printable(text: str, lang: str) -> str:
    """`text` as the fonts draw it: as typed when they can; otherwise the part they draw and a
    note that the rest is in a script that cannot be printed (never boxes)."""
    if drawable(text):
        return text
    glyphs = _drawable()
    kept = "".join(ch if ord(ch) in glyphs else " " for ch in text)
    return " ".join([*kept.split(), plain("doc.unprintable", lang)])


class Document(FPDF):
    """An FPDF page with an optional footer line: a text on the left, the page on the right."""

    footer_left = ""
    footer_right = ""  # a format with {page}

    def footer(self) -> None:
        """Written by fpdf2 at the bottom of every page."""
        if not (self.footer_left or self.footer_right):
            return
        self.set_y(-MARGIN_MM + 4)
        self.set_font(FONT, size=8)
        self.set_text_color(110)
        self.cell(0, 4, self.footer_left, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, self.footer_right.format(page=self.page_no()), align="R")
        self.set_text_color(0)


def new_pdf(
    title: str,
    orientation: Literal["portrait", "landscape"] = "portrait",
    *,
    fonts: Path | None = None,
    styles: str = "BI",
) -> Document:
    """An empty A4 document with the fonts loaded, margins set and its title in the metadata.

    `fonts`: a folder from `fonts_for` (a batch); by default the full faces. `styles`: the faces
    besides regular to load (each one loaded is embedded too: fewer is faster).
    """
    pdf = Document(orientation=orientation, unit="mm", format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    for style, filename in _FACES.items():
        if not style or style in styles:
            pdf.add_font(FONT, style, str((fonts or font_dir()) / filename))
    pdf.set_font(FONT, size=11)
    pdf.set_title(title)
    pdf.set_creator("pelatihan-bot")
    return pdf


def draw_qr(
    pdf: FPDF, modules: Sequence[Sequence[bool]], left: float, top: float, module: float
) -> None:
    """A QR code (rows of modules, True: dark) as vector squares from (`left`, `top`), one
    rectangle per run of dark modules in a row: sharp at any size and cheaper than an image."""
    pdf.set_fill_color(0, 0, 0)
    overlap = module * 0.02  # neighbouring runs touch: no hairline between them when rendered
    for row_index, row in enumerate(modules):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            run = column
            while run < len(row) and row[run]:
                run += 1
            x, y = left + column * module, top + row_index * module
            pdf.rect(x, y, (run - column) * module + overlap, module + overlap, style="F")
            column = run


def pdf_bytes(pdf: FPDF) -> bytes:
    """The finished document."""
    return bytes(pdf.output())
