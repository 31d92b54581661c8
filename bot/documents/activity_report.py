"""The laporan kegiatan: a training's activity report as a PDF with charts, the same numbers
as an Excel workbook, and the charts alone (for /statistik)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from openpyxl import Workbook

from bot.documents.cells import row_of
from bot.documents.charts import bar_chart, line_chart
from bot.documents.pdf import FONT, MARGIN_MM, Document, new_pdf, pdf_bytes
from bot.services.activity import ActivityReportView
from bot.services.statistics import TrainingStatistics
from bot.services.survey import SurveySummary
from bot.texts import plain
from bot.texts.formatting import (
    district_label,
    format_date_range,
    format_day,
    format_staff_moment,
    format_time_range,
    sector_label,
    without_icon,
)

Chart = tuple[str, bytes]  # (file name, PNG)
_CHART_MM = 150.0
_QUOTE_LIMIT = 300


def _day_labels(stats: TrainingStatistics, lang: str) -> list[str]:
    return [
        plain("chart.day", lang, n=day.day_number, date=day.date.strftime("%d/%m"))
        for day in stats.attendance
    ]


def _every_day(per_day: Sequence[tuple[date, int]]) -> tuple[list[date], list[int]]:
    """Counts for every day from the first to the last (0 on days without any)."""
    counts = dict(per_day)
    first, last = per_day[0][0], per_day[-1][0]
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return days, [counts.get(day, 0) for day in days]


def training_charts(stats: TrainingStatistics, lang: str) -> list[Chart]:
    """The charts of a training: registrations over time, status, attendance per day,
    districts and sectors (those with nothing to show are left out)."""
    charts: list[Chart] = []
    if stats.registrations_per_day:
        days, counts = _every_day(stats.registrations_per_day)
        title = plain("chart.registrations", lang)
        charts.append(("registrations.png", line_chart(days, counts, title)))
    statuses = [
        (plain("doc.report.confirmed", lang), stats.confirmed),
        (plain("doc.report.waitlisted", lang), stats.waitlisted),
        (plain("doc.report.cancelled", lang), stats.cancelled),
    ]
    labels, values = zip(*statuses, strict=True)
    status_png = bar_chart(
        labels, values, plain("chart.status", lang), size=(6.0, 2.2), keep_order=True
    )
    charts.append(("status.png", status_png))
    if stats.attendance:
        present = [day.present for day in stats.attendance]
        title = plain("chart.attendance", lang)
        png = bar_chart(_day_labels(stats, lang), present, title, keep_order=True)
        charts.append(("attendance.png", png))
    for name, pairs, label in (
        ("districts.png", stats.by_district, district_label),
        ("sectors.png", stats.by_sector, sector_label),
    ):
        if pairs:
            names = [without_icon(label(value, lang)) for value, _ in pairs]
            title = plain(f"chart.{name.removesuffix('.png')}", lang)
            charts.append((name, bar_chart(names, [n for _, n in pairs], title)))
    return charts


def report_filename(code: str, lang: str, extension: str = "pdf") -> str:
    """`laporan-KP-2026-01.pdf` (or .xlsx)."""
    key = "doc.report.filename" if extension == "pdf" else "doc.report.xlsx_filename"
    return plain(key, lang, code=code)


# ---- the PDF ---------------------------------------------------------------------------------
def _heading(pdf: Document, text: str) -> None:
    if pdf.get_y() > pdf.h - MARGIN_MM - 30:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)


def _pairs(pdf: Document, pairs: Sequence[tuple[str, str]]) -> None:
    with pdf.table(
        col_widths=(60, 120), first_row_as_headings=False, line_height=6, text_align="LEFT"
    ) as table:
        for label, value in pairs:
            row = table.row()
            row.cell(label)
            row.cell(value)


def _summary(pdf: Document, view: ActivityReportView, tz: tzinfo, lang: str) -> None:
    training, stats = view.training, view.statistics
    dates = "-"
    if training.days:
        dates = format_date_range(training.days[0].date, training.days[-1].date, lang)
    _heading(pdf, plain("doc.report.summary", lang))
    _pairs(
        pdf,
        [
            (plain("doc.sheet.training", lang), training.title),
            (plain("doc.report.code", lang), training.code),
            (plain("doc.report.dates", lang), dates),
            (plain("doc.sheet.venue", lang), training.venue),
            (plain("doc.report.capacity", lang), str(training.capacity)),
            (
                plain("doc.report.total", lang),
                str(stats.confirmed + stats.waitlisted + stats.cancelled),
            ),
            (plain("doc.report.confirmed", lang), str(stats.confirmed)),
            (plain("doc.report.waitlisted", lang), str(stats.waitlisted)),
            (plain("doc.report.cancelled", lang), str(stats.cancelled)),
        ],
    )
    _heading(pdf, plain("doc.report.schedule", lang))
    present = {day.day_number: day.present for day in stats.attendance}
    _pairs(
        pdf,
        [
            (
                plain("doc.report.day_line", lang, n=day.day_number),
                f"{format_day(day.date, lang)}, "
                f"{format_time_range(day.starts_at, day.ends_at, tz, lang)}"
                f" — {day.topic or '-'} — {plain('doc.report.present', lang)}: "
                f"{present.get(day.day_number, 0)}",
            )
            for day in training.days
        ],
    )


def _charts(pdf: Document, charts: list[Chart], lang: str) -> None:
    _heading(pdf, plain("doc.report.registrations", lang))
    for _, png in charts:
        height = _CHART_MM * _aspect(png)
        if pdf.get_y() + height > pdf.h - MARGIN_MM:
            pdf.add_page()
        pdf.image(io.BytesIO(png), x=(pdf.w - _CHART_MM) / 2, w=_CHART_MM, h=height)
        pdf.ln(3)


def _aspect(png: bytes) -> float:
    """Height over width of a PNG (from its header: no image library needed)."""
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    return height / width if width else 0.5


def _feedback(pdf: Document, survey: SurveySummary, lang: str) -> None:
    _heading(pdf, plain("doc.report.feedback", lang))
    if not survey.answered:
        pdf.multi_cell(0, 6, plain("doc.report.no_feedback", lang), new_x="LMARGIN", new_y="NEXT")
        return
    line = plain(
        "doc.report.responses",
        lang,
        answered=survey.answered,
        invited=survey.invited,
        finished=survey.finished,
    )
    pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _pairs(pdf, _average_pairs(survey, lang))
    if survey.topics:
        _heading(pdf, plain("doc.report.topics", lang))
        _pairs(pdf, [(plain(f"survey.topic.{t}", lang), str(n)) for t, n in survey.topics])
    if survey.quotes:
        _heading(pdf, plain("doc.report.quotes", lang))
        for quote in survey.quotes:
            text = quote if len(quote) <= _QUOTE_LIMIT else quote[: _QUOTE_LIMIT - 1] + "…"
            pdf.multi_cell(0, 6, f"“{text}”", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)


def _average_pairs(survey: SurveySummary, lang: str) -> list[tuple[str, str]]:
    return [
        (
            plain(f"survey.rating.{name}", lang),
            "-" if value is None else plain("doc.report.average", lang, value=f"{value:.2f}"),
        )
        for name, value in survey.averages
    ]


def activity_report_pdf(
    view: ActivityReportView,
    org_name: str,
    tz: tzinfo,
    printed_at: datetime,
    lang: str = "id",
    charts: list[Chart] | None = None,
) -> bytes:
    """The activity report of a training as a PDF (pass `charts` when already drawn)."""
    training = view.training
    title = plain("doc.report.title", lang)
    pdf = new_pdf(f"{title} — {training.code}", styles="B")
    pdf.footer_left = f"{training.code} · " + plain(
        "doc.printed", lang, when=format_staff_moment(printed_at, tz, lang)
    )
    pdf.footer_right = plain("doc.page", lang, page="{page}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, org_name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 6, training.title, align="C", new_x="LMARGIN", new_y="NEXT")
    _summary(pdf, view, tz, lang)
    _charts(pdf, charts if charts is not None else training_charts(view.statistics, lang), lang)
    _feedback(pdf, view.survey, lang)
    return pdf_bytes(pdf)


# ---- the workbook ---------------------------------------------------------------------------
def _sheet(
    workbook: Workbook, key: str, lang: str, header: Sequence[str], rows: list[list[object]]
) -> None:
    sheet = workbook.create_sheet(plain(key, lang)[:31])
    # Write-only: widths before the first row.
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 14
    sheet.append(row_of(sheet, [plain(h, lang) for h in header], bold=True))
    for row in rows:
        sheet.append(row_of(sheet, row))


def activity_report_xlsx(view: ActivityReportView, lang: str = "id") -> bytes:
    """The report's numbers as an Excel workbook, one sheet per table."""
    stats, survey = view.statistics, view.survey
    workbook = Workbook(write_only=True)
    item, count = "doc.report.col.item", "doc.report.col.count"
    summary: list[list[object]] = [
        [plain("doc.report.code", lang), view.training.code],
        [plain("doc.sheet.training", lang), view.training.title],
        [plain("doc.report.capacity", lang), view.training.capacity],
        [plain("doc.report.confirmed", lang), stats.confirmed],
        [plain("doc.report.waitlisted", lang), stats.waitlisted],
        [plain("doc.report.cancelled", lang), stats.cancelled],
    ]
    _sheet(workbook, "doc.report.sheet.summary", lang, (item, count), summary)
    per_day = [[day, n] for day, n in stats.registrations_per_day]
    _sheet(workbook, "doc.report.sheet.per_day", lang, ("doc.report.col.date", count), per_day)
    attendance = [[d.day_number, d.date, d.present] for d in stats.attendance]
    _sheet(
        workbook,
        "doc.report.sheet.attendance",
        lang,
        ("doc.report.col.day", "doc.report.col.date", "doc.report.present"),
        attendance,
    )
    districts = [[district_label(d, lang), n] for d, n in stats.by_district]
    _sheet(workbook, "doc.report.sheet.districts", lang, (item, count), districts)
    sectors = [[without_icon(sector_label(s, lang)), n] for s, n in stats.by_sector]
    _sheet(workbook, "doc.report.sheet.sectors", lang, (item, count), sectors)
    _sheet(workbook, "doc.report.sheet.feedback", lang, (item, count), _feedback_rows(survey, lang))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _feedback_rows(survey: SurveySummary, lang: str) -> list[list[object]]:
    rows: list[list[object]] = [
        [plain(f"survey.rating.{name}", lang), value] for name, value in survey.averages
    ]
    rows += [[plain(f"survey.topic.{topic}", lang), n] for topic, n in survey.topics]
    rows += [[quote, ""] for quote in survey.quotes]
    return rows
