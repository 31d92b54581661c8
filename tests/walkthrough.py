"""Walk through the product as real users and print what the bot said.

    python -m tests.walkthrough [registration|reminders|staff|all] [--markdown]

Registration (issue 3) and staff tools (issue 5) run the real `python -m bot` as a subprocess
against the loopback fake Bot API server; reminders (issue 4) span three days, so they run the
real Application in-process (BotHarness) with a FakeClock. Each flow uses a fresh SQLite file
in a temporary directory. Not a test module (no `test_` prefix): pytest does not collect it.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select

from bot.context import BotContext
from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database
from bot.models import Participant, Registration, ReminderDelivery
from bot.services.trainings import import_trainings, parse_training_file
from bot.settings import Settings
from handlers.attendance import checkin_link, qr_png
from jobs.reminders import send_due_reminders
from tests.fake_telegram import BOT_USERNAME, FakeBotApiServer, FakeTelegram, FakeUser, SentMessage
from tests.harness import ROOT, BotHarness, BotProcess, FakeClock, subprocess_env
from tests.reminder_fixtures import make_participant

TOKEN = "123456:WALK-token"
STAFF_ID = 9000001
JAKARTA = ZoneInfo("Asia/Jakarta")
MAX_LINES = 28  # a longer bot message is shown with its middle trimmed
WAIT = 20.0
QUIET = 0.6  # seconds without a new Bot API call before a subprocess step counts as answered


# ---- output --------------------------------------------------------------------------------


class Out:
    """Where the transcript goes: plain text, or Markdown with fenced transcript blocks."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self._open = False

    def heading(self, level: int, title: str) -> None:
        """A section title."""
        self._close()
        if self.markdown:
            print(f"\n{'#' * level} {title}\n")
        else:
            print(f"\n{'=' * 4 if level <= 2 else '-' * 4} {title}")

    def note(self, text: str) -> None:
        """A remark of the narrator (not something a user or the bot said)."""
        self._close()
        print(text if self.markdown else f"  ({text})")

    def line(self, text: str = "") -> None:
        """One transcript line."""
        if self.markdown and not self._open:
            print("```text")
            self._open = True
        print(text)

    def _close(self) -> None:
        if self._open:
            print("```")
            self._open = False

    def end(self) -> None:
        """Close an open block."""
        self._close()
        sys.stdout.flush()


def _trim(text: str) -> list[str]:
    lines = text.splitlines() or [""]
    if len(lines) > MAX_LINES:
        hidden = len(lines) - MAX_LINES + 4
        lines = lines[: MAX_LINES - 6] + [f"… ({hidden} lines trimmed) …"] + lines[-2:]
    return lines


def _markup_lines(markup: dict[str, Any] | None) -> list[str]:
    if not markup:
        return []
    if markup.get("remove_keyboard"):
        return ["⌨ (reply keyboard removed)"]
    rows: list[str] = []
    for row in markup.get("inline_keyboard") or []:
        rows.append(" ".join(f"[{b['text']}]" + (" ↗" if b.get("url") else "") for b in row))
    for row in markup.get("keyboard") or []:
        cells = []
        for b in row:
            label = b["text"] if isinstance(b, dict) else b
            extra = " (shares contact)" if isinstance(b, dict) and b.get("request_contact") else ""
            cells.append(f"[{label}]{extra}")
        rows.append("⌨ " + " ".join(cells))
    return rows


@dataclass
class Snapshot:
    """What the fake Telegram held before a user acted."""

    messages: dict[tuple[int, int], tuple[str, str]]
    calls: int


