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
import functools
import io
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import zxingcpp
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database
from bot.models import Delivery, Participant, Registration, RsvpAnswer, Training
from bot.playground.botapi import (
    BOT_USERNAME,
    FakeBotApiServer,
    FakeTelegram,
    FakeUser,
    SentMessage,
)
from bot.runtime.context import BotContext
from bot.services.registration import Profile, register
from bot.settings import Settings
from bot.texts.links import checkin_link
from jobs.reminders import queue_due_reminders
from tests.harness import ROOT, BotHarness, BotProcess, FakeClock, subprocess_env
from tests.reminder_fixtures import make_participant
from tests.training_files import import_file

TOKEN = "123456:WALK-token"
STAFF_ID = 9000001
STAFF_CHAT = -1001987654321  # the staff's Telegram group (STAFF_CHAT_ID)
ORG_CONTACT = "WA 0812-3333-4444 · Jl. Tugu No. 1, Malang"
JAKARTA = ZoneInfo("Asia/Jakarta")
MAX_LINES = 22  # a longer bot message is shown with its middle trimmed
WAIT = 20.0
QUIET = 0.6  # seconds without a new Bot API call before a subprocess step counts as answered


def _confirm(summary: SentMessage) -> str:
    """The summary's last button: "✅ Konfirmasi", or "⏳ Masuk daftar tunggu" when full."""
    return summary.buttons()[-1][0]


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
        lines = [*lines[: MAX_LINES - 6], f"… ({hidden} lines trimmed) …", *lines[-2:]]
    return lines


_STYLE_MARKS = {"success": "🟩", "danger": "🟥", "primary": "🟦"}


def _button_marks(button: dict[str, Any]) -> str:
    """After a button: its colour (Bot API `style`), ↗ for a link, ⧉ for a text it copies."""
    marks = _STYLE_MARKS.get(button.get("style") or "", "")
    if button.get("url"):
        marks += " ↗"
    if button.get("copy_text"):
        marks += f" ⧉ copies {button['copy_text']['text']}"
    return marks


def _markup_lines(markup: dict[str, Any] | None) -> list[str]:
    if not markup:
        return []
    if markup.get("remove_keyboard"):
        return ["⌨ (reply keyboard removed)"]
    rows: list[str] = []
    for row in markup.get("inline_keyboard") or []:
        rows.append(" ".join(f"[{b['text']}]" + _button_marks(b) for b in row))
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
    history: dict[tuple[int, int], int] = field(default_factory=dict)


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

    def in_group(self, user: FakeUser, chat_id: int, title: str) -> FakeUser:
        """`user` writing in a group chat; what the bot sends there is shown too."""
        self.names[chat_id] = f"group {title}"
        return user.in_group(chat_id, title)

    def snapshot(self) -> Snapshot:
        """The state to compare with after the next action."""
        return Snapshot(
            {
                key: (m.text, json.dumps(m.reply_markup, sort_keys=True))
                for key, m in self.tg.by_id.items()
                if not m.deleted
            },
            len(self.tg.calls),
            {key: len(m.history) for key, m in self.tg.by_id.items()},
        )

    def _who(self, chat_id: int) -> str:
        return self.names.get(chat_id, f"chat {chat_id}")

    def report(self, before: Snapshot) -> list[SentMessage]:
        """Print what changed since `before`; returns the new messages."""
        new: list[SentMessage] = []
        others = 0
        for method, params in self.tg.calls[before.calls :]:
            if method == "answerCallbackQuery" and params.get("text"):
                self._print(f"🔔 popup: {params['text']}")
        for key, message in sorted(self.tg.by_id.items(), key=lambda kv: kv[1].sent_at):
            if message.deleted:
                continue
            old = before.messages.get(key)
            if message.chat_id not in self.names:
                others += old is None
                continue
            markup = json.dumps(message.reply_markup, sort_keys=True)
            if old is None:
                new.append(message)
                self._message(message, edited=False)
            elif old != (message.text, markup):
                # Versions shown in between (progress of an announcement), oldest first.
                for text in message.history[before.history.get(key, 0) + 1 :]:
                    self._print(
                        f"🤖 ✎ edits message #{message.message_id} → {self._who(message.chat_id)}:"
                    )
                    for text_line in _trim(text):
                        self._print(f"    {text_line}")
                self._message(message, edited=True, text_changed=old[0] != message.text)
        if others:
            self._print(f"🤖 → (and {others} message(s) to other participants)")
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
        elif m.media_kind is not None:
            kind = {"voice": "voice note", "video_note": "video note"}.get(
                m.media_kind, m.media_kind
            )
            head += f": a copy of a {kind} (copyMessage), its caption"
        elif m.venue is not None:
            venue = m.venue
            head += f": 📍 map pin {venue['title']} — {venue['address']}"
            head += f" ({venue['latitude']}, {venue['longitude']})"
        self._print(head + (":" if m.text and not (m.document or m.photo or m.media) else ""))
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

    async def reply(
        self, who: FakeUser, message: SentMessage, text: str, needle: str | None = None
    ) -> list[SentMessage]:
        """The user answers the bot's `message` with Telegram's Reply."""
        shown = f"replies to #{message.message_id} in {self._who(who.chat_id)}: {text}"
        return await self.act(who, shown, lambda: who.send_text(text, reply_to=message), needle)

    async def press(
        self, who: FakeUser, message: SentMessage, label: str, needle: str | None = None
    ) -> SentMessage:
        """The user taps the button labelled `label` (partial match); returns the message the
        bot answered with (a new one, or the tapped one when it was edited)."""
        full = next((text for text, _ in message.buttons() if label in text), label)
        new = await self.act(who, f"taps [{full}]", lambda: who.press(message, label), needle)
        return new[-1] if new else message

    async def press_old(self, who: FakeUser, message: SentMessage, data: str, label: str) -> None:
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
                    (needle in m.text or (m.document is not None and needle in m.document[0]))
                    and before.messages.get(key, ("",))[0] != m.text
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


