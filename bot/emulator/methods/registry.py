"""The table of emulated Bot API methods.

Each implementation is registered under its canonical (spec) name with :func:`api_method`;
the server looks methods up case-insensitively through the spec and dispatches here. A method
that exists in the spec but is not registered is either answered ``true`` (when the spec says
it returns a Boolean) or refused with 400 — never silently faked with a made-up object.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

Params = dict[str, Any]
Handler = Callable[["BotApiEmulator", Params], Awaitable[Any]]

REGISTRY: dict[str, Handler] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the implementation of Bot API method ``name``."""

    def register(handler: Handler) -> Handler:
        if name in REGISTRY:
            raise RuntimeError(f"method {name} registered twice")
        REGISTRY[name] = handler
        return handler

    return register


class Described:
    """A result plus the ``description`` Telegram adds to some successful answers
    (e.g. ``"Webhook was set"``)."""

    def __init__(self, result: Any, description: str) -> None:
        self.result = result
        self.description = description
