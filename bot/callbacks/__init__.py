"""Every button payload of the bot, one module per area, all registered on import.

The codec lives in ``codec``; areas declare their payloads with ``@callback(prefix)``.
Importing this package registers every area, so ``decode`` knows all prefixes.
"""

from bot.callbacks import (  # noqa: F401  (registers their payloads)
    calendar,
    checkin,
    customers,
    digest,
    followups,
    leads,
    pool,
    tickets,
)
from bot.callbacks.codec import (
    MAX_BYTES,
    VERSION,
    CallbackData,
    CallbackDataError,
    callback,
    decode,
)
from bot.callbacks.common import CancelFlow, Noop
from bot.callbacks.onboarding import PickInvite, PickLanguage, PickTeamZone

__all__ = [
    "MAX_BYTES",
    "VERSION",
    "CallbackData",
    "CallbackDataError",
    "CancelFlow",
    "Noop",
    "PickInvite",
    "PickLanguage",
    "PickTeamZone",
    "callback",
    "decode",
]