async def _cli(out: Out, env: dict[str, str], *args: str, cwd: Path = ROOT) -> str:
    """Run `python -m bot ARGS` (in `cwd`) and print the command and what it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
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
      - {{date: {days[0]}, start: "08:00", end: "15:00", topic: Kain perca, note: Bawa gunting}}
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
    """Issue 3: import, list, register (id and en), returning, waiting list, /saya, privacy;
    a colleague of the same business; a question to the office's staff group."""
    tg = FakeTelegram(TOKEN)
    bot = RunningBot(
        tg, tmp, ADMIN_IDS=str(STAFF_ID), STAFF_CHAT_ID=str(STAFF_CHAT), ORG_CONTACT=ORG_CONTACT
    )
    walk = Walk(tg, out, _subprocess_settle(tg))
    out.heading(2, "A. Registration (issue 3) — `python -m bot` subprocess, fake Bot API server")
    await bot.start_server()
    yaml_file = tmp / "pelatihan.yaml"
    yaml_file.write_text(_training_yaml(date.today() + timedelta(days=21)))
    out.heading(3, "A1. Staff import the training file")
    cli_env = {k: v for k, v in bot.env.items() if k != "LOG_LEVEL"}
    await _cli(out, cli_env, "import-trainings", str(yaml_file))
    await _cli(out, cli_env, "import-trainings", str(yaml_file))
    await bot.start_bot()
    try:
        await _registration_indonesian(walk)
        await _registration_english(walk)
        await _cancel_promote_and_privacy(walk)
        await _colleague(walk)
        await _question_to_the_office(walk)
        await _fixing_ones_details(walk)
    finally:
        code, log = await bot.stop()
    _check_log(out, code, log)


async def _registration_indonesian(walk: Walk) -> None:
    out = walk.out
    rina = walk.user(5101, "Rina")
    out.heading(3, "A2. A new participant (Indonesian) registers by buttons and a shared contact")
    await walk.say(rina, "/start")
    listing = _last(await walk.say(rina, "/pelatihan"))
    consent = await walk.press(rina, listing, " · ")  # the first training's button
    await walk.sticker(rina)
    consent = _with(rina.messages(), "Data pribadi Anda")
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
    out.heading(3, "A4b. The list marks what she holds; choosing it shows her registration")
    listing = _last(await walk.say(rina, "/pelatihan"))
    await walk.press(rina, listing, "✅")


