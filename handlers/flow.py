"""Building conversations the one way: persistent, named, keyed per chat and user."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from telegram.ext import BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning


def conversation(
    name: str,
    entry_points: Sequence[BaseHandler[Any, Any, Any]],
    states: dict[object, list[BaseHandler[Any, Any, Any]]],
    fallbacks: Sequence[BaseHandler[Any, Any, Any]],
) -> ConversationHandler[Any]:
    """A persistent ConversationHandler whose state survives restarts.

    PTB warns that CallbackQueryHandlers are not tracked per message when
    ``per_message=False``; that is what we want — one form per chat and user at a time, with
    buttons carrying their own payloads — so the warning is silenced here, once.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=list(entry_points),
            states=states,
            fallbacks=list(fallbacks),
            name=name,
            persistent=True,
            allow_reentry=True,
        )
