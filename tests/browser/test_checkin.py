"""A rep claims a customer from the pool, checks in there with a location and a photo, and the
manager sees the visit — every step a click or a keystroke in the web chat."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import Lang, t
from bot.render import plain_text
from bot.sandbox.runtime import Sandbox
from storage.models import CheckIn, Customer, Role
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

REP = ENGLISH_REP
MANAGER = persona(Role.MANAGER, REP.team)
EN, ZH = Lang.EN, Lang.ZH_HANS


async def test_a_rep_checks_in_at_a_claimed_customer_and_the_manager_sees_the_visit(
    sandbox: Sandbox, browser: Browser, tmp_path: Path
) -> None:
    page = await browser.open(REP.telegram_id)

    # Claim the first customer of the pool, and open its card from the confirmation.
    await send(page, "/pool")
    await (
        bot_messages(page)
        .last.get_by_test_id("inline-button")
        .filter(has_text=t(EN, "pool.btn.claim_n", number=1))
        .click()
    )
    claimed_message = bot_messages(page).last
    await expect(claimed_message).to_contain_text("✅")
    customer = await Customer.get(
        owner__telegram_id=REP.telegram_id, owned_since=sandbox.clock.now()
    )
    await (
        claimed_message.get_by_test_id("inline-button")
        .filter(has_text=t(EN, "pool.btn.open_card"))
        .click()
    )
    card = bot_messages(page).last
    check_in = card.get_by_test_id("inline-button").filter(has_text=t(EN, "customers.btn.check_in"))
    await expect(check_in).to_be_visible()
    await expect(card).to_contain_text(customer.name)

    # The card's Check in: the bot asks for the location with its reply keyboard.
    await check_in.click()
    await expect(bot_messages(page).last).to_contain_text(
        plain_text(t(EN, "checkin.ask_location", name=customer.name)).splitlines()[0]
    )
    keyboard = page.get_by_test_id("reply-keyboard")
    await (
        keyboard.get_by_test_id("reply-button")
        .filter(has_text=t(EN, "checkin.btn.share_location"))
        .click()
    )

    # Standing at the customer: the picker offers the rep's own customers, the new one among them.
    dialog = page.get_by_test_id("location-dialog")
    await dialog.get_by_test_id("location-place").select_option(str(customer.id))
    await dialog.get_by_test_id("location-at-customer").click()
    assert customer.latitude is not None and customer.longitude is not None
    await expect(dialog.get_by_test_id("location-latitude")).to_have_value(
        f"{customer.latitude:.6f}"
    )
    await dialog.get_by_test_id("location-send").click()
    await expect(my_messages(page).locator(".location")).to_be_visible()
    await expect(keyboard).to_be_hidden()
    await expect(bot_messages(page).last).to_contain_text("📷")

    # The photo of the site, through 📎 → Send photo.
    picture = tmp_path / "shopfront.png"
    picture.write_bytes(png(120, 80, b"\x2a\x9d\x8f"))
    await page.get_by_test_id("attach-button").click()
    async with page.expect_file_chooser() as choosing:
        await page.get_by_test_id("attach-photo").click()
    await (await choosing.value).set_files(str(picture))
    await expect(my_messages(page).locator(".photo img")).to_be_visible()
    note_question = bot_messages(page).last
    await expect(note_question).to_contain_text(plain_text(t(EN, "checkin.ask_note")))

    # No note: Skip, and the check-in is recorded, not flagged.
    await (
        note_question.get_by_test_id("inline-button")
        .filter(has_text=t(EN, "checkin.btn.skip"))
        .click()
    )
    confirmation = bot_messages(page).last
    await expect(confirmation).to_contain_text(plain_text(t(EN, "checkin.saved_photo")))
    await expect(confirmation.locator("strong").first).to_contain_text(customer.name)
    await expect(confirmation).to_contain_text(plain_text(t(EN, "checkin.saved_ok")))

    visit = await CheckIn.get(customer_id=customer.id).select_related("rep")
    assert visit.rep.telegram_id == REP.telegram_id
    assert (visit.latitude, visit.longitude) == (customer.latitude, customer.longitude)
    assert visit.distance_m == pytest.approx(0, abs=1)
    assert visit.photo_file_id and visit.flags == [] and visit.note == ""

    # The manager's /visits lists it; tapping its number sends the details, the pin and the photo.
    boss = await browser.open(MANAGER.telegram_id)
    await send(boss, "/visits")
    listing = bot_messages(boss).last
    await expect(listing).to_contain_text(f"{REP.full_name} → {customer.name}")
    text = await listing.get_by_test_id("message-text").inner_text()
    line = next(line for line in text.splitlines() if f"{REP.full_name} → {customer.name}" in line)
    number = re.match(r"(\d+)\.", line)
    assert number is not None, line
    await (
        listing.get_by_test_id("inline-button")
        .filter(has_text=re.compile(rf"^{number[1]}$"))
        .click()
    )
    photo = bot_messages(boss).locator(".photo img")
    await expect(photo).to_be_visible()
    assert await photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 120
    detail = bot_messages(boss).filter(
        has_text=plain_text(
            t(ZH, "checkin.detail.header", customer=customer.name, rep=REP.full_name)
        )
    )
    await expect(detail).to_contain_text(plain_text(t(ZH, "checkin.detail.not_flagged")))
    await expect(bot_messages(boss).locator(".location")).to_contain_text(
        f"{customer.latitude:.5f}, {customer.longitude:.5f}"
    )