async def _registration_english(walk: Walk) -> None:
    out = walk.out
    john = walk.user(5102, "John", "en")
    out.heading(3, "A5. An English speaker: language, then the full training → waiting list")
    menu = _last(await walk.say(john, "/start"))
    choose = await walk.press(john, menu, "Bahasa")
    await walk.press(john, choose, "English")
    consent = _with(await walk.say(john, "/start DIG-02"), "personal data")
    await walk.press(john, consent, "agree")
    await walk.say(john, "John Doe")
    await walk.say(john, "0812-3456-7891")
    sector_q = _last(await walk.say(john, "Doe's Tailoring"))
    await walk.press(john, sector_q, "Services")
    summary = await walk.press(john, sector_q, "Outside")
    await walk.press(john, summary, "waiting list")
    await walk.say(john, "/cancel")


async def _cancel_promote_and_privacy(walk: Walk) -> None:
    out = walk.out
    rina, john = walk.tg.user(5101, "Rina"), walk.tg.user(5102, "John", "en")
    out.heading(3, "A6. /saya: cancel the full training's seat → John is promoted and told")
    cards = await walk.say(rina, "/saya")
    card = _with(cards, "Pemasaran Digital")
    ask = await walk.press(rina, card, "Batal ikut")
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


async def _colleague(walk: Walk) -> None:
    siti = walk.user(5103, "Siti")
    walk.out.heading(3, "A9. A colleague of the same business")
    await _quick_register(walk, siti, "Siti Aminah", "081234567004", "Warung Bu Siti", "KP-01")
    consent = await walk.press(siti, siti.last(), "Daftarkan rekan")
    await walk.press(siti, consent, "setuju")
    await walk.say(siti, "Budi Santoso")
    business_q = _last(await walk.say(siti, "0813-1111-2222"))
    await walk.press(siti, business_q, "Warung Bu Siti")
    await walk.press(siti, business_q, "Kuliner")
    summary = await walk.press(siti, business_q, "Klojen")
    await walk.press(siti, summary, "Konfirmasi")
    await walk.say(siti, "/saya")


async def _question_to_the_office(walk: Walk) -> None:
    walk.out.heading(3, "A10. A question to the office")
    walk.out.note(
        "The bot runs with STAFF_CHAT_ID (the staff's group) and ORG_CONTACT set. Siti types a "
        "question outside any step; a staff member answers it in the group with Reply."
    )
    siti = walk.tg.user(5103, "Siti")
    staff = walk.in_group(walk.user(STAFF_ID, "Staf"), STAFF_CHAT, "Staf Dinas")
    text = "Bu, pelatihannya mulai jam berapa? Perlu bawa kain sendiri?"
    question = _with(await walk.say(siti, text, needle=text), text)
    answer = "Mulai jam 08.00, Bu. Kain disediakan, gunting bawa sendiri ya."
    await walk.reply(staff, question, answer, needle="Terkirim ke")
    walk.out.note(
        "Wati, who has not registered, talks rather than types: her voice note is copied to the "
        "group with who she is as its caption, and the staff member answers with a photo."
    )
    wati = walk.user(5104, "Wati")
    copied = await walk.act(wati, "sends a voice note 🎤", wati.send_voice, needle="pesan suara")
    voice = _with(copied, "pesan suara")
    caption = "Ini denahnya, Bu."
    shown = f"replies to #{voice.message_id} in group Staf Dinas with a photo: {caption}"
    reply = functools.partial(staff.send_photo, reply_to=voice, caption=caption)
    await walk.act(staff, shown, reply, needle="Terkirim ke")


async def _fixing_ones_details(walk: Walk) -> None:
    walk.out.heading(3, "A11. Fixing one's own details")
    walk.out.note(
        "Siti has a new phone number: under /saya she taps "
        "Ubah data; each answer is checked as at registration and kept at once."
    )
    siti = walk.tg.user(5103, "Siti")
    screens = await walk.say(siti, "/saya")
    footer = next(m for m in reversed(screens) if any("Ubah data" in b for b, _ in m.buttons()))
    details = await walk.press(siti, footer, "Ubah data")
    await walk.press(siti, details, "Nomor HP")
    await walk.say(siti, "0813 9999 88O8")
    saved = _last(await walk.say(siti, "0813 9999 8808"))
    await walk.press(siti, saved, "Selesai")


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
        "the reminder job (jobs.reminders.queue_due_reminders) at the moments the scheduler would."
    )
    url = f"sqlite+aiosqlite:///{tmp / 'reminders.sqlite3'}"
    await upgrade_database(url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    tg = FakeTelegram(TOKEN)
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA))
    # Follow-ups (and the registration's baseline) off: the walks below predate them.
    settings = Settings(
        token=TOKEN, api_base_url="http://127.0.0.1:9", database_url=url, follow_up_days=()
    )
    harness = BotHarness(settings, sessions, tg, clock)
    await harness.start()

    async def settle(before: Snapshot, needle: str | None) -> None:
        await harness.deliver()

    walk = Walk(tg, out, settle)
    try:
        await _reminder_story(walk, harness, sessions, clock)
        await harness.stop()
        harness = BotHarness(
            replace(settings, morning_reminder_time=wall_time(7, 0)), sessions, tg, clock
        )
        await harness.start()
        await _the_day_itself(walk, harness, sessions, clock)
    finally:
        await harness.stop()
        await engine.dispose()


