"""`python -m bot staff grant|revoke|list` and `python -m bot audit`: the staff's roles, and the
trail of what staff saw and changed, from the server's shell.

    python -m bot staff grant 123456789 --role checkin --training KP-01 --training KP-02
    python -m bot staff revoke 123456789
    python -m bot staff list
    python -m bot audit --since 2026-12-01 --user 123456789

The operator at the shell holds the database and acts as a full admin; what they change is
recorded with no Telegram id.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from typing import TypeVar

from bot.cli.base import Command, Subparsers, with_sessions
from bot.db import SessionFactory, upgrade_database_sync
from bot.services import access, audit
from bot.settings import Settings

T = TypeVar("T")


def _run(settings: Settings, work: Callable[[SessionFactory], Awaitable[T]]) -> T:
    upgrade_database_sync(settings.database_url)
    return asyncio.run(with_sessions(settings, work))


def grant_line(grant: access.Grant) -> str:
    """ "123456789 checkin KP-01,KP-02 (by 42 2026-12-08)"."""
    where = ",".join(grant.codes) or "all trainings"
    by = grant.granted_by if grant.granted_by is not None else "command line"
    return f"{grant.telegram_id} {grant.role.value} {where} (by {by} {grant.granted_at:%Y-%m-%d})"


def run_grant(settings: Settings, args: argparse.Namespace) -> int:
    """Give a user a role (on some trainings, or all)."""

    async def work(sessions: SessionFactory) -> access.GrantResult:
        async with sessions() as session:
            return await access.grant_role(
                session,
                args.user_id,
                access.Role(args.role),
                args.training or (),
                actor_id=None,
                admin_ids=settings.admin_ids,
                now=datetime.now(UTC),
            )

    result = _run(settings, work)
    if result.refusal == access.GrantRefusal.ADMIN:
        print(f"{args.user_id} is in ADMIN_IDS: a full admin already", file=sys.stderr)
        return 1
    if result.grant is None:
        print(f"no training with code {result.unknown!r}", file=sys.stderr)
        return 1
    print(f"granted: {grant_line(result.grant)}")
    return 0


def run_revoke(settings: Settings, args: argparse.Namespace) -> int:
    """Take a user's role away."""

    async def work(sessions: SessionFactory) -> bool:
        async with sessions() as session:
            return await access.revoke_role(
                session, args.user_id, actor_id=None, now=datetime.now(UTC)
            )

    if not _run(settings, work):
        print(f"{args.user_id} has no role", file=sys.stderr)
        return 1
    print(f"revoked: {args.user_id}")
    return 0


def run_list(settings: Settings, _args: argparse.Namespace) -> int:
    """The full admins, then every stored role."""

    async def work(sessions: SessionFactory) -> list[access.Grant]:
        async with sessions() as session:
            return await access.list_grants(session)

    grants = _run(settings, work)
    for admin_id in sorted(settings.admin_ids):
        print(f"{admin_id} admin all trainings (ADMIN_IDS)")
    for grant in grants:
        print(grant_line(grant))
    return 0


def entry_line(entry: audit.Entry) -> str:
    """One entry: when (UTC), who, what, which training, how many people, what else."""
    who = entry.actor_id if entry.actor_id is not None else "cli"
    parts = [f"{entry.at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}", str(who), entry.action]
    parts += [entry.training_code or "-", f"people={entry.people}"]
    return " ".join([*parts, *([entry.detail] if entry.detail else [])])


def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    """Print the audit trail, newest first."""
    since = datetime.combine(args.since, time(), settings.timezone) if args.since else None

    async def work(sessions: SessionFactory) -> list[audit.Entry]:
        async with sessions() as session:
            return await audit.read_entries(session, since=since, actor_id=args.user)

    entries = _run(settings, work)
    for entry in entries:
        print(entry_line(entry))
    print(f"{len(entries)} entries (kept {settings.audit_retention_days} days)")
    return 0


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {raw!r}") from None


def add_staff(sub: Subparsers) -> dict[str, Command]:
    """`staff grant|revoke|list` and `audit`."""
    staff = sub.add_parser(
        "staff", help="give, take away and list staff roles", description=__doc__
    )
    tools = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    grant = tools.add_parser("grant", help="give a user a role (replacing any earlier one)")
    grant.add_argument("user_id", metavar="USER_ID", type=int, help="the Telegram user id")
    grant.add_argument("--role", required=True, choices=[r.value for r in access.GRANTABLE])
    grant.add_argument(
        "--training", metavar="CODE", action="append", help="limit to this training (repeatable)"
    )
    grant.set_defaults(command="staff grant")
    revoke = tools.add_parser("revoke", help="take a user's role away")
    revoke.add_argument("user_id", metavar="USER_ID", type=int)
    revoke.set_defaults(command="staff revoke")
    tools.add_parser("list", help="the admins and every role").set_defaults(command="staff list")
    trail = sub.add_parser("audit", help="print the audit trail: who of the staff did what")
    trail.add_argument("--since", type=_day, metavar="DATE", help="from this day (YYYY-MM-DD)")
    trail.add_argument("--user", type=int, metavar="ID", help="one staff member's entries")
    return {
        "staff grant": run_grant,
        "staff revoke": run_revoke,
        "staff list": run_list,
        "audit": run_audit,
    }
