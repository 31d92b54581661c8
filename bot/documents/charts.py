"""Charts as PNG images (matplotlib, headless): for the activity report, /statistik and the
staff dashboard. Figures are built with the object API (no pyplot state), so several can be
drawn at once from different threads."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from matplotlib.dates import DateFormatter, date2num
from matplotlib.figure import Figure

BLUE = "#2b7bb9"
GREY = "#8a8a8a"
DPI = 150


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int],
    title: str,
    *,
    size: tuple[float, float] = (6.0, 3.2),
    keep_order: bool = False,
) -> bytes:
    """Horizontal bars, largest at the top (or in the given order, first at the top), each
    with its number."""
    figure = Figure(figsize=size, layout="constrained")
    axes = figure.subplots()
    if keep_order:
        order = list(reversed(range(len(values))))
    else:
        order = sorted(range(len(values)), key=lambda i: values[i])
    bars = axes.barh([labels[i] for i in order], [values[i] for i in order], color=BLUE)
    axes.bar_label(bars, padding=3)
    axes.set_title(title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.15)
    return _png(figure)


def line_chart(
    days: Sequence[date],
    values: Sequence[int],
    title: str,
    *,
    cumulative: bool = True,
    size: tuple[float, float] = (6.0, 3.0),
) -> bytes:
    """Counts per day as a line (running total when `cumulative`)."""
    figure = Figure(figsize=size, layout="constrained")
    axes = figure.subplots()
    totals = list(values)
    if cumulative:
        running = 0
        for index, value in enumerate(values):
            running += value
            totals[index] = running
    axes.plot(date2num(list(days)), totals, color=BLUE, marker="o", markersize=3)
    axes.xaxis_date()
    if len(days) == 1:
        # One day alone would stretch the axis over decades.
        middle = date2num(days[0])
        axes.set_xlim(middle - 3, middle + 3)
    axes.xaxis.set_major_formatter(DateFormatter("%d/%m"))
    axes.set_title(title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_ylim(bottom=0)
    figure.autofmt_xdate()
    return _png(figure)
