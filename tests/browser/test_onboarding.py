"""Onboarding by clicking: a manager makes an invite link, someone new opens it and joins.

The story ends with the screenshot the README shows (``docs/sandbox.png``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.i18n import Lang, t
from bot.render import plain_text, role_name
from bot.sandbox.runtime import BOT_USERNAME
from storage.models import Role, User
from tests.browser.helpers import MANAGER, NO_PLAYWRIGHT, Browser, bot_messages, send

expect = pytest.importorskip("playwright.async_api", reason=NO_PLAYWRIGHT).expect
README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "sandbox.png"
# Set FIELDCRM_UPDATE_SCREENSHOT=1 to refresh the README's picture; otherwise the test keeps
# its screenshot to itself, so a test run leaves the working tree clean.
UPDATE_SCREENSHOT = os.environ.get("FIELDCRM_UPDATE_SCREENSHOT") == "1"


async def test_a_manager_invites_a_rep_who_opens_the_link_and_joins(
    browser: Browser, tmp_path: Path
) -> None:
    page = await browser.open(MANAGER.telegram_id)
    await send(page, "/lang")
    await bot_messages(page).last.get_by_test_id("inline-button").filter(has_text="English").click()
    await expect(bot_messages(page).last).to_contain_text(plain_text(t(Lang.EN, "lang.set")))

    await page.get_by_test_id("menu-button").click()
    await page.get_by_test_id("command-item").filter(has_text="/invite").click()
    offer = bot_messages(page).last
    await expect(offer).to_contain_text(plain_text(t(Lang.EN, "invite.choose")))
    rep_button = t(Lang.EN, "invite.button", role=role_name(Lang.EN, Role.REP))
    await offer.get_by_test_id("inline-button").filter(has_text=rep_button).click()
    link = bot_messages(page).last.locator(f"a[href*='t.me/{BOT_USERNAME}?start=']")
    await expect(link).to_be_visible()
    await page.mouse.move(1, 1)  # no hover effects in the picture
    screenshot = README_SCREENSHOT if UPDATE_SCREENSHOT else tmp_path / "sandbox.png"
    await page.screenshot(path=str(screenshot))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    await link.click()
    dialog = page.get_by_test_id("link-dialog")
    await expect(dialog).to_be_visible()
    await dialog.get_by_test_id("link-name").fill("Nora Newcomer")
    await dialog.get_by_test_id("link-start").click()
    await expect(page.get_by_test_id("chat-title")).to_have_text("Nora Newcomer")
    welcome = bot_messages(page).last
    await expect(welcome).to_contain_text("Welcome to team")
    await expect(welcome.locator("strong").first).to_have_text(MANAGER.team or "")
    entry = page.locator("[data-testid^=person-]").filter(has_text="Nora Newcomer")
    await expect(entry).to_contain_text("sales rep")
    nora = await User.get(full_name="Nora Newcomer").prefetch_related("team")
    assert nora.role is Role.REP and nora.team is not None and nora.team.name == MANAGER.team
