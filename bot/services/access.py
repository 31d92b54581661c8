"""Who may do what: the rights each role grants, the trainings a role is limited to, and the
grants themselves. The one rule behind every staff command, button, Mini App route and tool.

The full admins are the ids of `ADMIN_IDS`: every right, on every training, and they alone
manage the other staff. Everyone else has the role an admin gave them (`staff_roles`), or none:

- manager: everything about the named trainings (or all): edit, people, exports, announce,
  check-in, counts;
- checkin: check-in (scan, name, ticket code) and the day's attendance list: names, no phones;
- viewer: counts, charts, the activity and impact reports: no names, phones or personal files.

A role limited to trainings holds for those alone: a list or a picker shows only them, and
anything about another training, or about every training at once (a new training, an
announcement to everyone), is refused like a non-staff user.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import StaffRole, StaffTraining, Training
from bot.services import audit
from bot.services.training_writer import same_code


class Right(StrEnum):
    """One thing staff may do; each staff entry point names the one it needs."""

    STAFF = "staff"  # the staff menu and help (each shows what the role may use)
    MANAGE_STAFF = "manage_staff"  # grant and revoke roles, read the audit trail
    EDIT_TRAININGS = "edit_trainings"  # create, edit, publish, share, close, cancel, import
    SEE_PEOPLE = "see_people"  # the participant list with phones, applicants
    EXPORT = "export"  # files with personal data: exports, sheets, certificates
    ANNOUNCE = "announce"
    CHECK_IN = "check_in"  # scan, name, ticket code; the day's list with names, no phones
    SEE_COUNTS = "see_counts"  # trainings with counts, statistics, charts, reports


class Role(StrEnum):
    """The roles; `admin` is the role of `ADMIN_IDS` and is never stored."""

    ADMIN = "admin"
    MANAGER = "manager"
    CHECKIN = "checkin"
    VIEWER = "viewer"


RIGHTS: dict[Role, frozenset[Right]] = {
    Role.ADMIN: frozenset(Right),
    Role.MANAGER: frozenset(Right) - {Right.MANAGE_STAFF},
    Role.CHECKIN: frozenset({Right.STAFF, Right.CHECK_IN}),
    Role.VIEWER: frozenset({Right.STAFF, Right.SEE_COUNTS}),
}
GRANTABLE = (Role.MANAGER, Role.CHECKIN, Role.VIEWER)


@dataclass(frozen=True)
class Staff:
    """One staff member's access: their role and the trainings it is limited to (None: all)."""

    telegram_id: int
    role: Role
    trainings: frozenset[int] | None = None

    def has(self, right: Right) -> bool:
        """Whether the role grants `right` (on some training at least)."""
        return right in RIGHTS[self.role]

    def may(self, right: Right, training_id: int | None = None) -> bool:
        """Whether `right` holds on this training (None: on no one training in particular)."""
        if not self.has(right):
            return False
        return training_id is None or self.trainings is None or training_id in self.trainings

    def may_everywhere(self, right: Right) -> bool:
        """Whether `right` holds on every training at once (a new one, all participants)."""
        return self.has(right) and self.trainings is None

    @property
    def rights(self) -> frozenset[Right]:
        """Every right of the role."""
        return RIGHTS[self.role]


async def staff_of(
    session: AsyncSession, telegram_id: int | None, admin_ids: Collection[int]
) -> Staff | None:
    """This user's access now (read each time, never cached), or None for a non-staff user."""
    if telegram_id is None:
        return None
    if telegram_id in admin_ids:
        return Staff(telegram_id, Role.ADMIN)
    row = await session.get(StaffRole, telegram_id)
    if row is None:
        return None
    trainings = frozenset(t.training_id for t in row.trainings) or None
    return Staff(telegram_id, Role(row.role), trainings)


@dataclass(frozen=True)
class Grant:
    """A stored role as staff lists show it: who, which role, which trainings (codes)."""

    telegram_id: int
    role: Role
    codes: tuple[str, ...]  # empty: every training
    granted_by: int | None
    granted_at: datetime


class GrantRefusal(StrEnum):
    """Why a grant was not made."""

    ADMIN = "admin"  # the id is one of ADMIN_IDS: already a full admin
    UNKNOWN_TRAINING = "unknown_training"


@dataclass(frozen=True)
class GrantResult:
    """A grant made (`grant`), or why not (and the code that is unknown)."""

    grant: Grant | None = None
    refusal: GrantRefusal | None = None
    unknown: str = ""


async def _training_ids(session: AsyncSession, codes: Collection[str]) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for code in codes:
        found[code] = await session.scalar(select(Training.id).where(same_code(code)))
    return found


async def grant_role(
    session: AsyncSession,
    telegram_id: int,
    role: Role,
    codes: Collection[str],
    *,
    actor_id: int | None,
    admin_ids: Collection[int],
    now: datetime,
) -> GrantResult:
    """Give `telegram_id` this role (on these trainings; none: all), replacing any earlier
    one, and record it in the audit trail, in one transaction."""
    if telegram_id in admin_ids:
        return GrantResult(refusal=GrantRefusal.ADMIN)
    ids = await _training_ids(session, codes)
    unknown = [code for code, training_id in ids.items() if training_id is None]
    if unknown:
        return GrantResult(refusal=GrantRefusal.UNKNOWN_TRAINING, unknown=unknown[0])
    training_ids = sorted({i for i in ids.values() if i is not None})
    row = await session.get(StaffRole, telegram_id)
    if row is None:
        row = StaffRole(telegram_id=telegram_id)
        session.add(row)
    row.role, row.granted_by, row.granted_at = role.value, actor_id, now
    row.trainings = [StaffTraining(training_id=i) for i in training_ids]
    detail = f"{telegram_id} {role.value} {' '.join(sorted(ids)) or '*'}"
    audit.record(session, actor_id, audit.Action.GRANT, now, detail=detail)
    await session.commit()
    return GrantResult(grant=await _grant_of(session, telegram_id))


async def revoke_role(
    session: AsyncSession, telegram_id: int, *, actor_id: int | None, now: datetime
) -> bool:
    """Take away this user's role (recorded); False when they had none."""
    row = await session.get(StaffRole, telegram_id)
    if row is None:
        return False
    await session.delete(row)
    audit.record(session, actor_id, audit.Action.REVOKE, now, detail=str(telegram_id))
    await session.commit()
    return True


async def _grant_of(session: AsyncSession, telegram_id: int) -> Grant | None:
    grants = await list_grants(session, telegram_id)
    return grants[0] if grants else None


async def list_grants(session: AsyncSession, telegram_id: int | None = None) -> list[Grant]:
    """Every stored role (by Telegram id), with the codes of its trainings."""
    query = select(StaffRole).order_by(StaffRole.telegram_id)
    if telegram_id is not None:
        query = query.where(StaffRole.telegram_id == telegram_id)
    rows = list((await session.execute(query.execution_options(populate_existing=True))).scalars())
    codes = {
        i: code for i, code in (await session.execute(select(Training.id, Training.code))).all()
    }
    return [
        Grant(
            row.telegram_id,
            Role(row.role),
            tuple(sorted(codes[t.training_id] for t in row.trainings)),
            row.granted_by,
            row.granted_at,
        )
        for row in rows
    ]


async def staff_ids(session: AsyncSession) -> list[int]:
    """The Telegram ids of every stored role (for the per-person command menus)."""
    return list((await session.execute(select(StaffRole.telegram_id))).scalars())