async def _the_day_itself(
    walk: Walk, harness: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    out = walk.out
    out.heading(3, "B5. The day itself: the venue's map pin, the morning reminder, the ticket")
    out.note(
        "The bot restarted with REMINDER_MORNING_TIME=07:00. A training file with the venue's "
        "coordinates (latitude, longitude); Dewi registers on Sun 13 Dec."
    )
    text = """\
trainings:
  - code: KEMAS-01
    title: Kemasan Produk yang Menjual
    venue: Hotel Sahid Montana Dua, Malang
    capacity: 20
    latitude: -7.9666
    longitude: 112.6326
    days:
      - {date: 2026-12-15, start: "08:00", end: "12:00", topic: Bahan dan label}
"""
    clock.set(_local(date(2026, 12, 13), "10:00"))
    await import_file(sessions, text, clock())
    dewi = walk.user(6004, "Dewi")
    async with sessions() as session:
        participant = await make_participant(session, dewi.id, clock())
        participant.full_name = "Dewi Ayu Pradnyaswari"
        await session.commit()
    with walk.hushed():
        await walk.say(dewi, "/start KEMAS-01")
        await walk.press(dewi, dewi.last(), _confirm(dewi.last()))
    out.line("👤 Dewi: /start KEMAS-01, taps [Konfirmasi]")
    await _job(walk, harness, clock, _local(date(2026, 12, 14), "16:00"))
    await _job(walk, harness, clock, _local(date(2026, 12, 15), "07:00"))
    morning = next(m for m in dewi.messages() if "Hari ini pukul" in m.text)
    await walk.press(dewi, morning, "Tiket hadir")
    photo = dewi.last()
    assert photo.photo is not None
    found = [f.text for f in zxingcpp.read_barcodes(Image.open(io.BytesIO(photo.photo)))]
    out.line(f"    (read back the ticket: {Image.open(io.BytesIO(photo.photo)).size} pixels, "
             f"the QR code decodes to {found[0].split('=')[0]}=ci_…)")  # fmt: skip


async def _job(walk: Walk, harness: BotHarness, clock: FakeClock, moment: datetime) -> None:
    clock.set(moment)
    walk.out.line("")
    walk.out.line(f"⏰ {moment:%a %d %b %Y %H:%M} WIB — the reminder job runs")
    before = walk.snapshot()
    await queue_due_reminders(BotContext(harness.app))
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
    await import_file(sessions, text, clock())
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
            await walk.press(person, summary, _confirm(summary))
        out.line(f"👤 {walk.names[person.id]}: taps [{_confirm(summary)}]")
        out.line(f"🤖 → {walk.names[person.id]}: {person.last().text.splitlines()[0]}")
    cards = await walk.say(ben, "/my")
    ask = await walk.press(ben, _with(cards, "Kain Perca"), "Cancel")
    await walk.press(ben, ask, "Yes")
    out.heading(3, "B2. Three days of reminders")
    await _job(walk, harness, clock, _local(date(2026, 12, 7), "15:59"))
    await _job(walk, harness, clock, _local(date(2026, 12, 7), "16:00"))
    reminder = ani.last()
    await walk.press(ani, reminder, "Ya, saya datang")
    await _job(walk, harness, clock, _local(date(2026, 12, 7), "16:05"))
    await _job(walk, harness, clock, _local(date(2026, 12, 8), "16:00"))
    await walk.press(ani, ani.last(), "Tidak bisa")
    await _job(walk, harness, clock, _local(date(2026, 12, 9), "16:00"))
    offer = await walk.press(ani, ani.last(), "Tidak bisa")
    out.note("Every remaining day is now a no, so the reminder offers to cancel.")
    ask = await walk.press(ani, offer, "Batal ikut")
    await walk.press(ani, ask, "Ya")
    out.note(
        "No one moves up from the waiting list once a training has started (by design, "
        "bot/services/cancellation.py promote_waitlist), so Citra stays on the list."
    )
    await _job(walk, harness, clock, _local(date(2026, 12, 9), "16:01"))
    await _promotion_on_the_day_before(walk, harness, sessions, clock)
    out.heading(3, "B4. What the database recorded")
    async with sessions() as session:
        rows = (
            (await session.execute(select(Delivery).where(Delivery.kind == "reminder")))
            .scalars()
            .all()
        )
        answers = {
            (a.registration_id, a.training_day_id): a.answer
            for a in (await session.execute(select(RsvpAnswer))).scalars()
        }
        regs = {r.id: r for r in (await session.execute(select(Registration))).scalars()}
        people = {p.id: p for p in (await session.execute(select(Participant))).scalars()}
    for row in sorted(rows, key=lambda r: (r.registration_id or 0, r.training_day_id or 0)):
        reg = regs[row.registration_id or 0]
        name = walk.names.get(people[reg.participant_id].telegram_id or 0, "?")
        out.line(
            f"reminder row: {name:<6} training_day {row.training_day_id} state={row.state} "
            f"rsvp={answers.get((row.registration_id or 0, row.training_day_id or 0))} "
            f"(registration {reg.status})"
        )
    for person in (ani, ben, citra):
        first = [m.history[0] if m.history else m.text for m in person.messages()]
        count = sum("Pengingat" in text or "Reminder" in text for text in first)
        out.line(f"{walk.names[person.id]}: {count} reminder message(s) received")


async def _promotion_on_the_day_before(
    walk: Walk, harness: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    out = walk.out
    out.heading(3, "B3. A promotion on the day before, after the reminder time")
    out.note(
        "A one-day training on Sat 12 Dec with one seat: Ani has it, Citra waits. Ani cancels "
        "on Fri 11 Dec at 17:00, after that day's reminders went out."
    )
    text = """\
trainings:
  - code: FOTO-01
    title: Foto Produk dengan Ponsel
    venue: Aula Dinas Koperasi, Malang
    capacity: 1
    days:
      - {date: 2026-12-12, start: "09:00", end: "12:00", topic: Cahaya dan latar}
"""
    await import_file(sessions, text, clock())
    ani, citra = walk.tg.user(6001, "Ani"), walk.tg.user(6003, "Citra", "en")
    for person in (ani, citra):
        with walk.hushed():
            await walk.say(person, "/start FOTO-01")
            summary = person.last()
            await walk.press(person, summary, _confirm(summary))
        out.line(f"👤 {walk.names[person.id]}: /start FOTO-01, taps [{_confirm(summary)}]")
        out.line(f"🤖 → {walk.names[person.id]}: {person.last().text.splitlines()[0]}")
    await _job(walk, harness, clock, _local(date(2026, 12, 11), "16:00"))
    clock.set(_local(date(2026, 12, 11), "17:00"))
    cards = await walk.say(ani, "/saya")
    ask = await walk.press(ani, _with(cards, "Foto Produk"), "Batal ikut")
    await walk.press(ani, ask, "Ya")
    await _job(walk, harness, clock, _local(date(2026, 12, 11), "17:01"))
    reminder = citra.last()
    if "Reminder" in reminder.text:
        await walk.press(citra, reminder, "I'll come")


# ---- C. staff ------------------------------------------------------------------------------


async def flow_staff(out: Out, tmp: Path) -> None:
    """Issues 5 and 13: the staff menu and help, creating a training with natural input,
    publishing and sharing it, counts and pages, exports, announcement, check-in, the poster
    from the command line."""
    tg = FakeTelegram(TOKEN)
    bot = RunningBot(tg, tmp, ADMIN_IDS=str(STAFF_ID), BROADCAST_RATE="30")
    walk = Walk(tg, out, _subprocess_settle(tg))
    out.heading(
        2, "C. Staff tools (issues 5 and 13) — `python -m bot` subprocess, fake Bot API server"
    )
    await bot.start_server()
    await bot.start_bot()
    try:
        await _staff_story(walk, bot)
    finally:
        code, log = await bot.stop()
    _check_log(out, code, log)


async def _staff_menu_and_help(walk: Walk) -> FakeUser:
    walk.out.heading(3, "C1. A staff member's /start is the staff menu; /bantuan is staff help")
    staff = walk.user(STAFF_ID, "Staf")
    menu = _last(await walk.say(staff, "/start"))
    await walk.press(staff, menu, "Menu peserta")
    await walk.press(staff, menu, "Menu staf")
    await walk.say(staff, "/bantuan")
    return staff


async def _create_and_publish(walk: Walk, staff: FakeUser) -> None:
    """C2: from the staff menu of C1 to a published three-day training, with one slip on the
    way and the optional description added from the summary."""
    now = datetime.now(JAKARTA)
    # Day one is today so that check-in works; it starts a little later than now (a run in
    # the last hour of the day cannot make one).
    start = f"{min(now.hour + 1, 23):02d}.00" if now.hour < 13 else f"{now.hour + 1}"
    end = "15.30" if now.hour < 13 else "23.45"
    menu = next(m for m in staff.messages() if "Menu staf" in m.text)
    await walk.press(staff, menu, "Pelatihan baru")
    for answer in (
        "KP-2026-02",
        "Kain Perca & Melukis Kain <Angkatan 2>",
        "Hotel Sahid Montana Dua, Malang",
        "25 orang",
        "hari ini s/d lusa",
        "25.00",  # a slip: a short hint, the same question, nothing lost
        f"{start}-{end}",
    ):
        await walk.say(staff, answer)
    ask = _last(await walk.say(staff, "8-3"))
    summary = await walk.press(staff, ask, "Sama dengan hari 2")
    await walk.press(staff, summary, "Deskripsi")
    summary = _last(
        await walk.say(staff, "Pembinaan kemampuan dan keterampilan kerja bagi usaha mikro.")
    )
    await walk.press(staff, summary, "Simpan & terbitkan", needle="poster-KP-2026-02.pdf")


async def _read_posters(walk: Walk) -> None:
    for message in walk.documents[-2:]:
        assert message.document is not None
        name, content = message.document
        if name.endswith(".png"):
            found = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))
            walk.out.line(f"    (read back {name}: the QR code decodes to {found[0].text})")
        else:
            text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
            walk.out.line(f"    (read back {name}: " + " · ".join(text.splitlines()[:9]) + " …)")


