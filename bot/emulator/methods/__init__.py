"""Bot API method implementations, grouped by what they act on.

Importing this package registers every implementation in :data:`REGISTRY`.
"""

from bot.emulator.methods import bot_settings, chats, editing, messages, polling
from bot.emulator.methods.registry import REGISTRY, Handler, api_method

__all__ = [
    "REGISTRY",
    "Handler",
    "api_method",
    "bot_settings",
    "chats",
    "editing",
    "messages",
    "polling",
]