@dataclass
class Walk:
    """Users act, the bot answers, and every visible change is printed."""

    tg: FakeTelegram
    out: Out
    settle: Callable[[Snapshot, str | None], Awaitable[None]]
    names: dict[int, str] = field(default_factory=dict)
    quiet: bool = False
    documents: list[SentMessage] = field(default_factory=list)

    def user(self, user_id: int, name: str, language_code: str = "id") -> FakeUser:
        """A person who chats with the bot."""
        self.names[user_id] = name
        return self.tg.user(user_id, name, language_code)

    def snapshot(self) -> Snapshot:
        """The state to compare with after the next action."""
        return Snapshot(
            {
                key: (m.text, json.dumps(m.reply_markup, sort_keys=True))
                for key, m in self.tg.by_id.items()
                if not m.deleted
            },
            len(self.tg.calls),
        )

    def _who(self, chat_id: int) -> str:
        return self.names.get(chat_id, f"chat {chat_id}")

    def report(self, before: Snapshot) -> list[SentMessage]:
        """Print what changed since `before`; returns the new messages."""
        new: list[SentMessage] = []
        for method, params in self.tg.calls[before.calls :]:
            if method == "answerCallbackQuery" and params.get("text"):
                self._print(f"🔔 popup: {params['text']}")
        for key, message in sorted(self.tg.by_id.items(), key=lambda kv: kv[1].sent_at):
            if message.deleted:
                continue
            old = before.messages.get(key)
            markup = json.dumps(message.reply_markup, sort_keys=True)
            if old is None:
                new.append(message)
                self._message(message, edited=False)
            elif old != (message.text, markup):
                self._message(message, edited=True, text_changed=old[0] != message.text)
        return new

    def _print(self, line: str) -> None:
        if not self.quiet:
            self.out.line(line)

    def _message(self, m: SentMessage, *, edited: bool, text_changed: bool = True) -> None:
        who = self._who(m.chat_id)
        if edited:
            head = f"🤖 ✎ edits message #{m.message_id} → {who}"
            if not text_changed:
                head += " (buttons only)"
        else:
            head = f"🤖 → {who} #{m.message_id}"
        if m.document is not None:
            self.documents.append(m)
            name, content = m.document
            head += f": 📎 document {name} ({len(content):,} bytes)"
        elif m.photo is not None:
            head += f": 🖼 photo, PNG {len(m.photo):,} bytes"
        self._print(head + (":" if m.text and not (m.document or m.photo) else ""))
        if text_changed or not edited:
            for text_line in _trim(m.text) if m.text else []:
                self._print(f"    {text_line}")
        for row in _markup_lines(m.reply_markup):
            self._print(f"    {row}")

    async def act(self, who: FakeUser, shown: str, action: Callable[[], object],
                  needle: str | None = None) -> list[SentMessage]:  # fmt: skip
        """`who` does something (described as `shown`); print and return the bot's answer."""
        self._print("")
        self._print(f"👤 {self._who(who.id)}: {shown}")
        before = self.snapshot()
        action()
        await self.settle(before, needle)
        return self.report(before)

    async def say(self, who: FakeUser, text: str, needle: str | None = None) -> list[SentMessage]:
        """The user types `text`."""
        shown = text if len(text) <= 120 else f"{text[:40]}… ({len(text):,} characters)"
        return await self.act(who, shown, lambda: who.send_text(text), needle)

    async def press(
        self, who: FakeUser, message: SentMessage, label: str, needle: str | None = None
    ) -> SentMessage:
        """The user taps the button labelled `label` (partial match); returns the message the
        bot answered with (a new one, or the tapped one when it was edited)."""
        full = next((text for text, _ in message.buttons() if label in text), label)
        new = await self.act(who, f"taps [{full}]", lambda: who.press(message, label), needle)
        return new[-1] if new else message

    async def press_old(
        self, who: FakeUser, message: SentMessage, data: str, label: str
    ) -> None:
        """The user taps a button of an old message (its callback data as it was sent)."""
        await self.act(
            who, f"taps [{label}] on old message #{message.message_id}",
            lambda: who.press_data(message, data),
        )  # fmt: skip

    async def contact(self, who: FakeUser, phone: str) -> list[SentMessage]:
        """The user shares their own phone number with the keyboard button."""
        return await self.act(
            who, f"shares contact {phone} (own)", lambda: who.share_contact(phone)
        )

    async def sticker(self, who: FakeUser) -> list[SentMessage]:
        """The user sends a sticker."""
        return await self.act(who, "sends a sticker 🐱", who.send_sticker)

    @contextmanager
    def hushed(self) -> Iterator[None]:
        """Drive without printing (a repeat of steps already shown)."""
        self.quiet = True
        try:
            yield
        finally:
            self.quiet = False


def _last(messages: list[SentMessage]) -> SentMessage:
    assert messages, "the bot did not answer"
    return messages[-1]


