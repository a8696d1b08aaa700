"""What the browser stories share: the demo personas, and a handle on the browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.demo import DEMO_PERSONAS, DemoPersona
from storage.models import Role

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Locator, Page

NO_PLAYWRIGHT = "Playwright for Python is not installed: run .ci/browser-setup (pip install)"
ADMIN = next(p for p in DEMO_PERSONAS if p.role is Role.ADMIN)
MANAGER = next(p for p in DEMO_PERSONAS if p.role is Role.MANAGER)
ENGLISH_REP = next(p for p in DEMO_PERSONAS if p.role is Role.REP and p.language == "en")


def persona(role: Role, team: str | None) -> DemoPersona:
    """The first demo persona with ``role`` in ``team``."""
    return next(p for p in DEMO_PERSONAS if p.role is role and p.team == team)


@dataclass
class Browser:
    context: BrowserContext
    url: str

    async def open(self, chat_id: int, speaker: int | None = None) -> Page:
        """A tab showing ``chat_id`` (as ``speaker`` in a group), once the page is live."""
        page = self.context.pages[0] if self.context.pages else await self.context.new_page()
        if page.url != "about:blank":
            page = await self.context.new_page()
        anchor = f"#chat={chat_id}" + (f"&as={speaker}" if speaker else "")
        await page.goto(self.url + anchor)
        await page.locator("body[data-ready=true]").wait_for()
        return page


async def send(page: Page, text: str) -> None:
    """Type into the composer and press Enter, like a user."""
    box = page.get_by_test_id("composer-input")
    await box.fill(text)
    await box.press("Enter")


def bot_messages(page: Page) -> Locator:
    return page.locator("[data-testid=message][data-from=bot]")


def my_messages(page: Page) -> Locator:
    return page.locator("[data-testid=message][data-from=me]")
