"""A customer opens a ticket by clicking through /newticket, and the service agent has it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import Lang, t
from bot.render import plain_text
from storage.models import (
    PortalAccount,
    Role,
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from storage.tickets_rules import DESCRIPTION_MAX, PHOTOS_MAX
from tests.browser.helpers import (
    ENGLISH_REP,
    NO_PLAYWRIGHT,
    Browser,
    bot_messages,
    my_messages,
    persona,
    send,
)
from tests.support.sandbox import png

expect = pytest.importorskip("playwright.async_api", reason=NO_PLAYWRIGHT).expect

CUSTOMER = persona(Role.CUSTOMER, ENGLISH_REP.team)
AGENT = persona(Role.AGENT, ENGLISH_REP.team)
ZH = Lang.ZH_HANS
PROBLEM = "空调安装后一直漏水，地板已经湿了。"


async def test_a_customer_opens_a_ticket_with_a_photo(browser: Browser, tmp_path: Path) -> None:
    account = await PortalAccount.get(user__telegram_id=CUSTOMER.telegram_id).select_related(
        "customer"
    )
    page = await browser.open(CUSTOMER.telegram_id)

    await send(page, "/newticket")
    categories = bot_messages(page).last
    await expect(categories).to_contain_text(plain_text(t(ZH, "tickets.ask_category")))
    await (
        categories.get_by_test_id("inline-button")
        .filter(has_text=t(ZH, "tickets.category.installation"))
        .click()
    )
    await expect(bot_messages(page).last).to_contain_text(
        plain_text(t(ZH, "tickets.ask_description", limit=DESCRIPTION_MAX))
    )

    await send(page, PROBLEM)
    asking_photos = bot_messages(page).last
    await expect(asking_photos.get_by_test_id("inline-button")).to_contain_text(
        [t(ZH, "tickets.btn_skip")]
    )
    picture = tmp_path / "leak.png"
    picture.write_bytes(png(64, 48, b"\x1e\x5a\xb4"))
    await page.get_by_test_id("attach-button").click()
    async with page.expect_file_chooser() as choosing:
        await page.get_by_test_id("attach-photo").click()
    await (await choosing.value).set_files(str(picture))
    await expect(my_messages(page).locator(".photo img")).to_be_visible()
    photo_added = bot_messages(page).last
    await expect(photo_added).to_contain_text(
        plain_text(t(ZH, "tickets.photo_added", count=1, limit=PHOTOS_MAX))
    )
    await (
        photo_added.get_by_test_id("inline-button")
        .filter(has_text=t(ZH, "tickets.btn_done"))
        .click()
    )

    contact = bot_messages(page).last
    await expect(contact).to_contain_text(plain_text(t(ZH, "tickets.ask_contact")))
    await (
        contact.get_by_test_id("inline-button")
        .filter(has_text=t(ZH, "tickets.contact.phone"))
        .click()
    )

    confirmation = bot_messages(page).last
    await expect(confirmation).to_contain_text("✅")
    ticket = await Ticket.get(customer_id=account.customer_id, description=PROBLEM)
    await expect(confirmation.locator("strong").first).to_have_text(f"#{ticket.id}")
    await expect(confirmation).to_contain_text(t(ZH, "tickets.category.installation"))
    assert ticket.category is TicketCategory.INSTALLATION
    assert ticket.status is TicketStatus.ASSIGNED and ticket.contact_preference == "phone"
    created = await TicketEvent.get(ticket_id=ticket.id, kind=TicketEventKind.CREATED)
    assert len(created.photo_file_ids) == 1

    # The team's service agent was told (the photo came along), and has it in their queue.
    await ticket.fetch_related("agent")
    assert ticket.agent is not None and ticket.agent.telegram_id == AGENT.telegram_id
    agent = await browser.open(AGENT.telegram_id)
    notice = bot_messages(agent).filter(has_text=re.compile(rf"#{ticket.id}\b"))
    await expect(notice).to_contain_text(PROBLEM)
    photos = bot_messages(agent).locator(".photo img")
    await expect(photos).to_have_count(1)
    assert await photos.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64
    await send(agent, "/tickets")
    queue = bot_messages(agent).last
    await expect(queue).to_contain_text(f"#{ticket.id} {account.customer.name}")
    await queue.get_by_test_id("inline-button").filter(has_text=f"#{ticket.id} ·").click()
    opened = bot_messages(agent).last
    await expect(opened).to_contain_text(PROBLEM)
    await (
        opened.get_by_test_id("inline-button")
        .filter(has_text=t(ZH, "tickets.btn_photos", n=1))
        .click()
    )
    await expect(photos).to_have_count(2)  # sent again on request