async def _staff_story(walk: Walk, bot: RunningBot) -> None:
    out = walk.out
    staff = await _staff_menu_and_help(walk)
    out.heading(3, "C2. Staff create a three-day training in the chat, publish and share it")
    await _create_and_publish(walk, staff)
    await _read_posters(walk)
    out.note(
        "From /start to published: 14 actions (messages sent and buttons pressed) with the "
        "slip and the optional description, 11 without them (tests/test_staff_create.py "
        "counts them)."
    )

    out.heading(3, "C3. Participants register")
    rina = walk.user(7101, "Rina")
    john = walk.user(7102, "John", "en")
    dewi = walk.user(7103, "Dewi")
    await _quick_register(walk, rina, "Rina Wati", "081234567001", "Toko Rina & Co")
    await _quick_register(walk, john, "John Doe", "081234567002", "Doe Tailoring", english=True)
    seeded = await _seed_participants(bot.url, "KP-2026-02", 23)
    out.note(
        f"{seeded} more participants are registered directly with the registration service "
        "(bot.services.registration.register), to fill the seats and make the list two pages."
    )
    await _quick_register(walk, dewi, "Dewi Lestari", "081234567003", "Batik Dewi")

    out.heading(3, "C4. /peserta: counts and the paged list")
    listing = _last(await walk.say(staff, "/peserta KP-2026-02"))
    await walk.press(staff, listing, "Berikutnya")

    out.heading(3, "C5. /ekspor: Excel and CSV, read back")
    export = _last(await walk.say(staff, "/ekspor KP-2026-02", needle=".xlsx"))
    await walk.press(staff, export, "CSV", needle=".csv")
    await _read_back(walk)

    out.heading(3, "C6. /umumkan a venue change to the confirmed participants")
    ask = _last(await walk.say(staff, "/umumkan"))
    ask = await walk.press(staff, ask, "Peserta terdaftar")
    await walk.press(staff, ask, "Kain Perca")
    preview = await walk.say(
        staff,
        "Tempat pindah ke Aula Dinas Koperasi, Jl. Panji Suroso 18 (lantai 2) & parkir di "
        "belakang. Bawa <kain putih>.",
    )
    await walk.press(staff, _last(preview), "Kirim", needle="selesai dikirim")

    out.heading(3, "C7. Check-in on day one by the participant's ticket")
    cards = await walk.say(rina, "/saya")
    photo = _with([await walk.press(rina, _with(cards, "KP-2026-02"), "Tiket hadir")], "")
    token = await _checkin_token(bot.url, rina.id)
    link = checkin_link(BOT_USERNAME, token)
    assert photo.photo is not None
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(photo.photo)))
    encoded = [f.text for f in found] == [link]
    out.line(
        f"    (the ticket's QR code encodes {link.replace(token, token[:6] + '…')}: {encoded})"
    )
    await walk.say(rina, f"/start ci_{token}")
    await walk.say(john, f"/start ci_{token}")
    await walk.say(staff, f"/start ci_{token}")
    await walk.say(staff, f"/start ci_{token}")
    await walk.say(staff, "/peserta KP-2026-02")

    out.heading(3, "C8. The poster from the command line")
    await _cli(out, bot.env, "poster", "KP-2026-02", "-o", "poster.png", cwd=bot.tmp)
    found = zxingcpp.read_barcodes(Image.open(bot.tmp / "poster.png"))
    out.line(f"  (read back poster.png: the QR code decodes to {found[0].text})")


