"""A manager pins a customer's tier: pick the tier, type the reason (A3).

```mermaid
stateDiagram-v2
    [*] --> TIER: "Set tier" on the card
    TIER --> REASON: a tier button
    REASON --> [*]: a reason (saved; the updated card follows)
    TIER --> [*]: /cancel or Cancel
    REASON --> [*]: /cancel or Cancel
```
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.access import requires
from bot.callbacks.customers import OverrideTier, PickTier
from bot.context import FieldContext
from bot.i18n import t
from bot.keyboards import cancel_row, rows
from bot.replies import reply, text_of
from bot.views import customers as views
from handlers.customers_card import send_card
from handlers.flow import ANYTHING_ELSE, TEXT, conversation, reprompt, tapped
from storage import tiering
from storage.models import Role, Tier

DRAFT = "tier_override"


class State(IntEnum):
    TIER = 1
    REASON = 2


@requires(Role.ADMIN, Role.MANAGER)
async def start(update: Update, context: FieldContext) -> int | None:
    """Offer the four tiers for the customer on the card."""
    query = update.callback_query
    data = OverrideTier.parse(query.data if query else None)
    if query is None or data is None:
        return None
    target = await tiering.override_target(context.require_actor(), data.customer_id)
    await query.answer()
    lang = context.lang
    current = views.tier_name(lang, target.tier)
    text = t(lang, "customers.override_pick", name=target.name, tier=current)
    await reply(update, text, views.tier_choices(lang, target.customer_id))
    return State.TIER


async def tier_picked(update: Update, context: FieldContext) -> State:
    """Keep the tier and ask why."""
    data = await tapped(update, PickTier)
    if data is None:
        return State.TIER
    context.drafts[DRAFT] = {"customer_id": data.customer_id, "tier": data.tier.value}
    lang = context.lang
    text = t(lang, "customers.override_reason", tier=views.tier_name(lang, data.tier))
    await reply(update, text, rows(cancel_row(context.lang)))
    return State.REASON


async def reason_typed(update: Update, context: FieldContext) -> int:
    """Save the override and show the card with it."""
    draft = context.drafts.get(DRAFT)
    if not draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    now = context.services.clock.now()
    actor = context.require_actor()
    change = await tiering.override_tier(
        actor, int(draft["customer_id"]), Tier(draft["tier"]), text_of(update), now=now
    )
    context.drafts.pop(DRAFT, None)
    lang = context.lang
    tier = views.tier_name(lang, change.tier)
    await reply(update, t(lang, "customers.override_saved", name=change.name, tier=tier))
    await send_card(update, context, change.customer_id)
    return ConversationHandler.END


def conversation_handler() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "tier_override",
        entry_points=[CallbackQueryHandler(start, pattern=OverrideTier.match)],
        states={
            State.TIER: [
                CallbackQueryHandler(tier_picked, pattern=PickTier.match),
                MessageHandler(ANYTHING_ELSE, reprompt(State.TIER, "customers.override_need_tier")),
            ],
            State.REASON: [
                MessageHandler(TEXT, reason_typed),
                MessageHandler(
                    ANYTHING_ELSE, reprompt(State.REASON, "customers.override_need_reason")
                ),
            ],
        },
        draft=DRAFT,
    )
