"""`/staf` (`/staff`), for the full admins: the staff and their roles, giving one (the role,
then the trainings, none meaning all) and taking it away. The rule and the record of each
grant are the service's (`bot.services.access`); a grant or a revoke sets that person's command
menu to what the role may use."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.runtime.commands import publish_staff_commands
from bot.runtime.context import AnyApplication, BotContext
from bot.services import access
from bot.services import staff as trainings
from bot.services.access import GRANTABLE, Grant, GrantRefusal, Right, Role
from bot.texts import Safe, t
from bot.texts.callbacks import STAFF_ROLES, pack, unpack
from handlers.base import edit_or_send, user_language
from handlers.buttons import stale
from handlers.staff.auth import requires
from handlers.staff.common import MENU_LIMIT

PREFIX = STAFF_ROLES
ROLE = "r"  # stf:r:<user>:<role>
TOGGLE = "t"  # stf:t:<training id>
SAVE = "ok"
REVOKE = "rv"  # stf:rv:<user>
DRAFT_KEY = "staff_grant"
_ROLES = {role.value for role in GRANTABLE}


def role_name(role: Role, lang: str) -> str:
    """ "Petugas hadir"."""
    return t(f"roles.role.{role.value}", lang)


def _where(codes: tuple[str, ...] | list[str], lang: str) -> str:
    return ", ".join(codes) if codes else t("roles.all_trainings", lang)


def _list_text(admin_ids: frozenset[int], grants: list[Grant], lang: str) -> str:
    lines = [t("roles.admin_line", lang, id=admin_id) for admin_id in sorted(admin_ids)]
    lines += [
        t(
            "roles.line",
            lang,
            id=grant.telegram_id,
            role=role_name(grant.role, lang),
            trainings=_where(grant.codes, lang),
        )
        for grant in grants
    ]
    return t("roles.list", lang, lines=Safe("\n".join(lines)))


async def _show_list(update: Update, context: BotContext, notice: str = "") -> None:
    lang = await user_language(update, context)
    async with context.sessions() as session:
        grants = await access.list_grants(session)
    buttons = [
        [
            InlineKeyboardButton(
                t("roles.button.revoke", lang, id=grant.telegram_id),
                callback_data=pack(PREFIX, REVOKE, grant.telegram_id),
            )
        ]
        for grant in grants
    ]
    text = _list_text(context.settings.admin_ids, grants, lang)
    await edit_or_send(update, context, notice + text, InlineKeyboardMarkup(buttons), answer=True)


def _role_buttons(user_id: int, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    role_name(role, lang), callback_data=pack(PREFIX, ROLE, user_id, role.value)
                )
            ]
            for role in GRANTABLE
        ]
    )


@requires(Right.MANAGE_STAFF)
async def staff_command(update: Update, context: BotContext) -> None:
    """`/staf`: the list; `/staf <id>`: the roles to give that person."""
    if not context.args:
        await _show_list(update, context)
        return
    lang = await user_language(update, context)
    raw = context.args[0]
    if not raw.isdigit():
        await edit_or_send(update, context, t("roles.bad_id", lang))
        return
    user_id = int(raw)
    if user_id in context.settings.admin_ids:
        await edit_or_send(update, context, t("roles.is_admin", lang, id=user_id))
        return
    text = t("roles.choose_role", lang, id=user_id)
    await edit_or_send(update, context, text, _role_buttons(user_id, lang))


def _draft(context: BotContext) -> dict[str, Any] | None:
    draft = context.user_data.get(DRAFT_KEY) if context.user_data is not None else None
    return draft if isinstance(draft, dict) else None


async def _show_trainings(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    lang = await user_language(update, context)
    async with context.sessions() as session:
        lines = (await trainings.list_trainings(session))[:MENU_LIMIT]
    chosen = set(draft["codes"])
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if line.code in chosen else "⬜ ") + f"{line.code} · {line.title}"[:60],
                callback_data=pack(PREFIX, TOGGLE, line.id),
            )
        ]
        for line in lines
    ]
    rows.append(
        [InlineKeyboardButton(t("roles.button.save", lang), callback_data=pack(PREFIX, SAVE))]
    )
    role = role_name(Role(draft["role"]), lang)
    text = t("roles.choose_trainings", lang, role=role, id=draft["user"])
    await edit_or_send(update, context, text, InlineKeyboardMarkup(rows), answer=True)


def _parts(update: Update) -> list[str]:
    data = update.callback_query.data if update.callback_query is not None else None
    return unpack(data, PREFIX, 1) or unpack(data, PREFIX, 2) or unpack(data, PREFIX, 3) or []


@requires(Right.MANAGE_STAFF)
async def staff_button(update: Update, context: BotContext) -> None:
    """The buttons of /staf: a role, a training on or off, save, revoke."""
    parts = _parts(update)
    action, numbers = (parts[0], parts[1:]) if parts else ("", [])
    if action == ROLE and len(numbers) == 2 and numbers[0].isdigit() and numbers[1] in _ROLES:
        await _choose_role(update, context, int(numbers[0]), Role(numbers[1]))
    elif action == TOGGLE and len(numbers) == 1 and numbers[0].isdigit():
        await _toggle(update, context, int(numbers[0]))
    elif action == SAVE and not numbers:
        await _save(update, context)
    elif action == REVOKE and len(numbers) == 1 and numbers[0].isdigit():
        await _revoke(update, context, int(numbers[0]))
    else:
        await stale(update, context)


async def _choose_role(update: Update, context: BotContext, user_id: int, role: Role) -> None:
    if context.user_data is None:
        await stale(update, context)
        return
    draft: dict[str, Any] = {"user": user_id, "role": role.value, "codes": []}
    context.user_data[DRAFT_KEY] = draft
    await _show_trainings(update, context, draft)


async def _toggle(update: Update, context: BotContext, training_id: int) -> None:
    draft = _draft(context)
    async with context.sessions() as session:
        training = await trainings.get_training(session, training_id)
    if draft is None or training is None:
        await stale(update, context)
        return
    codes: list[str] = draft["codes"]
    if training.code in codes:
        codes.remove(training.code)
    else:
        codes.append(training.code)
    await _show_trainings(update, context, draft)


async def _save(update: Update, context: BotContext) -> None:
    draft = _draft(context)
    user = update.effective_user
    if draft is None or user is None or context.user_data is None:
        await stale(update, context)
        return
    lang = await user_language(update, context)
    async with context.sessions() as session:
        result = await access.grant_role(
            session,
            draft["user"],
            Role(draft["role"]),
            draft["codes"],
            actor_id=user.id,
            admin_ids=context.settings.admin_ids,
            now=context.now(),
        )
    context.user_data.pop(DRAFT_KEY, None)
    if result.grant is None:
        key = "roles.is_admin" if result.refusal == GrantRefusal.ADMIN else "error.stale_button"
        await edit_or_send(update, context, t(key, lang, id=draft["user"]), answer=True)
        return
    grant = result.grant
    await _republish(context, grant.telegram_id)
    notice = t(
        "roles.granted",
        lang,
        id=grant.telegram_id,
        role=role_name(grant.role, lang),
        trainings=_where(grant.codes, lang),
    )
    await _show_list(update, context, notice + "\n\n")


async def _revoke(update: Update, context: BotContext, user_id: int) -> None:
    user = update.effective_user
    assert user is not None
    lang = await user_language(update, context)
    async with context.sessions() as session:
        revoked = await access.revoke_role(session, user_id, actor_id=user.id, now=context.now())
    if not revoked:
        await stale(update, context)
        return
    await _republish(context, user_id)
    await _show_list(update, context, t("roles.revoked", lang, id=user_id) + "\n\n")


async def _republish(context: BotContext, user_id: int) -> None:
    """That person's command menu, as their role is now."""
    await publish_staff_commands(context.bot, context.settings, context.sessions, user_id)


def register(application: AnyApplication) -> None:
    """Add /staf and its buttons."""
    application.add_handler(CommandHandler(["staf", "staff"], staff_command))
    application.add_handler(CallbackQueryHandler(staff_button, pattern=rf"^{PREFIX}:"))