async def _quick_register(
    walk: Walk,
    user: FakeUser,
    name: str,
    phone: str,
    business: str,
    code: str = "KP-2026-02",
    english: bool = False,
) -> None:
    """The whole registration conversation (shown in flow A), printed as one line."""
    with walk.hushed():
        if english:
            await walk.say(user, "/language")
            await walk.press(user, user.last(), "English")
        await walk.say(user, f"/start {code}")
        await walk.press(user, user.last(), "✅")
        await walk.say(user, name)
        await walk.say(user, phone)
        await walk.say(user, business)
        await walk.press(user, user.last(), "🍲")
        await walk.press(user, user.last(), "Klojen")
        await walk.press(user, user.last(), _confirm(user.last()))
    walk.out.line(f"👤 {walk.names[user.id]}: /start {code} … (the conversation of flow A)")
    walk.out.line(f"🤖 → {walk.names[user.id]}: {user.last().text.splitlines()[0]}")


async def _seed_participants(url: str, code: str, count: int) -> int:
    engine = create_engine(url)
    try:
        sessions = create_session_factory(engine)
        async with sessions() as session:
            training_id = await session.scalar(select(Training.id).where(Training.code == code))
        assert training_id is not None
        now = datetime.now(UTC)
        for number in range(1, count + 1):
            profile = Profile(
                full_name=f"Peserta {number:03d}",
                phone=f"+628120000{number:04d}",
                business_name=f"Usaha {number:03d}",
                sector="kuliner",
                district="Sukun",
                consent_at=now,
            )
            async with sessions() as session:
                await register(session, 7200 + number, training_id, profile, now)
    finally:
        await engine.dispose()
    return count


async def _checkin_token(url: str, telegram_id: int) -> str:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            token = await session.scalar(
                select(Registration.checkin_token)
                .join(Participant, Participant.id == Registration.participant_id)
                .where(Participant.telegram_id == telegram_id)
            )
    finally:
        await engine.dispose()
    assert token is not None
    return token


async def _read_back(walk: Walk) -> None:
    for message in walk.documents[-2:]:
        assert message.document is not None
        name, content = message.document
        if name.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(content), read_only=True)
            for sheet in book.worksheets:
                rows = list(sheet.iter_rows(values_only=True))
                header = ", ".join(str(v) for v in rows[0]) if rows else ""
                walk.out.line(f"    (read back {name}: sheet '{sheet.title}', {len(rows)} rows;")
                walk.out.line(f"     header: {header})")
                if len(rows) > 1:
                    first = ", ".join("" if v is None else str(v) for v in rows[1])
                    walk.out.line(f"     first row: {first})")
        else:
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
            walk.out.line(f"    (read back {name}: {len(rows)} rows; header: {', '.join(rows[0])})")


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