def _with(messages: list[SentMessage], needle: str) -> SentMessage:
    for message in reversed(messages):
        if needle in message.text:
            return message
    raise AssertionError(f"no answer contains {needle!r}: {[m.text[:60] for m in messages]}")


# ---- the subprocess bot --------------------------------------------------------------------


def _subprocess_settle(tg: FakeTelegram) -> Callable[[Snapshot, str | None], Awaitable[None]]:
    """Wait for the bot's answer: a first call, then quiet (or a message with `needle`)."""

    async def settle(before: Snapshot, needle: str | None) -> None:
        if needle is not None:

            def shown() -> bool:
                return any(
                    needle in m.text and before.messages.get(key, ("",))[0] != m.text
                    for key, m in tg.by_id.items()
                )

            await tg.wait_for(shown, WAIT)
        else:
            await tg.wait_for(lambda: len(tg.calls) > before.calls, WAIT)
        count, since = len(tg.calls), time.monotonic()
        while time.monotonic() - since < QUIET:
            await asyncio.sleep(0.05)
            if len(tg.calls) != count:
                count, since = len(tg.calls), time.monotonic()

    return settle


async def _cli(out: Out, env: dict[str, str], *args: str) -> str:
    """Run `python -m bot ARGS` and print the command and what it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    shown = " ".join(a if "/" not in a else Path(a).name for a in args)
    out.line(f"$ python -m bot {shown}")
    for text_line in output.decode(errors="replace").strip().splitlines():
        out.line(f"  {text_line}")
    out.line(f"  (exit code {process.returncode})")
    return output.decode(errors="replace")


class RunningBot:
    """`python -m bot` against a loopback fake Bot API server, for one flow."""

    def __init__(self, tg: FakeTelegram, tmp: Path, **env: str) -> None:
        self.tg = tg
        self.tmp = tmp
        self.server = FakeBotApiServer(tg)
        self.url = f"sqlite+aiosqlite:///{tmp / 'bot.sqlite3'}"
        self.env_values = env
        self.process: BotProcess | None = None

    @property
    def env(self) -> dict[str, str]:
        """The bot's environment (no `.env` file is read)."""
        return subprocess_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=self.server.base_url,
            DATABASE_URL=self.url,
            LOG_LEVEL="INFO",
            **self.env_values,
        )

    async def start_server(self) -> None:
        """The fake Telegram listens on a loopback port."""
        await self.server.start()

    async def start_bot(self) -> None:
        """Start `python -m bot` and wait for its first getUpdates."""
        self.process = BotProcess(self.env, self.tmp / "bot.log")
        await self.process.start()
        await self.tg.wait_for(lambda: self.tg.get_updates_calls > 0, 60)

    async def stop(self) -> tuple[int | None, str]:
        """Stop the bot (SIGINT) and the server; the exit code and the log."""
        code = await self.process.stop() if self.process else None
        await self.server.stop()
        return code, self.process.output() if self.process else ""


def _check_log(out: Out, code: int | None, log: str) -> None:
    problems = [w for w in ("Traceback", TOKEN, "81234567890") if w in log]
    out.note(
        f"`python -m bot` stopped with exit code {code}; its log has "
        + (f"PROBLEMS: {problems}" if problems else "no traceback, no token, no full phone number")
        + "."
    )


def _training_yaml(first: date) -> str:
    days = [first + timedelta(days=n) for n in range(3)]
    return f"""\
trainings:
  - code: KP-01
    title: Pelatihan Kain Perca dan Melukis Kain
    description: Pembinaan kemampuan dan keterampilan kerja bagi usaha mikro.
    venue: Hotel Sahid Montana Dua, Malang
    capacity: 30
    days:
      - {{date: {days[0]}, start: "08:00", end: "15:00", topic: Kain perca, note: Bawa gunting kain}}
      - {{date: {days[1]}, start: "08:00", end: "15:00", topic: Melukis kain}}
      - {{date: {days[2]}, start: "08:00", end: "12:00", topic: Pemasaran produk}}
  - code: DIG-02
    title: Pemasaran Digital untuk Usaha Mikro
    venue: Aula Dinas Koperasi, Jl. Panji Suroso 18
    capacity: 1
    days:
      - {{date: {first + timedelta(days=7)}, start: "09:00", end: "12:00", topic: Foto produk}}
"""


