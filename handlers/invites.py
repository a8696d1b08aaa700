"""/invite: one-time links for managers, reps, agents — and for a customer's people."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters
from telegram.helpers import create_deep_linked_url

from bot.access import requires
from bot.callbacks import PickInvite
from bot.context import FieldContext
from bot.i18n import Lang, t
from bot.keyboards import invite_choices
from bot.render import local_time, role_name
from bot.replies import reply
from storage import invites, teams
from storage.invites import IssuedInvite
from storage.models import Role


@requires(Role.ADMIN, Role.MANAGER, Role.REP)
async def invite(update: Update, context: FieldContext) -> None:
    """/invite offers role buttons; /invite customer <id> links a customer's contact."""
    actor, lang = context.require_actor(), context.lang
    args = context.args or []
    if args and args[0].lower() == "customer":
        if len(args) < 2 or not args[1].isdigit():
            await reply(update, t(lang, "invite.customer_usage"))
            return
        issued = await invites.create_invite(
            actor,
            Role.CUSTOMER,
            actor.team_id or 0,
            customer_id=int(args[1]),
            now=context.services.clock.now(),
        )
        await reply(update, _link_text(context, issued))
        return
    roles = [r for r in invites.invitable_roles(actor) if r is not Role.CUSTOMER]
    if not roles:
        await reply(update, t(lang, "invite.customer_usage"))
        return
    team_list = await teams.list_teams(actor)
    if not team_list:
        await reply(update, t(lang, "invite.no_teams"))
        return
    await reply(update, t(lang, "invite.choose"), invite_choices(lang, roles, team_list))


async def invite_picked(update: Update, context: FieldContext) -> None:
    """Issue the link for the tapped role and team (storage re-checks the right to)."""
    query = update.callback_query
    picked = PickInvite.parse(query.data if query else None)
    if query is None or picked is None:
        return
    issued = await invites.create_invite(
        context.require_actor(), picked.role, picked.team_id, now=context.services.clock.now()
    )
    await query.answer()
    await query.edit_message_text(_link_text(context, issued))


def _link_text(context: FieldContext, issued: IssuedInvite) -> str:
    return invite_text(context.lang, issued, context.bot.username)


def invite_text(lang: Lang, issued: IssuedInvite, bot_username: str) -> str:
    """The message carrying a deep link; shared with the CLI's output."""
    link = create_deep_linked_url(bot_username, issued.code)
    expires = local_time(issued.expires_at, issued.team_timezone)
    key = "invite.link_customer" if issued.role is Role.CUSTOMER else "invite.link"
    return t(
        lang,
        key,
        role=role_name(lang, issued.role),
        team=issued.team_name,
        customer=issued.customer_name or "",
        link=link,
        expires=expires,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CommandHandler("invite", invite, filters.ChatType.PRIVATE),
        CallbackQueryHandler(invite_picked, pattern=PickInvite.match),
    ]
