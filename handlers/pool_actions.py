"""One-tap pool actions: Claim, Lock/Unlock, ask for and decide an extension, Assign.

These buttons appear on /pool, on previews and on the customer card; each callback parses
its payload, calls one storage function (which checks the actor's rights again) and answers.
Refusals (caps, cooldown, someone faster) are ``DomainError``s the error handler shows as an
alert on the tapped button.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.access import requires
from bot.callbacks.pool import (
    AssignCustomer,
    AssignTo,
    ClaimCustomer,
    DecideExtension,
    LockCustomer,
    RequestExtension,
)
from bot.context import FieldContext
from bot.i18n import t
from bot.render import plain_text
from bot.replies import reply
from bot.views import pool as views
from handlers.pool_notify import edit, language, tell, tell_each
from storage import pool_assign, pool_claims, pool_locks
from storage.models import Role


@requires(Role.REP)
async def claim(update: Update, context: FieldContext) -> None:
    """Claim: the customer becomes the rep's, or the rep learns why not (and who was faster)."""
    query = update.callback_query
    payload = ClaimCustomer.parse(query.data if query else None)
    if query is None or payload is None:
        return
    result = await pool_claims.claim_customer(
        context.require_actor(), payload.customer_id, now=context.services.clock.now()
    )
    await query.answer(plain_text(t(context.lang, "pool.toast.claimed", name=result.name)))
    await reply(update, *views.claimed(context.lang, result))


@requires(Role.REP)
async def lock(update: Update, context: FieldContext) -> None:
    """Lock/Unlock: keep one of the rep's customers out of the reclaim, or let it go."""
    query = update.callback_query
    payload = LockCustomer.parse(query.data if query else None)
    if query is None or payload is None:
        return
    result = await pool_locks.set_lock(
        context.require_actor(), payload.customer_id, payload.on, now=context.services.clock.now()
    )
    text = views.lock_changed(context.lang, result)
    await query.answer(plain_text(text))
    await reply(update, text)


@requires(Role.REP)
async def ask_extension(update: Update, context: FieldContext) -> None:
    """Ask for more time: the managers (or the team group) get Approve/Decline buttons."""
    query = update.callback_query
    payload = RequestExtension.parse(query.data if query else None)
    if query is None or payload is None:
        return
    request = await pool_locks.request_extension(
        context.require_actor(), payload.customer_id, now=context.services.clock.now()
    )
    await query.answer()
    await reply(update, views.extension_asked(context.lang, request))
    await tell_each(
        context.bot, request.audience, lambda lang: views.extension_request(lang, request)
    )


@requires(Role.MANAGER)
async def decide_extension(update: Update, context: FieldContext) -> None:
    """Approve/Decline (managers of the customer's team only): decided once, rep told."""
    query = update.callback_query
    payload = DecideExtension.parse(query.data if query else None)
    if query is None or payload is None:
        return
    decision = await pool_locks.decide_extension(
        context.require_actor(),
        payload.customer_id,
        payload.approve,
        now=context.services.clock.now(),
    )
    await query.answer()
    await query.edit_message_text(views.extension_decided(context.lang, decision))
    if decision.rep is not None:
        lang = language(decision.rep)
        await tell(context.bot, decision.rep, views.extension_outcome(lang, decision))


@requires(Role.MANAGER)
async def assign_menu(update: Update, context: FieldContext) -> None:
    """Assign: the team's reps with their load, one button each."""
    query = update.callback_query
    payload = AssignCustomer.parse(query.data if query else None)
    if query is None or payload is None:
        return
    choice = await pool_assign.assign_choices(context.require_actor(), payload.customer_id)
    await query.answer()
    await reply(update, *views.assign_choices(context.lang, choice))


@requires(Role.MANAGER)
async def assign_to(update: Update, context: FieldContext) -> None:
    """A rep picked: assign (or ask to confirm past the rep's cap); the reps are told."""
    query = update.callback_query
    payload = AssignTo.parse(query.data if query else None)
    if query is None or payload is None:
        return
    actor = context.require_actor()
    result = await pool_assign.assign_customer(
        actor,
        payload.customer_id,
        payload.rep_id,
        override=payload.override,
        now=context.services.clock.now(),
    )
    await query.answer()
    text, markup = views.assign_outcome(context.lang, result)
    await edit(query, text, markup)
    if result.needs_override:
        return
    if result.rep is not None:
        lang = language(result.rep)
        await tell(context.bot, result.rep, *views.assigned_to_you(lang, result, actor.full_name))
    if result.previous is not None:
        lang = language(result.previous)
        await tell(context.bot, result.previous, views.moved_away(lang, result, actor.full_name))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        CallbackQueryHandler(claim, pattern=ClaimCustomer.match),
        CallbackQueryHandler(lock, pattern=LockCustomer.match),
        CallbackQueryHandler(ask_extension, pattern=RequestExtension.match),
        CallbackQueryHandler(decide_extension, pattern=DecideExtension.match),
        CallbackQueryHandler(assign_menu, pattern=AssignCustomer.match),
        CallbackQueryHandler(assign_to, pattern=AssignTo.match),
    ]