# ---- A. registration -----------------------------------------------------------------------


async def flow_registration(out: Out, tmp: Path) -> None:
    """Issue 3: import, list, register (id and en), returning, waiting list, /saya, privacy."""
    tg = FakeTelegram(TOKEN)
    bot = RunningBot(tg, tmp)
    walk = Walk(tg, out, _subprocess_settle(tg))
    out.heading(2, "A. Registration (issue 3) — `python -m bot` subprocess, fake Bot API server")
    await bot.start_server()
    yaml_file = tmp / "pelatihan.yaml"
    yaml_file.write_text(_training_yaml(date.today() + timedelta(days=21)))
    out.heading(3, "A1. Staff import the training file")
    await _cli(out, bot.env, "import-trainings", str(yaml_file))
    await _cli(out, bot.env, "import-trainings", str(yaml_file))
    await bot.start_bot()
    try:
        await _registration_indonesian(walk)
        await _registration_english(walk)
        await _cancel_promote_and_privacy(walk)
    finally:
        code, log = await bot.stop()
    _check_log(out, code, log)


async def _registration_indonesian(walk: Walk) -> None:
    out = walk.out
    rina = walk.user(5101, "Rina")
    out.heading(3, "A2. A new participant (Indonesian) registers by buttons and a shared contact")
    await walk.say(rina, "/start")
    listing = _last(await walk.say(rina, "/pelatihan"))
    consent = _with(
        [await walk.press(rina, listing, "1."), *rina.messages()[-1:]], "Persetujuan"
    )
    await walk.sticker(rina)
    consent = _with(rina.messages(), "Persetujuan")
    await walk.press(rina, consent, "setuju")
    await walk.sticker(rina)
    await walk.say(rina, "x" * 5000)
    await walk.say(rina, "Rina Wati")
    await walk.contact(rina, "6281234567890")
    sector_q = _last(await walk.say(rina, "<b>Toko & Co</b> 🍜"))
    await walk.press(rina, sector_q, "Kuliner")
    summary = await walk.press(rina, sector_q, "Klojen")
    await walk.press(rina, summary, "Nama usaha")
    summary = _last(await walk.say(rina, "<b>Toko & Co</b> 🍜 Cabang 2"))
    result = await walk.press(rina, summary, "Konfirmasi")
    out.heading(3, "A3. Bad input outside a conversation: unknown command, old button")
    await walk.say(rina, "/terbang")
    await walk.press_old(rina, consent, "reg:consent:yes", "✅ Saya setuju")
    await walk.press_old(rina, result, "reg:confirm", "✅ Konfirmasi")
    await walk.sticker(rina)
    out.heading(3, "A4. The same participant again, by the deep link: two taps")
    summary = _last(await walk.say(rina, "/start DIG-02"))
    await walk.press(rina, summary, "Konfirmasi")


async def _registration_english(walk: Walk) -> None:
    out = walk.out
    john = walk.user(5102, "John", "en")
    out.heading(3, "A5. An English speaker: language, then the full training → waiting list")
    menu = _last(await walk.say(john, "/start"))
    choose = await walk.press(john, menu, "Bahasa")
    await walk.press(john, choose, "English")
    consent = _with(await walk.say(john, "/start DIG-02"), "onsent")
    await walk.press(john, consent, "agree")
    await walk.say(john, "John Doe")
    await walk.say(john, "0812-3456-7891")
    sector_q = _last(await walk.say(john, "Doe's Tailoring"))
    await walk.press(john, sector_q, "Services")
    summary = await walk.press(john, sector_q, "Outside")
    await walk.press(john, summary, "Confirm")
    await walk.say(john, "/cancel")


