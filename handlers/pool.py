"""The public pool: browsing, claiming, releasing, assigning, locking, extensions (A1).

This module holds /pool itself (the paged list, its filters and the masked preview) and the
area's ``HANDLERS`` list; the other flows live beside it:

| module | holds |
|---|---|
| ``pool_actions`` | Claim, Lock/Unlock, extension request and decision, Assign (buttons) |
| ``pool_release`` | the release conversation (reason buttons, free text for "other") |
| ``pool_my`` | /my |
| ``pool_flow`` | /poolflow |
| ``pool_notify`` | sending notices to other chats |

The list's filter is UI state, kept in the user's draft (``context.drafts["pool"]``) so page
and filter buttons stay small; every value in it is re-checked by storage.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.access import requires
from bot.callbacks.pool import (
    PoolFilterClear,
    PoolFilterMenu,
    PoolFilterPick,
    PoolPage,
    PreviewPoolCustomer,
)
from bot.context import FieldContext
from bot.replies import reply
from bot.views import pool as views
from handlers import pool_actions, pool_flow, pool_my, pool_release
from handlers.pool_notify import edit
from storage import pool
from storage.models import Role
from storage.pool import PoolFilter

DRAFT = "pool"
OPTIONS = "pool_options"


def _saved_filter(context: FieldContext) -> PoolFilter:
    saved = context.drafts.get(DRAFT) or {}
    return pool.clean_filter(**{k: saved.get(k) for k in ("region", "industry", "tier", "text")})


def _save_filter(context: FieldContext, flt: PoolFilter) -> None:
    context.drafts[DRAFT] = {
        "region": flt.region,
        "industry": flt.industry,
        "tier": flt.tier.value if flt.tier else None,
        "text": flt.text,
    }


async def _show(update: Update, context: FieldContext, flt: PoolFilter, page: int) -> None:
    """Draw the list: edit the message a button came from, else answer with a new one."""
    result = await pool.list_pool(
        context.require_actor(), flt, page, now=context.services.clock.now()
    )
    _save_filter(context, flt)
    text, markup = views.pool_list(context.lang, result)
    query = update.callback_query
    if query is not None:
        await query.answer()
        await edit(query, text, markup)
    else:
        await reply(update, text, markup)


@requires(Role.REP, Role.MANAGER)
async def pool_command(update: Update, context: FieldContext) -> None:
    """/pool [words]: the team's pool, searched for the words if any (other filters reset)."""
    await _show(update, context, pool.clean_filter(text=" ".join(context.args or [])), 0)


@requires(Role.REP, Role.MANAGER)
async def turn_page(update: Update, context: FieldContext) -> None:
    """‹ › on the list: another page with the same filter."""
    payload = PoolPage.parse(update.callback_query.data if update.callback_query else None)
    if payload is not None:
        await _show(update, context, _saved_filter(context), payload.page)


@requires(Role.REP, Role.MANAGER)
async def filter_menu(update: Update, context: FieldContext) -> None:
    """A filter button: offer the values the pool holds for it."""
    query = update.callback_query
    payload = PoolFilterMenu.parse(query.data if query else None)
    if query is None or payload is None:
        return
    options = await pool.filter_options(context.require_actor(), payload.field)
    context.drafts[OPTIONS] = {"field": payload.field.value, "values": options}
    text, markup = views.filter_menu(context.lang, payload.field, options)
    await query.answer()
    await edit(query, text, markup)


@requires(Role.REP, Role.MANAGER)
async def filter_picked(update: Update, context: FieldContext) -> None:
    """A value picked (or "any"): the list again, narrowed, from its first page."""
    payload = PoolFilterPick.parse(update.callback_query.data if update.callback_query else None)
    if payload is None:
        return
    offered = context.drafts.get(OPTIONS) or {}
    values: list[str] = offered.get("values", []) if offered.get("field") == payload.field else []
    value = values[payload.index] if 0 <= payload.index < len(values) else None
    current = _saved_filter(context)
    parts: dict[str, Any] = {
        "region": current.region,
        "industry": current.industry,
        "tier": current.tier.value if current.tier else None,
        "text": current.text,
    }
    parts[payload.field.value] = value
    await _show(update, context, pool.clean_filter(**parts), 0)


@requires(Role.REP, Role.MANAGER)
async def clear_filters(update: Update, context: FieldContext) -> None:
    """Clear filters: the whole pool again."""
    await _show(update, context, PoolFilter(), 0)


@requires(Role.REP, Role.MANAGER)
async def preview(update: Update, context: FieldContext) -> None:
    """🔍 on an entry: the masked card, as a new message under the list."""
    query = update.callback_query
    payload = PreviewPoolCustomer.parse(query.data if query else None)
    if query is None or payload is None:
        return
    card = await pool.preview_customer(
        context.require_actor(), payload.customer_id, now=context.services.clock.now()
    )
    text, markup = views.preview(context.lang, card)
    await query.answer()
    await reply(update, text, markup)


PRIVATE = filters.ChatType.PRIVATE


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        pool_release.conversation_handler(),
        CommandHandler("pool", pool_command, PRIVATE),
        CallbackQueryHandler(turn_page, pattern=PoolPage.match),
        CallbackQueryHandler(filter_menu, pattern=PoolFilterMenu.match),
        CallbackQueryHandler(filter_picked, pattern=PoolFilterPick.match),
        CallbackQueryHandler(clear_filters, pattern=PoolFilterClear.match),
        CallbackQueryHandler(preview, pattern=PreviewPoolCustomer.match),
        *pool_actions.handlers(),
        *pool_my.handlers(),
        *pool_flow.handlers(),
    ]
