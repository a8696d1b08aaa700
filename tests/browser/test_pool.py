"""A rep claims a customer from the public pool by clicking (when the bot has /pool)."""

from __future__ import annotations

import pytest
from telegram.ext import CommandHandler

from bot.i18n import Lang, t
from bot.sandbox.runtime import Sandbox
from storage.models import Customer
from tests.browser.helpers import ENGLISH_REP, NO_PLAYWRIGHT, Browser, bot_messages, send

expect = pytest.importorskip("playwright.async_api", reason=NO_PLAYWRIGHT).expect


def has_command(sandbox: Sandbox, name: str) -> bool:
    return any(
        isinstance(handler, CommandHandler) and name in handler.commands
        for handlers in sandbox.app.handlers.values()
        for handler in handlers
    )


async def test_a_rep_claims_a_customer_from_the_pool(sandbox: Sandbox, browser: Browser) -> None:
    if not has_command(sandbox, "pool"):
        pytest.skip("the bot has no /pool yet")
    page = await browser.open(ENGLISH_REP.telegram_id)
    await send(page, "/pool")
    listing = bot_messages(page).last
    claim = listing.get_by_test_id("inline-button").filter(
        has_text=t(Lang.EN, "pool.btn.claim_n", number=1)
    )
    await claim.click()
    confirmation = bot_messages(page).last
    await expect(confirmation).to_contain_text("✅")
    claimed = await Customer.filter(
        owner__telegram_id=ENGLISH_REP.telegram_id, owned_since=sandbox.clock.now()
    ).first()
    assert claimed is not None
    await expect(confirmation.locator("strong").first).to_have_text(claimed.name)