async def _cancel_promote_and_privacy(walk: Walk) -> None:
    out = walk.out
    rina, john = walk.tg.user(5101, "Rina"), walk.tg.user(5102, "John", "en")
    out.heading(3, "A6. /saya: cancel the full training's seat → John is promoted and told")
    cards = await walk.say(rina, "/saya")
    card = _with(cards, "Pemasaran Digital")
    ask = await walk.press(rina, card, "Batalkan")
    await walk.press(rina, ask, "Ya", needle="seat is free")
    out.heading(3, "A7. John's /my with the calendar file")
    cards = await walk.say(john, "/my")
    card = _with(cards, "Digital")
    await walk.press(john, card, "alendar")
    ics = walk.documents[-1]
    assert ics.document is not None
    lines = ics.document[1].decode().splitlines()
    summary = [x for x in lines if x.startswith(("SUMMARY", "DTSTART", "LOCATION", "BEGIN:VEVENT"))]
    out.line(f"    (the .ics read back: {len(lines)} lines; {' | '.join(summary[:4])})")
    out.heading(3, "A8. Rina's data, then /hapusdata")
    await walk.say(rina, "/datasaya")
    ask = _last(await walk.say(rina, "/hapusdata"))
    await walk.press(rina, ask, "Ya")
    await walk.say(rina, "/datasaya")
    await walk.say(rina, "/saya")


# ---- B. reminders --------------------------------------------------------------------------


def _local(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(p) for p in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=JAKARTA)


async def flow_reminders(out: Out, tmp: Path) -> None:
    """Issue 4: three days, three participants, every reminder the bot produced."""
    out.heading(2, "B. Reminders (issue 4) — in-process BotHarness with a FakeClock")
    out.note(
        "Three days of wall-clock time cannot pass in a walkthrough, so this flow runs the real "
        "Application in-process (tests/harness.py BotHarness, FakeTelegram, FakeClock) and runs "
        "the reminder job (jobs.reminders.send_due_reminders) at the moments the scheduler would."
    )
    url = f"sqlite+aiosqlite:///{tmp / 'reminders.sqlite3'}"
    await upgrade_database(url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    tg = FakeTelegram(TOKEN)
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA))
    settings = Settings(token=TOKEN, api_base_url="http://127.0.0.1:9", database_url=url)
    harness = BotHarness(settings, sessions, tg, clock)
    await harness.start()

    async def settle(before: Snapshot, needle: str | None) -> None:
        await harness.deliver()

    walk = Walk(tg, out, settle)
    try:
        await _reminder_story(walk, harness, sessions, clock)
    finally:
        await harness.stop()
        await engine.dispose()


async def _job(walk: Walk, harness: BotHarness, clock: FakeClock, moment: datetime) -> None:
    clock.set(moment)
    walk.out.line("")
    walk.out.line(f"⏰ {moment:%a %d %b %Y %H:%M} WIB — the reminder job runs")
    before = walk.snapshot()
    await send_due_reminders(BotContext(harness.app))
    if not walk.report(before):
        walk.out.line("    (nothing sent)")


