"""Typed services and per-update state for handlers and jobs.

``BotData`` carries runtime services (settings, clock), not business state — that lives in
the database — so it is not persisted. ``FieldContext`` adds the acting user, identified
once per update by the gatekeeper handler, and their language.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.clock import Clock, SystemClock
from bot.i18n import Lang, resolve_lang
from bot.settings import Settings
from storage.access import Actor


@dataclass
class BotData:
    """Filled by ``build_application``; PTB creates it empty, hence the defaults."""

    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=SystemClock)
    state: dict[str, Any] = field(default_factory=dict)
    """The only persisted part: small JSON-able values shared by every update."""

    def __deepcopy__(self, memo: dict[int, Any]) -> BotData:
        """Persistence snapshots copy the state; the services are shared, not copied."""
        return BotData(self.settings, self.clock, copy.deepcopy(self.state, memo))


class FieldContext(CallbackContext[ExtBot[None], dict[str, Any], dict[str, Any], BotData]):
    """CallbackContext with the acting user attached by the gatekeeper."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.actor: Actor | None = None

    @property
    def services(self) -> BotData:
        return self.bot_data

    @property
    def lang(self) -> Lang:
        """The user's chosen language, else Telegram's, else English."""
        return lang_of(self.actor) if self.actor else resolve_lang(None)

    @property
    def drafts(self) -> dict[str, Any]:
        """The user's ``user_data``: where multi-step forms keep their JSON-able drafts."""
        if self.user_data is None:
            raise RuntimeError("this update has no user to keep a draft for")
        return self.user_data

    def require_actor(self) -> Actor:
        """The actor; handlers behind the gatekeeper always have one."""
        if self.actor is None:
            raise RuntimeError("no actor: the gatekeeper did not run for this update")
        return self.actor


def lang_of(actor: Actor) -> Lang:
    return resolve_lang(actor.language or actor.telegram_language)


CONTEXT_TYPES: ContextTypes[FieldContext, dict[str, Any], dict[str, Any], BotData] = ContextTypes(
    context=FieldContext, bot_data=BotData, chat_data=dict, user_data=dict
)
