"""A Telegram Bot API emulator for end-to-end tests and the web sandbox.

Start a :class:`BotApiEmulator`, point python-telegram-bot at ``base_url``/``base_file_url``,
drive simulated users with ``send_message``/``tap``/… and read the chats back with
``messages``. See ``bot/emulator/README.md`` for what is emulated and how faithfully.
"""

from bot.emulator.emulator import BotApiEmulator, RecordedRequest
from bot.emulator.errors import ApiError
from bot.emulator.spec import ApiSpec, UploadedFile, load_spec
from bot.emulator.state import CallbackQueryRecord, SimChat, SimMessage, SimUser

__all__ = [
    "ApiError",
    "ApiSpec",
    "BotApiEmulator",
    "CallbackQueryRecord",
    "RecordedRequest",
    "SimChat",
    "SimMessage",
    "SimUser",
    "UploadedFile",
    "load_spec",
]
