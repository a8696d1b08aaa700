"""The web chat behaves like a Telegram client: commands, buttons that edit in place, safe
formatting, and every open tab following along live."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Lang, t
from bot.render import plain_text
from bot.sandbox.runtime import Sandbox
from tests.browser.helpers import ADMIN, NO_PLAYWRIGHT, Browser, bot_messages, my_messages, send

expect = pytest.importorskip("playwright.async_api", reason=NO_PLAYWRIGHT).expect


async def test_the_admin_starts_the_bot_and_is_greeted_as_admin(browser: Browser) -> None:
    page = await browser.open(ADMIN.telegram_id)
    await expect(page.get_by_test_id("chat-title")).to_have_text(ADMIN.full_name)
    await send(page, "/start")
    await expect(my_messages(page)).to_have_count(1)
    greeting = plain_text(t(Lang.ZH_HANS, "start.admin", name=ADMIN.full_name), 4096)
    answer = bot_messages(page).last.get_by_test_id("message-text")
    await expect(answer).to_contain_text(greeting.splitlines()[0])
    await expect(answer.locator("strong")).to_have_text("管理员")  # <b> became bold
    await expect(answer.locator("a.command").first).to_have_text("/newteam")


async def test_switching_language_edits_the_answer_in_place(browser: Browser) -> None:
    page = await browser.open(ADMIN.telegram_id)
    await send(page, "/lang")
    question = bot_messages(page).last
    await expect(question.get_by_test_id("inline-button")).to_have_count(3)
    message_id = await question.get_attribute("data-message-id")
    await question.get_by_test_id("inline-button").filter(has_text="English").click()

    edited = page.locator(f"[data-testid=message][data-message-id='{message_id}']")
    await expect(edited.get_by_test_id("message-text")).to_have_text(
        plain_text(t(Lang.EN, "lang.set"))
    )
    await expect(edited.locator(".edited")).to_be_visible()
    await expect(bot_messages(page)).to_have_count(1)  # edited, not answered anew
    chosen = edited.get_by_test_id("inline-button").filter(has_text="English")
    await expect(chosen).to_contain_text("✓")  # the keyboard was redrawn too


async def test_bot_formatting_is_drawn_safely(sandbox: Sandbox, browser: Browser) -> None:
    page = await browser.open(ADMIN.telegram_id)
    await sandbox.app.bot.send_message(
        ADMIN.telegram_id,
        "<b>Bold</b> &lt;script&gt;window.pwned = 1&lt;/script&gt; "
        '<tg-spoiler>secret</tg-spoiler> <code>code</code> <a href="https://example.com/x">site</a>'
        '\n<pre><code class="language-python">print("hi")</code></pre>',
    )
    text = bot_messages(page).last.get_by_test_id("message-text")
    await expect(text).to_contain_text("<script>window.pwned = 1</script>")
    await expect(text.locator("strong")).to_have_text("Bold")
    await expect(text.locator(".spoiler")).to_have_text("secret")
    await expect(text.locator("code").first).to_have_text("code")
    await expect(text.locator("pre code")).to_have_attribute("data-language", "python")
    await expect(text.locator("a[href='https://example.com/x']")).to_have_text("site")
    assert await page.locator("#messages script, #messages img").count() == 0
    assert await page.evaluate("() => window.pwned") is None


async def test_every_open_tab_follows_the_chat_live(browser: Browser) -> None:
    watching = await browser.open(ADMIN.telegram_id)
    typing = await browser.open(ADMIN.telegram_id)
    await send(typing, "/help")
    await expect(bot_messages(watching)).to_have_count(1)
    await expect(my_messages(watching).get_by_test_id("message-text")).to_have_text(["/help"])
    await expect(bot_messages(watching).last).to_contain_text("/newteam")


async def test_a_button_answer_shows_as_a_toast(sandbox: Sandbox, browser: Browser) -> None:
    page = await browser.open(ADMIN.telegram_id)
    await sandbox.app.bot.send_message(
        ADMIN.telegram_id,
        "An old message",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Old", callback_data="zz:1")]]),
    )
    await bot_messages(page).last.get_by_test_id("inline-button").click()
    toast = page.get_by_test_id("toast")
    await expect(toast).to_have_text(plain_text(t(Lang.ZH_HANS, "general.stale_button")))
