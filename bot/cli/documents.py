"""The office's documents from the command line:

- `python -m bot attendance-sheet CODE --day N -o F.pdf`: the daftar hadir of one day;
- `python -m bot certificates CODE -o DIR`: a certificate for everyone eligible so far;
- `python -m bot report CODE -o F.pdf`: the laporan kegiatan (and the same numbers as .xlsx).

They read the database (certificates also number new ones) and never create or upgrade it.
Certificates need the bot's username for the QR's link: asked of the Bot API once (`getMe`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.base import Command, Subparsers, bot_username, cli_reader, with_sessions
from bot.db import SessionFactory
from bot.services import certificates
from bot.services.activity import (
    ActivityReportView,
    AttendanceSheetView,
    activity_report_view,
    attendance_sheet_view,
)
from bot.services.certificates import CertificateView
from bot.services.staff import find_training_by_code
from bot.settings import Settings

T = TypeVar("T")


class ToolError(Exception):
    """What stops a tool, said in one line."""


async def _training_id(sessions: SessionFactory, code: str) -> int:
    async with sessions() as session:
        training = await find_training_by_code(session, code)
    if training is None:
        raise ToolError(f"no training with code {code!r}")
    return training.id


def _view_of(
    code: str, read: Callable[[AsyncSession, int], Awaitable[T | None]], missing: str
) -> Callable[[SessionFactory], Awaitable[T]]:
    """What a tool reads about the training `code`: `read`'s result, or ToolError(`missing`)."""

    async def work(sessions: SessionFactory) -> T:
        training_id = await _training_id(sessions, code)
        async with sessions() as session:
            found = await read(session, training_id)
        if found is None:
            raise ToolError(missing)
        return found

    return work


def _fetch(settings: Settings, work: Callable[[SessionFactory], Awaitable[T]]) -> T | int:
    """Read what a tool needs; a missing training or an unreadable database is one line on
    stderr and the exit status instead."""
    try:
        return asyncio.run(with_sessions(settings, work))
    except ToolError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (OperationalError, ProgrammingError) as exc:
        print(f"cannot read the database: {type(exc.orig).__name__}", file=sys.stderr)
        return 2


# ---- attendance-sheet ------------------------------------------------------------------------
def run_attendance_sheet(settings: Settings, args: argparse.Namespace) -> int:
    """Write the attendance sheet of one training day."""
    from bot.documents.attendance_sheet import attendance_sheet_pdf, sheet_filename

    async def read(session: AsyncSession, training_id: int) -> AttendanceSheetView | None:
        return await attendance_sheet_view(session, training_id, args.day, reader=cli_reader())

    view = _fetch(settings, _view_of(args.code, read, f"{args.code} has no day {args.day}"))
    if isinstance(view, int):
        return view
    lang = settings.default_language
    now = datetime.now(settings.timezone)
    output = Path(args.output or sheet_filename(view.training.code, args.day, lang))
    output.write_bytes(attendance_sheet_pdf(view, settings.org_name, settings.timezone, now, lang))
    print(f"wrote {output} ({len(view.rows)} participants)")
    return 0


# ---- certificates ----------------------------------------------------------------------------
def run_certificates(settings: Settings, args: argparse.Namespace) -> int:
    """Write a certificate for everyone eligible so far into a folder (numbering new ones)."""
    from bot.documents.certificate import certificate_files

    async def work(sessions: SessionFactory) -> tuple[str, list[CertificateView]]:
        training_id = await _training_id(sessions, args.code)
        username = await bot_username(settings, sessions)
        now = datetime.now(settings.timezone)
        async with sessions() as session:
            ids = await certificates.issue_all(
                session,
                training_id,
                settings.certificate_min_days,
                now,
                settings.timezone,
                reader=cli_reader(),
            )
            views = await certificates.certificate_views(session, ids)
        return username, [views[i] for i in ids if i in views]

    found = _fetch(settings, work)
    if isinstance(found, int):
        return found
    username, views = found
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    lang = settings.default_language
    for filename, pdf in certificate_files(views, settings.org_name, username, lang):
        (folder / filename).write_bytes(pdf)
    print(f"wrote {len(views)} certificates to {folder}")
    return 0


# ---- report ----------------------------------------------------------------------------------
def run_report(settings: Settings, args: argparse.Namespace) -> int:
    """Write the activity report of a training (PDF, and its numbers as .xlsx beside it)."""
    from bot.documents.activity_report import (
        activity_report_pdf,
        activity_report_xlsx,
        report_filename,
    )

    async def read(session: AsyncSession, training_id: int) -> ActivityReportView | None:
        return await activity_report_view(session, training_id, settings.timezone)

    view = _fetch(settings, _view_of(args.code, read, f"no training with code {args.code!r}"))
    if isinstance(view, int):
        return view
    lang = settings.default_language
    now = datetime.now(settings.timezone)
    output = Path(args.output or report_filename(view.training.code, lang))
    output.write_bytes(activity_report_pdf(view, settings.org_name, settings.timezone, now, lang))
    workbook = output.with_suffix(".xlsx")
    workbook.write_bytes(activity_report_xlsx(view, lang))
    print(f"wrote {output} and {workbook}")
    return 0


def add_documents(sub: Subparsers) -> dict[str, Command]:
    """`attendance-sheet`, `certificates` and `report`."""
    sheet = sub.add_parser("attendance-sheet", help="a training day's attendance sheet (PDF)")
    sheet.add_argument("code", metavar="CODE", help="the training code")
    sheet.add_argument("--day", type=int, required=True, metavar="N", help="day number (1, 2, …)")
    sheet.add_argument("-o", "--output", metavar="FILE", help="where to write the PDF")
    certs = sub.add_parser("certificates", help="certificates of everyone eligible so far (PDFs)")
    certs.add_argument("code", metavar="CODE", help="the training code")
    certs.add_argument("-o", "--output", metavar="DIR", required=True, help="folder to write to")
    report = sub.add_parser("report", help="a training's activity report (PDF and .xlsx)")
    report.add_argument("code", metavar="CODE", help="the training code")
    report.add_argument("-o", "--output", metavar="FILE", help="where to write the PDF")
    return {
        "attendance-sheet": run_attendance_sheet,
        "certificates": run_certificates,
        "report": run_report,
    }