async def _reminder_story(
    walk: Walk, harness: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    out = walk.out
    text = """\
trainings:
  - code: KP-2026-01
    title: Pelatihan Kain Perca dan Melukis Kain
    description: Pembinaan kemampuan dan keterampilan kerja bagi usaha mikro.
    venue: Hotel Sahid Montana Dua, Malang
    capacity: 1
    days:
      - {date: 2026-12-08, start: "08:00", end: "15:00", topic: Kain perca, note: Bawa gunting & kain <perca>}
      - {date: 2026-12-09, start: "08:30", end: "15:00", topic: Melukis kain}
      - {date: 2026-12-10, start: "08:00", end: "12:00", topic: Pemasaran produk}
"""  # noqa: E501
    async with sessions() as session:
        await import_trainings(session, parse_training_file(text, JAKARTA), clock())
    ani = walk.user(6001, "Ani")
    ben = walk.user(6002, "Ben", "en")
    citra = walk.user(6003, "Citra", "en")
    out.heading(3, "B1. Three participants (capacity 1), set up on Tue 1 Dec 2026")
    out.note(
        "Ani takes the one seat; Ben (English) joins the waiting list and cancels; Citra "
        "(English) waits. They register through the bot exactly as in flow A (not shown: the "
        "profile is put on file first, so each is a returning participant's two taps)."
    )
    async with sessions() as session:
        for person, name in ((ani, "Ani Lestari"), (ben, "Ben Smith"), (citra, "Citra Dewi")):
            participant = await make_participant(
                session, person.id, clock(), language=person.language_code
            )
            participant.full_name = name
        await session.commit()
    for person in (ani, ben, citra):
        await walk.say(person, "/start KP-2026-01")
        with walk.hushed():
            summary = person.last()
            await walk.press(person, summary, "onfirm")
        out.line(f"👤 {walk.names[person.id]}: taps [Konfirmasi/Confirm]")
        out.line(f"🤖 → {walk.names[person.id]}: {person.last().text.splitlines()[0]}")
    cards = await walk.say(ben, "/my")
    ask = await walk.press(ben, _with(cards, "Kain Perca"), "Cancel")
    await walk.press(ben, ask, "Yes")
    out.heading(3, "B2. Three days of reminders")
    await _job(walk, harness, clock, _local(date(2026, 12, 7), "15:59"))
    await _job(walk, harness, clock, _local(date(2026, 12, 7), "16:00"))
    reminder = ani.last()
    await walk.press(ani, reminder, "Saya hadir")
    await _job(walk, harness, clock, _local(date(2026, 12, 7), "16:05"))
    await _job(walk, harness, clock, _local(date(2026, 12, 8), "16:00"))
    reminder = ani.last()
    offer = await walk.press(ani, reminder, "Tidak bisa")
    if offer.buttons():
        await walk.press(ani, offer, "Ya", needle=None)
    await _job(walk, harness, clock, _local(date(2026, 12, 9), "16:00"))
    reminder = citra.last()
    if reminder.buttons():
        await walk.press(citra, reminder, "I'll come")
    out.heading(3, "B3. What the database recorded")
    async with sessions() as session:
        rows = (await session.execute(select(ReminderDelivery))).scalars().all()
        regs = {r.id: r for r in (await session.execute(select(Registration))).scalars()}
        people = {p.id: p for p in (await session.execute(select(Participant))).scalars()}
    for row in sorted(rows, key=lambda r: (r.registration_id, r.training_day_id)):
        reg = regs[row.registration_id]
        name = walk.names.get(people[reg.participant_id].telegram_id, "?")
        out.line(
            f"reminder row: {name:<6} day {row.training_day_id} state={row.state} "
            f"rsvp={getattr(row, 'rsvp', None)} (registration {reg.status})"
        )
    for person in (ani, ben, citra):
        reminders = [m for m in person.messages() if "Pengingat" in m.text or "Reminder" in m.text]
        out.line(f"{walk.names[person.id]}: {len(reminders)} reminder message(s) received")


# ---- C. staff ------------------------------------------------------------------------------


async def flow_staff(out: Out, tmp: Path) -> None:
    """Issue 5: create and publish, counts and pages, exports, announcement, check-in."""
    tg = FakeTelegram(TOKEN)
    bot = RunningBot(tg, tmp, ADMIN_IDS=str(STAFF_ID), BROADCAST_RATE="30")
    walk = Walk(tg, out, _subprocess_settle(tg))
    out.heading(2, "C. Staff tools (issue 5) — `python -m bot` subprocess, fake Bot API server")
    await bot.start_server()
    await bot.start_bot()
    try:
        await _staff_story(walk, bot)
    finally:
        code, log = await bot.stop()
    _check_log(out, code, log)


async def _staff_story(walk: Walk, bot: RunningBot) -> None:
    raise NotImplementedError


FLOWS: dict[str, Callable[[Out, Path], Awaitable[None]]] = {
    "registration": flow_registration,
    "reminders": flow_reminders,
    "staff": flow_staff,
}


async def main(names: list[str], markdown: bool) -> None:
    """Run the chosen flows, each in its own temporary directory."""
    out = Out(markdown)
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"walk-{name}-") as tmp:
            try:
                await FLOWS[name](out, Path(tmp))
            finally:
                out.end()


def cli() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(prog="python -m tests.walkthrough", description=__doc__)
    parser.add_argument("flow", nargs="?", default="all", choices=[*FLOWS, "all"])
    parser.add_argument("--markdown", action="store_true", help="fenced blocks for docs/")
    args = parser.parse_args()
    names = list(FLOWS) if args.flow == "all" else [args.flow]
    asyncio.run(main(names, args.markdown))


if __name__ == "__main__":
    cli()
